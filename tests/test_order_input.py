"""What callers pass to the order methods: every unified number is read the same whatever its Python type, flags
must be real booleans, raw params may not contradict the arguments, and anything else is a ccxt error naming the
argument, raised before a request is sent."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest
from ccxt.base.errors import BadRequest, BadSymbol, BaseError, InvalidOrder
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.order_soak import every_order
from tests.orders_support import ex  # noqa: F401 (fixture)

BTC = "BTC/USD:USDC"
MARKET_PRICE = 60000


@pytest.mark.parametrize("amount", [0.01, "0.01", Decimal("0.01"), " 0.01 ", "1e-2"])
def test_an_amount_means_the_same_as_int_float_str_or_decimal(ex, amount):
    assert ex.create_order_body(BTC, "limit", "buy", amount, 60000)["size"] == "0.01"


@pytest.mark.parametrize("price", [60000, 60000.0, "60000", Decimal("60000")])
def test_a_price_means_the_same_as_int_float_str_or_decimal(ex, price):
    assert ex.create_order_body(BTC, "limit", "buy", 0.01, price)["price"] == "60000"


def test_a_decimal_stop_loss_price_makes_a_stop_loss_order(ex):
    body = ex.create_order_body(BTC, "market", "sell", 0.01, None, {"stopLossPrice": Decimal("55000")})
    assert (body["type"], body["trigger_price"], body["flags"]) == ("STOP_LOSS_MARKET", "55000", ["REDUCE_ONLY"])


@pytest.mark.parametrize("param", ["triggerPrice", "stopLossPrice", "takeProfitPrice", "stopPrice"])
@pytest.mark.parametrize("value", ["", "  ", "abc", "nan", "inf", True, [1], {"p": 1}, math.nan, -5, 0])
def test_a_trigger_price_that_is_not_a_positive_number_is_refused(ex, param, value):
    with pytest.raises(InvalidOrder, match=param if param != "stopPrice" else "triggerPrice"):
        ex.create_order_body(BTC, "limit", "sell", 0.01, 60000, {param: value})


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "abc", "", "0x10", "1_000", True, None, [0.01],
                                   Decimal("NaN"), Decimal("Infinity"), 1e308, "1e999999", -0.01])
def test_an_amount_that_is_not_a_usable_number_is_refused_naming_it(ex, value):
    with pytest.raises((InvalidOrder, BaseError), match="amount"):
        ex.create_order_body(BTC, "limit", "buy", value, 60000)


@pytest.mark.parametrize("value", [math.nan, math.inf, "abc", True, {"x": 1}, Decimal("sNaN"), 1e308, -1, 0])
def test_a_price_that_is_not_a_usable_number_is_refused_naming_it(ex, value):
    with pytest.raises(InvalidOrder, match="price"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, value)


@pytest.mark.parametrize("flag", ["reduceOnly", "postOnly", "rpi", "reduce_only"])
@pytest.mark.parametrize("value", [1, 0, "true", "false", "yes", [True]])
def test_a_flag_must_be_a_real_boolean(ex, flag, value):
    with pytest.raises(InvalidOrder, match=flag):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {flag: value})


@pytest.mark.parametrize("symbol", [None, 5, b"BTC/USD:USDC", ["BTC/USD:USDC"], ""])
def test_a_symbol_that_is_not_a_string_is_a_bad_symbol(ex, symbol):
    with pytest.raises(BadSymbol, match="symbol"):
        ex.create_order_body(symbol, "limit", "buy", 0.01, 60000)


@pytest.mark.parametrize(("type_", "side", "named"), [(5, "buy", "type"), ("limit", None, "side"),
                                                     ("limit", 1, "side"), (["limit"], "buy", "type")])
def test_a_type_or_side_that_is_not_a_string_is_refused_naming_it(ex, type_, side, named):
    with pytest.raises(InvalidOrder, match=named):
        ex.create_order_body(BTC, type_, side, 0.01, 60000)


@pytest.mark.parametrize("client_id", ["a\nb", "a b", "é", "x" * 65, 1.5, ["a"], "\x00"])
def test_a_client_id_paradex_cannot_take_is_refused(ex, client_id):
    with pytest.raises(InvalidOrder, match="clientOrderId"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": client_id})


@pytest.mark.parametrize(("raw", "value"), [("side", "SELL"), ("size", "0.5"), ("type", "MARKET"),
                                            ("market", "ETH-USD-PERP"), ("instruction", "IOC"), ("price", "1")])
def test_a_raw_param_that_contradicts_the_arguments_is_refused(ex, raw, value):
    with pytest.raises(BadRequest, match=raw):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {raw: value})


def test_a_raw_param_that_agrees_with_the_arguments_is_accepted(ex):
    body = ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"side": "BUY", "size": "0.010"})
    assert (body["side"], body["size"]) == ("BUY", "0.01")


@pytest.mark.parametrize("raw", ["signature", "signature_timestamp"])
def test_a_signature_cannot_be_passed_in(ex, raw):
    with pytest.raises(BadRequest, match=raw):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {raw: "0x1"})


def test_a_param_paradex_orders_do_not_have_is_refused_rather_than_dropped(ex):
    with pytest.raises(BadRequest, match="stopLoss"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"stopLoss": {"triggerPrice": 55000}})


def test_raw_fields_no_argument_covers_are_checked_and_kept(ex):
    body = ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"flags": ["interactive"], "dime_discount": True})
    assert (body["flags"], body["dime_discount"]) == (["INTERACTIVE"], True)
    with pytest.raises(BadRequest, match="flags"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"flags": ["FAST"]})


def test_a_raw_price_on_a_market_order_is_refused(ex):
    with pytest.raises(BadRequest, match="price"):
        ex.create_order_body(BTC, "market", "buy", 0.01, None, {"price": "60000"})


def test_every_order_carries_a_recv_window_no_longer_than_the_client_waits(ex):
    ex.options.pop("orderRecvWindow", None)
    ex.timeout = 1500
    assert ex.create_order_body(BTC, "limit", "buy", 0.01, 60000)["recv_window"] == 1500


@pytest.mark.parametrize("window", [5, "abc", 1.5, True])
def test_a_recv_window_must_be_a_whole_number_of_at_least_10_ms(ex, window):
    with pytest.raises(InvalidOrder, match="recv_window"):
        ex.create_order_body(BTC, "limit", "buy", 0.01, 60000, {"recv_window": window})


@pytest.mark.parametrize("param", ["postOnly", "clientOrderId", "timeInForce", "reduceOnly", "stp"])
def test_edit_refuses_what_a_modification_cannot_carry(ex, param):
    current = {"id": "1", "market": "BTC-USD-PERP", "side": "BUY", "type": "LIMIT", "size": "0.01",
               "price": "60000", "trigger_price": "0", "flags": []}
    with pytest.raises(BadRequest, match=param):
        ex.modify_order_body(current, 0.02, 60000, {param: "x"})


def test_edit_checks_the_new_size_as_create_does(ex):
    current = {"id": "1", "market": "BTC-USD-PERP", "side": "BUY", "type": "LIMIT", "size": "0.01",
               "price": "60000", "trigger_price": "0", "flags": []}
    with pytest.raises(InvalidOrder, match="minimum"):
        ex.modify_order_body(current, 0.00001, None)
    with pytest.raises(InvalidOrder, match="amount"):
        ex.modify_order_body(current, math.nan, None)


# -- property: any call either raises a ccxt error, or builds the order its arguments describe ------------------------

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
    st.decimals(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.sampled_from(["0.01", "60000", "1e-3", "  2 ", "", "nan"]), st.none(), st.booleans())
FLAGS = st.one_of(st.booleans(), st.none(), st.integers(0, 1), st.sampled_from(["true", "false"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(type_=st.sampled_from(["limit", "market", "LIMIT", "stop", 3, None]),
       side=st.sampled_from(["buy", "sell", "SELL", "hold", None, 1]),
       amount=NUMBERS, price=NUMBERS, trigger=NUMBERS, reduce_only=FLAGS, post_only=FLAGS,
       tif=st.sampled_from([None, "GTC", "IOC", "PO", "FOK", 5]))
def test_any_call_raises_a_ccxt_error_or_builds_the_order_it_describes(ex, type_, side, amount, price, trigger,
                                                                       reduce_only, post_only, tif):
    params = {key: value for key, value in {"triggerPrice": trigger, "reduceOnly": reduce_only,
                                            "postOnly": post_only, "timeInForce": tif}.items() if value is not None}
    try:
        body = ex.create_order_body(BTC, type_, side, amount, price, params)
    except BaseError:
        return
    assert body["side"] == side.upper()
    assert body["type"] == (("STOP_" if trigger is not None else "") + type_.upper())
    assert Decimal(body["size"]) == Decimal(ex.amount_to_precision(BTC, Decimal(str(amount).strip())))
    if type_.lower() == "limit":
        assert Decimal(body["price"]) == Decimal(ex.price_to_precision(BTC, Decimal(str(price).strip())))
    else:
        assert "price" not in body
    if trigger is not None:
        assert Decimal(body["trigger_price"]) == Decimal(ex.price_to_precision(BTC, Decimal(str(trigger).strip())))
    assert ("REDUCE_ONLY" in body.get("flags", [])) is (reduce_only is True)
    expected = {"GTC": "GTC", "IOC": "IOC", "PO": "POST_ONLY", None: "GTC"}[tif]
    if post_only is True:
        expected = "POST_ONLY"
    assert body["instruction"] == expected


def test_any_real_number_type_is_read_by_its_value(ex):
    from fractions import Fraction
    assert ex.create_order_body(BTC, "limit", "buy", Fraction(1, 100), 60000)["size"] == "0.01"


async def test_an_order_without_credentials_is_refused_before_any_request():
    from ccxt.base.errors import AuthenticationError

    from paradex_ccxt import paradex
    exchange = paradex({"urls": {"api": {"v1": "http://127.0.0.1:9/v1"}}})  # nothing listens there
    try:
        with pytest.raises(AuthenticationError):
            await exchange.create_order(BTC, "limit", "buy", 0.01, 60000)
        with pytest.raises(AuthenticationError):
            await exchange.cancel_order("1763787600100201709190000040", BTC)
    finally:
        await exchange.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(type_=st.sampled_from(["limit", "market"]), side=st.sampled_from(["buy", "sell"]),
       amount=st.sampled_from([0.001, "0.002", Decimal("0.0015"), 0.0031]),
       offset=st.sampled_from([0.9, 0.95, 1.05]), as_type=st.sampled_from([float, str, Decimal]),
       trigger=st.sampled_from([None, "stop", "stopLossPrice", "takeProfitPrice"]),
       reduce_only=st.sampled_from([None, False, True]), tif=st.sampled_from([None, "GTC", "IOC", "PO"]))
async def test_a_placed_order_is_on_the_sandbox_as_its_arguments_said(trading, sandbox, sandbox_account, type_, side,
                                                                      amount, offset, as_type, trigger, reduce_only,
                                                                      tif):
    mark = 60000.0
    price = as_type(trading.price_to_precision(BTC, mark * offset)) if type_ == "limit" else None
    params: dict = {}
    if trigger is not None:
        params["triggerPrice" if trigger == "stop" else trigger] = as_type(trading.price_to_precision(BTC, mark))
    if reduce_only is not None:
        params["reduceOnly"] = reduce_only
    if tif is not None:
        params["timeInForce"] = tif
    try:
        order = await trading.create_order(BTC, type_, side, amount, price, params)
    except BaseError:
        return
    event("placed")
    [placed] = [o for o in every_order(sandbox, hex(sandbox_account.address)) if o["id"] == order["id"]]
    kind = {None: "", "stop": "STOP_", "stopLossPrice": "STOP_LOSS_", "takeProfitPrice": "TAKE_PROFIT_"}[trigger]
    assert (placed["side"], placed["type"]) == (side.upper(), kind + type_.upper())
    assert Decimal(placed["size"]) == Decimal(trading.amount_to_precision(BTC, Decimal(str(amount))))
    if type_ == "limit":
        assert Decimal(placed["price"]) == Decimal(str(price))
    if trigger is not None:
        assert Decimal(placed["trigger_price"]) == Decimal(trading.price_to_precision(BTC, mark))
    assert ("REDUCE_ONLY" in placed["flags"]) is bool(reduce_only or trigger in ("stopLossPrice", "takeProfitPrice"))
    assert placed["instruction"] == {None: "GTC", "GTC": "GTC", "IOC": "IOC", "PO": "POST_ONLY"}[tif]
