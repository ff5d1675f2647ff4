"""Unified createOrder / editOrder arguments -> the Paradex request body, and its signature."""
from __future__ import annotations

import json

import pytest
from ccxt.base.errors import ArgumentsRequired, InvalidOrder

from paradex_ccxt import signing
from tests.conftest import TEST_L2_ADDRESS
from tests.orders_support import ex, paradex_order  # noqa: F401 (fixture)

BTC = "BTC/USD:USDC"


def test_a_limit_order_is_rounded_to_the_market_increments(ex):
    body = ex.create_order_body(BTC, "limit", "buy", 0.0123456, 60000.1234, {"clientOrderId": "bot-1"})
    assert body == {"market": "BTC-USD-PERP", "side": "BUY", "type": "LIMIT", "size": "0.01234",
                    "price": "60000.1", "instruction": "GTC", "client_id": "bot-1",
                    "recv_window": ex.options["orderRecvWindow"]}


def test_a_market_order_carries_no_price(ex):
    body = ex.create_order_body(BTC, "market", "sell", 0.01, 60000, {"clientOrderId": "bot-1"})
    assert body["type"] == "MARKET"
    assert "price" not in body


def test_a_generated_client_id_has_the_documented_prefix(ex):
    first = ex.create_order_body(BTC, "limit", "buy", 0.01, 60000)["client_id"]
    second = ex.create_order_body(BTC, "limit", "buy", 0.01, 60000)["client_id"]
    assert first.startswith("pccxt-") and second.startswith("pccxt-")
    assert first != second
    assert len(first) <= 64


def test_the_client_id_prefix_is_an_option(ex):
    ex.options["clientOrderIdPrefix"] = "mybot-"
    assert ex.create_order_body(BTC, "limit", "buy", 0.01, 60000)["client_id"].startswith("mybot-")


def test_a_client_id_longer_than_64_characters_is_refused(ex):
    with pytest.raises(InvalidOrder, match="64"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "x" * 65})


@pytest.mark.parametrize(("order_type", "expected"), [("limit", "STOP_LIMIT"), ("market", "STOP_MARKET")])
def test_a_trigger_price_makes_a_stop_order(ex, order_type, expected):
    body = ex.create_order_body(BTC, order_type, "buy", 0.01, 65100, {"triggerPrice": 65000.04})
    assert (body["type"], body["trigger_price"]) == (expected, "65000")
    assert "flags" not in body


def test_a_trigger_direction_becomes_a_stop_condition_flag(ex):
    body = ex.create_order_body(BTC, "market", "buy", 0.01, None,
                                    {"triggerPrice": 65000, "triggerDirection": "above"})
    assert body["flags"] == ["STOP_CONDITION_ABOVE_TRIGGER"]


@pytest.mark.parametrize(("param", "order_type", "expected"), [
    ("stopLossPrice", "market", "STOP_LOSS_MARKET"),
    ("stopLossPrice", "limit", "STOP_LOSS_LIMIT"),
    ("takeProfitPrice", "market", "TAKE_PROFIT_MARKET"),
    ("takeProfitPrice", "limit", "TAKE_PROFIT_LIMIT"),
])
def test_stop_loss_and_take_profit_prices_make_reduce_only_tpsl_orders(ex, param, order_type, expected):
    body = ex.create_order_body(BTC, order_type, "sell", 0.01, 54900, {param: 55000})
    assert (body["type"], body["trigger_price"], body["flags"]) == (expected, "55000", ["REDUCE_ONLY"])
    assert ("price" in body) == (order_type == "limit")


def test_a_tpsl_order_of_amount_zero_closes_the_whole_position(ex):
    body = ex.create_order_body(BTC, "market", "sell", 0, None, {"takeProfitPrice": 70000})
    assert (body["type"], body["size"], body["flags"]) == ("TAKE_PROFIT_MARKET", "0", ["REDUCE_ONLY"])


def test_a_plain_order_of_amount_zero_is_refused(ex):
    with pytest.raises(InvalidOrder):
        ex.create_order_body(BTC, "market", "sell", 0)


def test_stop_loss_and_take_profit_together_are_refused(ex):
    with pytest.raises(InvalidOrder, match="separate orders"):
        ex.create_order_body(BTC, "market", "sell", 0.01, None, {"stopLossPrice": 55000, "takeProfitPrice": 70000})


@pytest.mark.parametrize(("params", "instruction"), [
    ({"timeInForce": "GTC"}, "GTC"),
    ({"timeInForce": "IOC"}, "IOC"),
    ({"timeInForce": "PO"}, "POST_ONLY"),
    ({"postOnly": True}, "POST_ONLY"),
    ({"timeInForce": "RPI"}, "RPI"),
    ({"rpi": True}, "RPI"),
])
def test_time_in_force_post_only_and_rpi_become_the_instruction(ex, params, instruction):
    assert ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, params)["instruction"] == instruction


@pytest.mark.parametrize("time_in_force", ["FOK", "GTD"])
def test_a_time_in_force_paradex_lacks_is_refused_naming_what_it_supports(ex, time_in_force):
    with pytest.raises(InvalidOrder, match="GTC, IOC, PO \\(post-only\\) or RPI"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"timeInForce": time_in_force})


def test_post_only_with_ioc_is_refused(ex):
    with pytest.raises(InvalidOrder, match="postOnly"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"timeInForce": "IOC", "postOnly": True})


def test_a_post_only_market_order_is_refused(ex):
    with pytest.raises(InvalidOrder, match="market order cannot be post-only"):
        ex.create_order_body(BTC, "market", "buy", 0.01, None, {"postOnly": True})


def test_reduce_only_stp_recv_window_and_sub_account_go_into_the_body(ex):
    body = ex.create_order_body(BTC, "limit", "sell", 0.01, 60000, {
        "reduceOnly": True, "stp": "expire_both", "recv_window": 500, "on_behalf_of_account": "0x1234",
    })
    assert body["flags"] == ["REDUCE_ONLY"]
    assert (body["stp"], body["recv_window"], body["on_behalf_of_account"]) == ("EXPIRE_BOTH", 500, "0x1234")


def test_an_unknown_stp_mode_is_refused(ex):
    with pytest.raises(InvalidOrder, match="EXPIRE_BOTH, EXPIRE_MAKER, EXPIRE_TAKER"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"stp": "cancel_newest"})


def test_a_recv_window_under_10_ms_is_refused(ex):
    with pytest.raises(InvalidOrder, match="recv_window"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"recv_window": 5})


def test_paradex_params_the_adapter_does_not_know_pass_through(ex):
    assert ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"dime_discount": True})["dime_discount"] is True


def test_an_amount_below_one_size_increment_is_refused(ex):
    with pytest.raises(InvalidOrder):
        ex.create_order_body(BTC, "limit", "buy", 0.000001, 60000)


def test_an_amount_above_the_maximum_order_size_is_refused(ex):
    with pytest.raises(InvalidOrder, match="maximum order size 100"):
        ex.create_order_body(BTC, "limit", "buy", 101, 60000)


def test_a_limit_order_below_the_minimum_notional_is_refused_before_sending(ex):
    # BTC-USD-PERP: min_notional 10 USD; 0.0001 x 60000 = 6.
    with pytest.raises(InvalidOrder, match="notional 6.* below the minimum 10"):
        ex.create_order_body(BTC, "limit", "buy", 0.0001, 60000)


def test_a_market_order_is_checked_against_the_price_the_caller_gives(ex):
    with pytest.raises(InvalidOrder, match="notional"):
        ex.create_order_body(BTC, "market", "buy", 0.0001, 60000)


def test_a_stop_market_order_is_checked_against_its_trigger_price(ex):
    with pytest.raises(InvalidOrder, match="notional"):
        ex.create_order_body(BTC, "market", "buy", 0.0001, None, {"triggerPrice": 60000})


def test_a_reduce_only_order_is_exempt_from_the_notional_check(ex):
    body = ex.create_order_body(BTC, "limit", "sell", 0.0001, 60000, {"reduceOnly": True})
    assert body["size"] == "0.0001"


def test_a_limit_order_without_a_price_is_refused(ex):
    with pytest.raises(ArgumentsRequired):
        ex.create_order_body(BTC, "limit", "buy", 0.01, None)


@pytest.mark.parametrize(("order_type", "side"), [("stop_limit", "buy"), ("limit", "long")])
def test_types_and_sides_outside_the_unified_ones_are_refused(ex, order_type, side):
    with pytest.raises(InvalidOrder):
        ex.create_order_body(BTC, order_type, side, 0.01, 60000)


async def test_the_signature_covers_the_order_and_verifies_with_the_account_key(ex):
    body = ex.create_order_body(BTC, "limit", "buy", 0.01, 60000.5, {"clientOrderId": "bot-1"})
    signed = await ex.sign_order_body(body)
    credentials = await ex.load_credentials()
    r, s = (int(part) for part in json.loads(signed["signature"]))
    expected_hash = signing.order_hash(ex.chain_id, int(TEST_L2_ADDRESS, 16), signed["signature_timestamp"],
                                       "BTC-USD-PERP", "BUY", "LIMIT", 1_000_000, 6_000_050_000_000)
    assert signing.verify(credentials.signer.public_key, expected_hash, r, s)
    assert {k: v for k, v in signed.items() if k not in ("signature", "signature_timestamp")} == body


async def test_a_size_the_chain_cannot_represent_is_an_invalid_order_before_signing(ex):
    body = ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "bot-1"})
    body["size"] = "0.000000001"
    with pytest.raises(InvalidOrder, match="more than 8 decimal places"):
        await ex.sign_order_body(body)


async def test_a_market_type_signs_price_zero(ex):
    body = ex.create_order_body(BTC, "market", "sell", 0.01, None, {"stopLossPrice": 55000})
    signed = await ex.sign_order_body(body)
    credentials = await ex.load_credentials()
    r, s = (int(part) for part in json.loads(signed["signature"]))
    expected_hash = signing.order_hash(ex.chain_id, int(TEST_L2_ADDRESS, 16), signed["signature_timestamp"],
                                       "BTC-USD-PERP", "SELL", "STOP_LOSS_MARKET", 1_000_000, 0)
    assert signing.verify(credentials.signer.public_key, expected_hash, r, s)


async def test_two_identical_orders_get_different_signature_timestamps(ex):
    body = ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "bot-1"})
    first, second = await ex.sign_order_body(body), await ex.sign_order_body(body)
    assert second["signature_timestamp"] > first["signature_timestamp"]


def test_an_edit_keeps_market_side_and_type_and_takes_missing_values_from_the_order(ex):
    body = ex.modify_order_body(paradex_order("open_limit"), None, 61000.04)
    assert body == {"id": "1763787600100201709190000001", "market": "BTC-USD-PERP", "side": "BUY", "type": "LIMIT",
                    "size": "0.01", "price": "61000"}


def test_an_edit_of_a_stop_loss_market_order_changes_its_trigger_and_sends_no_price(ex):
    body = ex.modify_order_body(paradex_order("untriggered_stop_loss_market"), 0.02, None,
                                    {"triggerPrice": 54000})
    assert body == {"id": "1763787600900201709190000011", "market": "BTC-USD-PERP", "side": "SELL",
                    "type": "STOP_LOSS_MARKET", "size": "0.02", "trigger_price": "54000"}


def test_a_limit_price_for_a_market_style_order_is_refused_on_edit(ex):
    with pytest.raises(InvalidOrder, match="trigger price"):
        ex.modify_order_body(paradex_order("untriggered_stop_loss_market"), None, 54000)


async def test_an_edit_signs_modify_order_with_the_order_id(ex):
    body = ex.modify_order_body(paradex_order("open_limit"), 0.02, 61000)
    signed = await ex.sign_order_body(body, modify=True)
    credentials = await ex.load_credentials()
    r, s = (int(part) for part in json.loads(signed["signature"]))
    expected_hash = signing.modify_order_hash(ex.chain_id, int(TEST_L2_ADDRESS, 16),
                                              signed["signature_timestamp"], "BTC-USD-PERP", "BUY", "LIMIT",
                                              2_000_000, 6_100_000_000_000, "1763787600100201709190000001")
    assert signing.verify(credentials.signer.public_key, expected_hash, r, s)
