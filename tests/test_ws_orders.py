"""Order entry over the WebSocket (create_order_ws & co.) against the sandbox: the REST twins' results and promises,
lost answers on the socket, cancel-on-disconnect, REST and WS mixed on one account."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from ccxt.base.errors import ArgumentsRequired, OrderNotFound, RateLimitExceeded

from paradex_ccxt import paradex
from paradex_ccxt.sandbox import Sandbox, SandboxAccount, WsSettings
from paradex_ccxt.sandbox.ratelimit import Limit, RateLimitPolicy
from paradex_ccxt.sandbox.ws import HUB
from paradex_ccxt.sandbox.ws_orders import WsOrderSettings

from .orders_support import check_order
from .stream_support import SYMBOL, streaming_exchange, within


async def ws_trader(sandbox: Sandbox, account: SandboxAccount, **options: Any) -> paradex:
    """A trader on `sandbox` with the `trading` fixture's settings (quick cancel confirmation, 2 s timeout), whose
    REST order endpoints fail the test if used: what it sends must travel on the socket."""
    exchange = streaming_exchange(sandbox, account, cancelOrderConfirmInterval=20, recvWindowMargin=50, **options)
    exchange.timeout = 2000
    await exchange.load_markets()
    return exchange


def forbid_rest_orders(exchange: paradex) -> None:
    async def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("an order request went over REST")

    for name in ("privatePostOrders", "privatePostOrdersBatch", "privatePutOrdersOrderId", "privateDeleteOrders",
                 "privateDeleteOrdersOrderId", "privateDeleteOrdersByClientIdClientId", "privateDeleteOrdersBatch"):
        setattr(exchange, name, refuse)


@pytest.fixture
async def trader(sandbox: Sandbox, sandbox_account: SandboxAccount) -> AsyncIterator[paradex]:
    exchange = await ws_trader(sandbox, sandbox_account)
    forbid_rest_orders(exchange)
    try:
        yield exchange
    finally:
        await exchange.close()


async def resting_price(exchange: paradex) -> float:
    """10% under the mark: a buy there rests."""
    ticker = await exchange.fetch_ticker(SYMBOL)
    return float(exchange.price_to_precision(SYMBOL, float(ticker["info"]["mark_price"]) * 0.9))


def sandbox_status(sandbox: Sandbox, account: SandboxAccount, order_id: str) -> tuple[str, str]:
    order = sandbox.engine.get_order(hex(account.address), order_id)
    return order["status"], order["cancel_reason"]


def orders_with_client_id(sandbox: Sandbox, account: SandboxAccount, client_id: str) -> int:
    history = sandbox.engine.orders_history(hex(account.address), client_id=client_id)
    return len(history["results"])


def order_sessions(sandbox: Sandbox) -> list[Any]:
    return [s for s in sandbox.app[HUB].sessions if s.claims is not None and not s.socket.closed]


# -- each method -------------------------------------------------------------------------------------------------------

async def test_create_order_ws_places_a_resting_order(trader, sandbox, sandbox_account):
    placed = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, await resting_price(trader))
    assert (placed["status"], placed["amount"]) == ("open", 0.001)
    assert placed["clientOrderId"]
    assert sandbox_status(sandbox, sandbox_account, placed["id"])[0] == "OPEN"
    check_order(trader, placed, SYMBOL)


async def test_create_order_ws_validates_like_create_order(trader):
    with pytest.raises(ArgumentsRequired, match="needs a price"):
        await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, None)


async def test_create_orders_ws_places_every_order_in_input_order(trader):
    price = await resting_price(trader)
    placed = await trader.create_orders_ws([
        {"symbol": SYMBOL, "type": "limit", "side": "buy", "amount": 0.001 * (n + 1), "price": price}
        for n in range(3)])
    assert [(order["status"], order["amount"]) for order in placed] == [("open", 0.001), ("open", 0.002),
                                                                        ("open", 0.003)]


async def test_edit_order_ws_keeps_the_id_and_changes_amount_and_price(trader):
    price = await resting_price(trader)
    placed = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, price)
    lower = float(trader.price_to_precision(SYMBOL, price * 0.99))
    edited = await trader.edit_order_ws(placed["id"], SYMBOL, "limit", "buy", 0.002, lower)
    assert (edited["id"], edited["amount"], edited["price"]) == (placed["id"], 0.002, lower)


async def test_cancel_order_ws_returns_the_confirmed_cancel(trader):
    placed = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, await resting_price(trader))
    canceled = await trader.cancel_order_ws(placed["id"], SYMBOL)
    assert (canceled["status"], canceled["cancelReason"], canceled["cancelPending"]) == (
        "canceled", "USER_CANCELED", False)


async def test_cancel_order_ws_by_client_id_without_a_symbol_finds_the_market(trader):
    placed = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, await resting_price(trader))
    canceled = await trader.cancel_order_ws(None, None, {"clientOrderId": placed["clientOrderId"]})
    assert (canceled["id"], canceled["status"]) == (placed["id"], "canceled")


async def test_cancel_order_ws_of_an_unknown_order_is_order_not_found_with_paradex_code(trader):
    with pytest.raises(OrderNotFound, match="ORDER_ID_NOT_FOUND"):
        await trader.cancel_order_ws("1234567890", SYMBOL)


async def test_a_paradex_code_only_in_the_error_message_still_maps(make_sandbox):
    sandbox = await make_sandbox(ws=WsSettings(orders=WsOrderSettings(codes_in_data=False)))
    exchange = await ws_trader(sandbox, sandbox.create_account())
    try:
        with pytest.raises(OrderNotFound, match="ORDER_ID_NOT_FOUND"):
            await exchange.cancel_order_ws("1234567890", SYMBOL)
    finally:
        await exchange.close()


async def test_cancel_orders_ws_cancels_each_and_reports_an_unknown_one(trader):
    price = await resting_price(trader)
    placed = [await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, price) for _ in range(2)]
    results = await trader.cancel_orders_ws([placed[0]["id"], "999999", placed[1]["id"]], SYMBOL)
    assert [(r["status"], r.get("notFound", False)) for r in results] == [
        ("canceled", False), (None, True), ("canceled", False)]


async def test_cancel_all_orders_ws_returns_each_order_canceled(trader):
    price = await resting_price(trader)
    placed = await trader.create_orders_ws([
        {"symbol": SYMBOL, "type": "limit", "side": "buy", "amount": 0.001, "price": price} for _ in range(3)])
    canceled = await trader.cancel_all_orders_ws(SYMBOL)
    assert sorted(order["id"] for order in canceled) == sorted(order["id"] for order in placed)
    assert {(order["status"], order["cancelPending"]) for order in canceled} == {("canceled", False)}


# -- lost answers ------------------------------------------------------------------------------------------------------

async def test_an_order_whose_answer_was_lost_on_the_socket_is_found_not_duplicated(trader, sandbox, sandbox_account):
    price = await resting_price(trader)
    sandbox.stream_faults.drop_after_orders = 1
    placed = await within(trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, price), 10)
    assert (placed["status"], sandbox.stream_faults.drop_after_orders) == ("open", 0)
    assert orders_with_client_id(sandbox, sandbox_account, placed["clientOrderId"]) == 1


async def test_a_batch_whose_answer_was_lost_on_the_socket_is_found_not_duplicated(trader, sandbox, sandbox_account):
    price = await resting_price(trader)
    sandbox.stream_faults.drop_after_orders = 1
    placed = await within(trader.create_orders_ws([
        {"symbol": SYMBOL, "type": "limit", "side": "buy", "amount": 0.001, "price": price} for _ in range(2)]), 10)
    assert ([order["status"] for order in placed], sandbox.stream_faults.drop_after_orders) == (["open", "open"], 0)
    assert [orders_with_client_id(sandbox, sandbox_account, o["clientOrderId"]) for o in placed] == [1, 1]


async def test_an_order_left_unanswered_past_the_timeout_is_found_not_duplicated(trader, sandbox, sandbox_account):
    price = await resting_price(trader)
    sandbox.stream_faults.mute_orders = 1
    placed = await within(trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, price), 10)
    assert (placed["status"], sandbox.stream_faults.mute_orders) == ("open", 0)
    assert orders_with_client_id(sandbox, sandbox_account, placed["clientOrderId"]) == 1


async def test_a_cancel_whose_answer_was_lost_is_still_confirmed(trader, sandbox):
    placed = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, await resting_price(trader))
    sandbox.stream_faults.drop_after_orders = 1
    canceled = await within(trader.cancel_order_ws(placed["id"], SYMBOL), 10)
    assert (canceled["status"], canceled["cancelPending"], sandbox.stream_faults.drop_after_orders) == (
        "canceled", False, 0)


# -- cancel-on-disconnect ----------------------------------------------------------------------------------------------

async def test_a_dropped_connection_with_cancel_on_disconnect_closes_the_accounts_orders(
        sandbox, sandbox_account):
    trader = await ws_trader(sandbox, sandbox_account, cancelOnDisconnect=True)
    try:
        price = await resting_price(trader)
        over_ws = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, price)
        over_rest = await trader.create_order(SYMBOL, "limit", "buy", 0.001, price)
        assert sandbox.stream_faults.drop_connections() >= 1
        await within(wait_closed(sandbox, sandbox_account, [over_ws["id"], over_rest["id"]]))
        assert sandbox_status(sandbox, sandbox_account, over_ws["id"]) == ("CLOSED", "USER_CANCELED")
    finally:
        await trader.close()


async def test_cancel_on_disconnect_scoped_to_the_connection_spares_orders_placed_elsewhere(make_sandbox):
    sandbox = await make_sandbox(ws=WsSettings(orders=WsOrderSettings(cancel_on_disconnect_scope="connection")))
    account = sandbox.create_account()
    trader = await ws_trader(sandbox, account, cancelOnDisconnect=True)
    try:
        price = await resting_price(trader)
        over_ws = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, price)
        over_rest = await trader.create_order(SYMBOL, "limit", "buy", 0.001, price)
        sandbox.stream_faults.drop_connections()
        await within(wait_closed(sandbox, account, [over_ws["id"]]))
        assert sandbox_status(sandbox, account, over_rest["id"])[0] == "OPEN"
    finally:
        await trader.close()


async def test_without_cancel_on_disconnect_a_dropped_connection_leaves_the_orders(trader, sandbox, sandbox_account):
    placed = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, await resting_price(trader))
    sandbox.stream_faults.drop_connections()
    await within(wait_no_sessions(sandbox))
    assert sandbox_status(sandbox, sandbox_account, placed["id"])[0] == "OPEN"


async def test_cancel_on_disconnect_is_armed_again_on_the_new_connection(sandbox, sandbox_account):
    trader = await ws_trader(sandbox, sandbox_account, cancelOnDisconnect=True)
    try:
        price = await resting_price(trader)
        await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, price)
        sandbox.stream_faults.drop_connections()
        await within(wait_no_sessions(sandbox))
        await within(reconnected_create(trader, price))
        assert [s.orders.cancel_on_disconnect for s in order_sessions(sandbox)] == [True]
    finally:
        await trader.close()


async def test_set_cancel_on_disconnect_switches_it_at_runtime(trader, sandbox):
    await trader.set_cancel_on_disconnect(True)
    armed = [s.orders.cancel_on_disconnect for s in order_sessions(sandbox)]
    await trader.set_cancel_on_disconnect(False)
    assert (armed, [s.orders.cancel_on_disconnect for s in order_sessions(sandbox)]) == ([True], [False])


async def reconnected_create(trader: paradex, price: float) -> None:
    """The first order after a drop may meet the dying connection (an unknown outcome, resolved by its look-up);
    either way it ends placed."""
    placed = await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, price)
    assert placed["status"] == "open"


async def wait_closed(sandbox: Sandbox, account: SandboxAccount, ids: list[str]) -> None:
    while any(sandbox_status(sandbox, account, order_id)[0] != "CLOSED" for order_id in ids):
        await asyncio.sleep(0.01)


async def wait_no_sessions(sandbox: Sandbox) -> None:
    while sandbox.app[HUB].sessions:
        await asyncio.sleep(0.01)


# -- REST and WS on one account ----------------------------------------------------------------------------------------

async def test_orders_placed_over_rest_are_edited_and_cancelled_over_ws_and_back(sandbox, sandbox_account):
    exchange = await ws_trader(sandbox, sandbox_account)
    try:
        price = await resting_price(exchange)
        over_rest = await exchange.create_order(SYMBOL, "limit", "buy", 0.001, price)
        over_ws = await exchange.create_order_ws(SYMBOL, "limit", "buy", 0.001, price)
        edited = await exchange.edit_order_ws(over_rest["id"], SYMBOL, "limit", "buy", 0.002, price)
        canceled_by_rest = await exchange.cancel_order(over_ws["id"], SYMBOL)
        open_orders = await exchange.fetch_open_orders(SYMBOL)
        assert (edited["amount"], canceled_by_rest["status"]) == (0.002, "canceled")
        assert [order["id"] for order in open_orders] == [over_rest["id"]]
    finally:
        await exchange.close()


async def test_rest_and_ws_orders_draw_from_one_rate_limit(make_sandbox):
    sandbox = await make_sandbox(rate_limits=RateLimitPolicy(orders=(Limit(1, 60),)))
    account = sandbox.create_account()
    exchange = await ws_trader(sandbox, account)
    try:
        price = await resting_price(exchange)
        await exchange.create_order(SYMBOL, "limit", "buy", 0.001, price)
        with pytest.raises(RateLimitExceeded, match="42901"):
            await exchange.create_order_ws(SYMBOL, "limit", "buy", 0.001, price)
    finally:
        await exchange.close()


async def test_the_order_connection_is_separate_from_the_channel_connections(trader, sandbox):
    await trader.create_order_ws(SYMBOL, "limit", "buy", 0.001, await resting_price(trader))
    assert trader.orders_connection_url().endswith("#orders")
    assert [list(s.channels) for s in order_sessions(sandbox)] == [[]]
