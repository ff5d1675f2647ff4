"""cancel_order, cancel_orders, cancel_all_orders: Paradex queues a cancel (204); we report what really happened."""
from __future__ import annotations

import json

import pytest
from ccxt.base.errors import ArgumentsRequired, OrderNotFound

from paradex_ccxt.cancel_confirmation import recheck_waits
from tests.orders_support import check_order, ex  # noqa: F401 (fixture)

BTC = "BTC/USD:USDC"
A = "1763787600100201709190000040"


async def test_a_confirmed_cancel_returns_the_canceled_order(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_confirmed.yaml") as cassette:
        order = await ex.cancel_order(A, BTC)
    assert cassette.all_played  # looked up until CLOSED
    assert (order["id"], order["status"], order["cancelReason"]) == (A, "canceled", "USER_CANCELED")
    assert (order["filled"], order["cancelPending"], order["notFound"]) == (0.0, False, False)
    check_order(ex, order, BTC)


async def test_a_cancel_after_a_partial_fill_reports_the_fill(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_partially_filled.yaml"):
        order = await ex.cancel_order(A, BTC)
    assert (order["status"], order["filled"], order["remaining"]) == ("canceled", 0.004, 0.006)
    check_order(ex, order, BTC)


async def test_an_order_that_filled_before_the_cancel_landed_is_closed(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_filled_first.yaml"):
        order = await ex.cancel_order(A, BTC)
    assert (order["status"], order["filled"], order["cancelPending"]) == ("closed", 0.01, False)
    check_order(ex, order, BTC)


async def test_a_cancel_not_seen_within_the_deadline_is_open_and_marked_pending(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_unconfirmed.yaml") as cassette:
        order = await ex.cancel_order(A, BTC, {"confirmTimeout": 3})
    assert cassette.play_count >= 2  # the cancel and as many look-ups as fit in 3 ms
    assert (order["status"], order["cancelPending"], order["filled"]) == ("open", True, 0.0)
    check_order(ex, order, BTC)


async def test_the_confirm_deadline_is_an_option(ex, vcr_cassette):
    ex.options["cancelOrderConfirmTimeout"] = 3
    with vcr_cassette("orders/cancel_unconfirmed.yaml") as cassette:
        order = await ex.cancel_order(A, BTC)
    assert cassette.play_count >= 2
    assert order["cancelPending"] is True


async def test_a_zero_deadline_does_not_wait_and_still_returns_the_id(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_no_wait.yaml") as cassette:
        order = await ex.cancel_order(A, BTC, {"confirmTimeout": 0})
    assert cassette.all_played
    assert (order["id"], order["symbol"], order["status"], order["cancelPending"]) == (A, BTC, "open", True)
    check_order(ex, order, BTC)


async def test_cancelling_a_closed_order_returns_its_final_state(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_already_closed.yaml") as cassette:
        order = await ex.cancel_order(A, BTC)
    assert cassette.all_played
    assert (order["status"], order["filled"], order["cancelPending"]) == ("closed", 0.01, False)
    check_order(ex, order, BTC)


async def test_cancelling_an_unknown_order_raises_order_not_found(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_unknown.yaml") as cassette:
        with pytest.raises(OrderNotFound, match="ORDER_ID_NOT_FOUND"):
            await ex.cancel_order("1763787600100201709190000041", BTC)
    assert cassette.all_played


async def test_a_cancel_by_client_id_sends_the_market_and_confirms(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_by_client_id.yaml") as cassette:
        order = await ex.cancel_order(None, BTC, {"clientOrderId": "bot-42"})
    assert cassette.all_played
    assert cassette.requests[0].query == [("market", "BTC-USD-PERP")]
    assert (order["id"], order["clientOrderId"], order["status"]) == (
        "1763787600100201709190000042", "bot-42", "canceled")
    check_order(ex, order, BTC)


async def test_a_cancel_needs_an_id_or_a_client_id(ex):
    with pytest.raises(ArgumentsRequired):
        await ex.cancel_order(None, BTC)


async def test_a_batch_cancel_reports_each_id_in_input_order_with_its_real_state(ex, vcr_cassette):
    ids = [A, "1763787600100201709190000043", "1763787600100201709190000044"]
    with vcr_cassette("orders/cancel_orders_mixed.yaml") as cassette:
        orders = await ex.cancel_orders(ids, None, {"clientOrderIds": ["bot-45"]})
    assert cassette.all_played
    assert json.loads(cassette.requests[0].body) == {"order_ids": ids, "client_order_ids": ["bot-45"]}
    queued, already_closed, unknown, by_client_id = orders
    assert (queued["id"], queued["status"], queued["cancelPending"]) == (A, "canceled", False)
    assert (already_closed["symbol"], already_closed["status"], already_closed["filled"]) == (
        "ETH/USD:USDC", "closed", 0.01)
    assert (unknown["id"], unknown["status"], unknown["notFound"]) == (ids[2], None, True)
    assert unknown["info"] == {"id": ids[2], "status": "NOT_FOUND"}
    assert (by_client_id["clientOrderId"], by_client_id["status"], by_client_id["filled"]) == (
        "bot-45", "canceled", 0.006)
    for order in orders:
        check_order(ex, order)


async def test_a_batch_cancel_where_nothing_is_found_raises_order_not_found(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_orders_none_found.yaml"):
        with pytest.raises(OrderNotFound):
            await ex.cancel_orders(["1763787600100201709190000044"], None, {"clientOrderIds": ["bot-99"]})


async def test_cancel_all_in_one_market_returns_the_orders_that_were_open_confirmed(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_all_orders_one_market.yaml") as cassette:
        orders = await ex.cancel_all_orders(BTC)
    assert cassette.all_played
    assert [(o["id"], o["status"], o["filled"]) for o in orders] == [
        (A, "canceled", 0.0), ("1763787600100201709190000045", "canceled", 0.006)]
    for order in orders:
        check_order(ex, order, BTC)


async def test_cancel_all_markets_without_waiting_returns_the_open_orders_pending(ex, vcr_cassette):
    with vcr_cassette("orders/cancel_all_orders_no_wait.yaml") as cassette:
        orders = await ex.cancel_all_orders(None, {"confirmTimeout": 0})
    assert cassette.all_played
    assert [(o["symbol"], o["status"], o["cancelPending"]) for o in orders] == [
        (BTC, "open", True), ("ETH/USD:USDC", "open", True)]
    for order in orders:
        check_order(ex, order)


def test_cancel_rechecks_start_fast_and_slow_down_to_the_interval():
    assert recheck_waits(2000, 250) == [25, 50, 100, 200] + [250] * 6


def test_cancel_rechecks_fit_in_the_deadline():
    assert sum(recheck_waits(700, 250)) <= 700
    assert recheck_waits(0, 250) == []
