"""create_order against Paradex-shaped cassettes, including requests lost in flight: no duplicate, no lost order."""
from __future__ import annotations

import pytest
from ccxt.base.errors import DuplicateOrderId, NetworkError, RateLimitExceeded, RequestTimeout

from tests.orders_support import check_order, ex, fail_first  # noqa: F401 (fixture)

BTC = "BTC/USD:USDC"


async def test_a_post_only_limit_order_is_created_new_and_reported_open(ex, vcr_cassette):
    with vcr_cassette("orders/create_limit_post_only.yaml") as cassette:
        order = await ex.create_order(BTC, "limit", "buy", 0.01, 60000, {"postOnly": True, "clientOrderId": "bot-21"})
    assert cassette.all_played
    assert (order["id"], order["clientOrderId"], order["status"]) == ("1763787600100201709190000021", "bot-21", "open")
    assert (order["postOnly"], order["timeInForce"]) == (True, "PO")
    check_order(ex, order, BTC)


async def test_a_market_order_is_sent_without_price_and_with_a_generated_client_id(ex, vcr_cassette):
    with vcr_cassette("orders/create_market_generated_client_id.yaml") as cassette:
        order = await ex.create_order(BTC, "market", "sell", 0.01)
    assert cassette.all_played
    assert "price" not in cassette.requests[0].body.decode()
    assert order["clientOrderId"].startswith("pccxt-")
    assert (order["type"], order["side"], order["status"]) == ("market", "sell", "open")
    check_order(ex, order, BTC)


async def test_a_stop_loss_order_is_created_reduce_only(ex, vcr_cassette):
    with vcr_cassette("orders/create_stop_loss_market.yaml") as cassette:
        order = await ex.create_order(BTC, "market", "sell", 0.01, None,
                                      {"stopLossPrice": 55000, "clientOrderId": "bot-23"})
    assert cassette.all_played
    assert (order["stopLossPrice"], order["triggerPrice"], order["reduceOnly"]) == (55000.0, 55000.0, True)
    check_order(ex, order, BTC)


async def test_after_a_timeout_an_order_that_got_through_is_returned_and_not_sent_again(ex, vcr_cassette):
    failed = fail_first(ex, "POST", "/orders", RequestTimeout("paradex POST timed out"))
    with vcr_cassette("orders/create_timeout_order_found_open.yaml") as cassette:
        order = await ex.create_order(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "bot-24"})
    assert len(failed) == 1
    assert cassette.all_played  # one look-up, no second POST
    assert (order["id"], order["clientOrderId"], order["status"]) == ("1763787600100201709190000024", "bot-24", "open")
    check_order(ex, order, BTC)


async def test_after_a_dropped_connection_an_order_that_already_filled_is_found_in_the_history(ex, vcr_cassette):
    fail_first(ex, "POST", "/orders", NetworkError("paradex connection reset"))
    with vcr_cassette("orders/create_timeout_order_found_in_history.yaml") as cassette:
        order = await ex.create_order(BTC, "limit", "buy", 0.01, 60000,
                                      {"clientOrderId": "bot-25", "timeInForce": "IOC"})
    assert cassette.all_played
    assert (order["status"], order["filled"]) == ("closed", 0.01)
    check_order(ex, order, BTC)


async def test_a_retry_refused_as_duplicate_returns_the_order_the_first_attempt_made(ex, vcr_cassette):
    fail_first(ex, "POST", "/orders", RequestTimeout("paradex POST timed out"))
    with vcr_cassette("orders/create_timeout_retry_told_duplicate.yaml") as cassette:
        order = await ex.create_order(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "bot-26"})
    assert cassette.all_played
    assert (order["id"], order["status"]) == ("1763787600100201709190000026", "open")
    check_order(ex, order, BTC)


async def test_an_order_that_never_arrived_is_sent_again_with_the_same_client_id(ex, vcr_cassette):
    fail_first(ex, "POST", "/orders", RequestTimeout("paradex POST timed out"))
    with vcr_cassette("orders/create_timeout_retry_places.yaml") as cassette:
        order = await ex.create_order(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "bot-27"})
    assert cassette.all_played
    assert (order["id"], order["clientOrderId"]) == ("1763787600100201709190000027", "bot-27")
    check_order(ex, order, BTC)


async def test_an_order_lost_twice_raises_the_timeout_naming_its_client_id(ex, vcr_cassette):
    failed = fail_first(ex, "POST", "/orders", RequestTimeout("paradex POST timed out"), times=2)
    with vcr_cassette("orders/create_timeout_twice_not_found.yaml") as cassette:
        with pytest.raises(RequestTimeout, match="bot-28"):
            await ex.create_order(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "bot-28"})
    assert len(failed) == 2
    assert cassette.all_played


async def test_a_generated_client_id_is_what_the_lookup_uses(ex, vcr_cassette):
    ex.uuid = lambda: "5f0c8a3e-4b7d-4e1f-9a2b-6c3d8e7f1a09"
    fail_first(ex, "POST", "/orders", RequestTimeout("paradex POST timed out"))
    with vcr_cassette("orders/create_generated_client_id_timeout_found.yaml") as cassette:
        order = await ex.create_order(BTC, "limit", "buy", 0.01, 60000)
    assert cassette.all_played
    assert order["clientOrderId"] == "pccxt-5f0c8a3e4b7d4e1f9a2b6c3d8e7f1a09"
    check_order(ex, order, BTC)


async def test_a_throttled_order_is_neither_looked_up_nor_retried(ex, vcr_cassette):
    with vcr_cassette("orders/create_rate_limited.yaml") as cassette:
        with pytest.raises(RateLimitExceeded):
            await ex.create_order(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "bot-30"})
    assert cassette.play_count == 1


async def test_a_client_id_the_caller_already_used_raises_duplicate_order_id(ex, vcr_cassette):
    with vcr_cassette("orders/create_client_id_reused.yaml") as cassette:
        with pytest.raises(DuplicateOrderId, match="DUPLICATED_CLIENT_ID"):
            await ex.create_order(BTC, "limit", "buy", 0.01, 60000, {"clientOrderId": "bot-31"})
    assert cassette.play_count == 1
