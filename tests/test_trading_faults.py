"""No duplicate, no lost order: the order methods against the sandbox while its network misbehaves."""
from __future__ import annotations

import asyncio

import pytest
from ccxt.base.errors import BadResponse, NullResponse, RateLimitExceeded

BTC = "BTC/USD:USDC"


async def resting_price(exchange) -> float:
    ticker = await exchange.fetch_ticker(BTC)
    return float(exchange.price_to_precision(BTC, ticker["bid"] * 0.9))


def orders_with_client_id(sandbox, account, client_id: str) -> list[dict]:
    return sandbox.engine.orders_history(hex(account.address), client_id=client_id)["results"]


async def test_order_whose_answer_was_lost_is_found_not_placed_again(trading, sandbox, sandbox_account):
    sandbox.faults.drop_after(method="POST", path="/v1/orders")
    order = await trading.create_order(BTC, "limit", "buy", 0.001, await resting_price(trading),
                                       {"clientOrderId": "lost-answer-1"})
    assert (order["clientOrderId"], order["status"]) == ("lost-answer-1", "open")
    assert len(orders_with_client_id(sandbox, sandbox_account, "lost-answer-1")) == 1


async def test_order_whose_request_never_arrived_is_sent_again_once(trading, sandbox, sandbox_account):
    sandbox.faults.drop_before(method="POST", path="/v1/orders")
    order = await trading.create_order(BTC, "limit", "buy", 0.001, await resting_price(trading),
                                       {"clientOrderId": "never-arrived-1"})
    assert order["status"] == "open"
    assert len(orders_with_client_id(sandbox, sandbox_account, "never-arrived-1")) == 1


async def test_order_refused_by_a_503_gateway_is_sent_again_once(trading, sandbox, sandbox_account):
    sandbox.faults.error(503, method="POST", path="/v1/orders")
    order = await trading.create_order(BTC, "limit", "buy", 0.001, await resting_price(trading),
                                       {"clientOrderId": "gateway-503-1"})
    assert order["status"] == "open"
    assert len(orders_with_client_id(sandbox, sandbox_account, "gateway-503-1")) == 1


async def test_throttled_order_raises_and_places_nothing(trading, sandbox, sandbox_account):
    sandbox.faults.throttle(method="POST", path="/v1/orders")
    with pytest.raises(RateLimitExceeded):
        await trading.create_order(BTC, "limit", "buy", 0.001, await resting_price(trading),
                                   {"clientOrderId": "throttled-1"})
    assert orders_with_client_id(sandbox, sandbox_account, "throttled-1") == []


async def test_batch_whose_answer_was_lost_returns_every_order_once(trading, sandbox, sandbox_account):
    price = await resting_price(trading)
    sandbox.faults.drop_after(method="POST", path="/v1/orders/batch")
    requests = [{"symbol": BTC, "type": "limit", "side": "buy", "amount": 0.001, "price": price,
                 "params": {"clientOrderId": f"lost-batch-{i}"}} for i in range(3)]
    orders = await trading.create_orders(requests)
    assert [o["clientOrderId"] for o in orders] == [f"lost-batch-{i}" for i in range(3)]
    assert all(o["id"] is not None for o in orders)
    for i in range(3):
        assert len(orders_with_client_id(sandbox, sandbox_account, f"lost-batch-{i}")) == 1


async def test_jwt_expired_early_is_renewed_and_the_call_succeeds(trading, sandbox):
    await trading.fetch_open_orders(BTC)
    sandbox.faults.expire_jwt(method="GET", path="/v1/orders")
    assert await trading.fetch_open_orders(BTC) == []
    assert trading.jwt_session.logins == 2


async def test_cancel_not_confirmed_in_time_is_open_and_pending_then_canceled(trading, sandbox):
    order = await trading.create_order(BTC, "limit", "buy", 0.001, await resting_price(trading))
    sandbox.faults.latency(0.3, method="GET", path="/v1/orders/*", count=None)
    pending = await trading.cancel_order(order["id"], BTC, {"confirmTimeout": 0})
    sandbox.faults.clear()
    assert (pending["id"], pending["status"], pending["cancelPending"]) == (order["id"], "open", True)
    await asyncio.sleep(sandbox.settings.cancel_delay + 0.1)
    final = await trading.fetch_order(order["id"], BTC)
    assert (final["status"], final["cancelReason"]) == ("canceled", "USER_CANCELED")


async def test_malformed_answer_to_a_read_raises_bad_response(trading, sandbox):
    sandbox.faults.malformed(method="GET", path="/v1/orders")
    with pytest.raises(BadResponse):
        await trading.fetch_open_orders(BTC)


async def test_empty_answer_to_a_read_raises_null_response(trading, sandbox):
    sandbox.faults.empty(method="GET", path="/v1/orders")
    with pytest.raises(NullResponse):
        await trading.fetch_open_orders(BTC)


@pytest.mark.parametrize("fault", ["malformed", "empty"])
async def test_order_answered_with_an_unreadable_body_is_found_not_placed_again(trading, sandbox, sandbox_account,
                                                                                fault):
    getattr(sandbox.faults, fault)(method="POST", path="/v1/orders")
    order = await trading.create_order(BTC, "limit", "buy", 0.001, await resting_price(trading),
                                       {"clientOrderId": f"unreadable-{fault}"})
    assert (order["clientOrderId"], order["status"]) == (f"unreadable-{fault}", "open")
    assert len(orders_with_client_id(sandbox, sandbox_account, f"unreadable-{fault}")) == 1
