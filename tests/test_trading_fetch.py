"""fetch_order (by id or client id, in any state) and the order lists, every page of them."""
from __future__ import annotations

import pytest
from ccxt.base.errors import OrderNotFound

from tests.orders_support import check_order, ex  # noqa: F401 (fixture)

BTC = "BTC/USD:USDC"
A = "1763787600100201709190000040"
T = 1763787600100


async def test_fetch_order_by_id(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_order_by_id.yaml") as cassette:
        order = await ex.fetch_order(A, BTC)
    assert cassette.all_played
    assert (order["id"], order["status"]) == (A, "open")
    check_order(ex, order, BTC)


async def test_fetch_order_by_client_id_while_it_is_open(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_order_by_client_id_open.yaml") as cassette:
        order = await ex.fetch_order(None, BTC, {"clientOrderId": "bot-40"})
    assert cassette.all_played
    assert (order["id"], order["clientOrderId"]) == (A, "bot-40")
    check_order(ex, order, BTC)


async def test_fetch_order_by_client_id_after_it_closed_falls_back_to_the_history(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_order_by_client_id_closed.yaml") as cassette:
        order = await ex.fetch_order(None, None, {"clientOrderId": "bot-42"})
    assert cassette.all_played
    assert (order["clientOrderId"], order["status"], order["filled"]) == ("bot-42", "canceled", 0.004)
    check_order(ex, order, BTC)


async def test_fetch_order_by_an_unknown_client_id_raises_order_not_found(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_order_by_client_id_unknown.yaml") as cassette:
        with pytest.raises(OrderNotFound, match="bot-98"):
            await ex.fetch_order(None, None, {"clientOrderId": "bot-98"})
    assert cassette.all_played


async def test_fetch_order_by_an_unknown_id_raises_order_not_found(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_order_unknown_id.yaml"):
        with pytest.raises(OrderNotFound):
            await ex.fetch_order("1763787600100201709190000041")


async def test_fetch_open_orders_in_one_market(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_open_orders_one_market.yaml") as cassette:
        orders = await ex.fetch_open_orders(BTC)
    assert cassette.all_played
    assert [(o["status"], o["filled"]) for o in orders] == [("open", 0.0), ("open", 0.006)]
    for order in orders:
        check_order(ex, order, BTC)


async def test_fetch_orders_follows_every_cursor_and_returns_oldest_first(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_orders_all_pages.yaml") as cassette:
        orders = await ex.fetch_orders()
    assert cassette.all_played
    assert [o["clientOrderId"] for o in orders] == ["h-0", "h-1", "h-2", "h-3", "h-4"]
    assert [o["status"] for o in orders] == ["closed", "canceled", "rejected", "expired", "canceled"]
    for order in orders:
        check_order(ex, order, BTC)


async def test_the_paginate_param_is_accepted(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_orders_all_pages.yaml") as cassette:
        orders = await ex.fetch_orders(None, None, None, {"paginate": True})
    assert cassette.all_played
    assert len(orders) == 5
    for order in orders:
        check_order(ex, order, BTC)


async def test_fetch_orders_with_a_limit_returns_the_newest(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_orders_newest_two.yaml") as cassette:
        orders = await ex.fetch_orders(None, None, 2)
    assert cassette.all_played
    assert [o["clientOrderId"] for o in orders] == ["h-3", "h-4"]
    for order in orders:
        check_order(ex, order, BTC)


async def test_fetch_orders_passes_market_since_and_until(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_orders_since_until_one_market.yaml") as cassette:
        orders = await ex.fetch_orders(BTC, T + 1000, None, {"until": T + 4000})
    assert cassette.all_played
    assert [o["clientOrderId"] for o in orders] == ["h-1", "h-2", "h-3", "h-4"]
    for order in orders:
        check_order(ex, order, BTC)


async def test_fetch_closed_orders_returns_only_fully_filled_orders(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_closed_history.yaml") as cassette:
        orders = await ex.fetch_closed_orders()
    assert cassette.all_played
    assert [(o["clientOrderId"], o["status"]) for o in orders] == [("h-0", "closed")]
    check_order(ex, orders[0], BTC)


async def test_fetch_canceled_orders_returns_every_order_that_ended_unfilled(ex, vcr_cassette):
    with vcr_cassette("orders/fetch_closed_history.yaml") as cassette:
        orders = await ex.fetch_canceled_orders()
    assert cassette.all_played
    assert [(o["clientOrderId"], o["status"]) for o in orders] == [
        ("h-1", "canceled"), ("h-2", "rejected"), ("h-3", "expired"), ("h-4", "canceled")]
    for order in orders:
        check_order(ex, order, BTC)
