"""Order routes of the sandbox over HTTP: Paradex's status codes, bodies, signatures and the delayed cancel."""
from __future__ import annotations

import time
from decimal import Decimal

import pytest

from paradex_ccxt.sandbox.catalog import dec_str
from tests.sandbox_fixture import SandboxClient

BTC = "BTC-USD-PERP"
ETH = "ETH-USD-PERP"
ORDER_FIELDS = {"id", "account", "market", "side", "type", "size", "remaining_size", "price", "avg_fill_price",
                "trigger_price", "instruction", "flags", "stp", "status", "cancel_reason", "client_id", "timestamp",
                "created_at", "received_at", "published_at", "last_updated_at", "seq_no"}


async def resting_price(client: SandboxClient, market: str = BTC, tick: str = "0.1") -> str:
    """2% under the best bid, on the tick: a buy that rests without filling."""
    _, bbo, _ = await client.get(f"/bbo/{market}")
    return dec_str((Decimal(bbo["bid"]) * Decimal("0.98")).quantize(Decimal(tick)))


async def place(client: SandboxClient, market: str = BTC, size: str = "0.001", **extra) -> dict:
    tick = "0.1" if market == BTC else "0.01"
    status, order, _ = await client.post("/orders", client.order(market, "BUY", "LIMIT", size,
                                                                 await resting_price(client, market, tick), **extra))
    assert status == 201, order
    return order


@pytest.fixture
async def slow_cancel_client(make_sandbox, http_session) -> SandboxClient:
    """A client on a sandbox whose cancels take 0.5 s to land."""
    sandbox = await make_sandbox(cancel_delay=0.5)
    return SandboxClient(sandbox, sandbox.create_account(), http_session)


# -- create ----------------------------------------------------------------------------------------------------------

async def test_new_order_is_answered_201_new_then_rests_open(sandbox_client, sandbox_account):
    price = await resting_price(sandbox_client)
    status, order, _ = await sandbox_client.post("/orders", sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", price,
                                                                                 client_id="c-1"))
    assert status == 201 and set(order) == ORDER_FIELDS
    assert (order["status"], order["market"], order["side"], order["type"]) == ("NEW", BTC, "BUY", "LIMIT")
    assert (order["size"], order["remaining_size"], order["price"]) == ("0.001", "0.001", price)
    assert order["account"] == hex(sandbox_account.address) and order["client_id"] == "c-1"
    _, later, _ = await sandbox_client.get(f"/orders/{order['id']}")
    assert later["status"] == "OPEN" and later["id"] == order["id"]


async def test_order_whose_fields_differ_from_what_was_signed_is_rejected(sandbox_client):
    body = sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", await resting_price(sandbox_client))
    body["size"] = "0.002"
    status, error, _ = await sandbox_client.post("/orders", body)
    assert (status, error["error"]) == (400, "INVALID_ORDER_SIGNATURE")
    assert (await sandbox_client.get("/orders"))[1] == {"results": []}


async def test_order_signed_by_another_account_is_rejected(sandbox, sandbox_client, http_session):
    other = SandboxClient(sandbox, sandbox.create_account(), http_session)
    body = other.order(BTC, "BUY", "LIMIT", "0.001", await resting_price(sandbox_client))
    status, error, _ = await sandbox_client.post("/orders", body)
    assert (status, error["error"]) == (400, "INVALID_ORDER_SIGNATURE")


async def test_order_for_an_unknown_market_is_market_not_found(sandbox_client):
    status, error, _ = await sandbox_client.post("/orders", sandbox_client.order("NOPE-USD-PERP", "BUY", "LIMIT",
                                                                                 "1", "10"))
    assert (status, error["error"]) == (400, "MARKET_NOT_FOUND")


async def test_reused_client_id_of_an_open_order_is_duplicated(sandbox_client):
    await place(sandbox_client, client_id="dup")
    status, error, _ = await sandbox_client.post("/orders", sandbox_client.order(
        BTC, "BUY", "LIMIT", "0.001", await resting_price(sandbox_client), client_id="dup"))
    assert (status, error["error"]) == (400, "DUPLICATED_CLIENT_ID")


async def test_market_order_fills_and_updates_fills_and_positions(sandbox_client):
    status, order, _ = await sandbox_client.post("/orders", sandbox_client.order(BTC, "BUY", "MARKET", "0.002"))
    assert status == 201 and order["price"] == "0"
    closed = await sandbox_client.wait_for(order["id"], "CLOSED")
    assert (closed["remaining_size"], closed["cancel_reason"]) == ("0", "") and closed["avg_fill_price"]
    _, fills, _ = await sandbox_client.get("/fills", market=BTC)
    assert sum(Decimal(f["size"]) for f in fills["results"]) == Decimal("0.002")
    assert all(f["order_id"] == order["id"] and f["liquidity"] == "TAKER" for f in fills["results"])
    (position,) = (await sandbox_client.get("/positions"))[1]["results"]
    assert (position["market"], position["side"], position["size"]) == (BTC, "LONG", "0.002")


async def test_order_beyond_the_margin_is_accepted_then_closed_not_enough_margin(make_sandbox, http_session):
    sandbox = await make_sandbox()
    client = SandboxClient(sandbox, sandbox.create_account(balance="10"), http_session)
    order = await place(client, size="0.05")
    closed = await client.wait_for(order["id"], "CLOSED")
    assert closed["cancel_reason"] == "NOT_ENOUGH_MARGIN" and closed["remaining_size"] == "0.05"


# -- recv_window: how late an order may reach the gateway ----------------------------------------------------------

class MovableClock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


async def test_order_reaching_the_gateway_after_its_recv_window_is_refused_and_not_created(sandbox, sandbox_client):
    price = await resting_price(sandbox_client)
    sandbox.faults.latency(0.05, method="POST", path="/v1/orders")
    status, error, _ = await sandbox_client.post("/orders", sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", price,
                                                                                 recv_window=10))
    assert (status, error["error"]) == (400, "INVALID_TIMESTAMP")
    assert (await sandbox_client.get("/orders"))[1] == {"results": []}


async def test_order_delayed_within_its_recv_window_is_accepted(sandbox, sandbox_client):
    price = await resting_price(sandbox_client)
    sandbox.faults.latency(0.05, method="POST", path="/v1/orders")
    status, order, _ = await sandbox_client.post("/orders", sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", price,
                                                                                 recv_window=5000))
    assert (status, order["status"]) == (201, "NEW")


@pytest.mark.parametrize("late_by, accepted", [(299, True), (301, False)])
async def test_an_order_without_recv_window_gets_paradex_default_of_five_minutes(make_sandbox, http_session,
                                                                                   late_by, accepted):
    clock = MovableClock()
    sandbox = await make_sandbox(clock=clock, jwt_lifetime=3600)
    client = SandboxClient(sandbox, sandbox.create_account(), http_session)
    body = client.order(BTC, "BUY", "LIMIT", "0.001", await resting_price(client))
    clock.offset += late_by
    status, answer, _ = await client.post("/orders", body)
    assert (status, answer.get("error")) == ((201, None) if accepted else (400, "INVALID_TIMESTAMP"))


@pytest.mark.parametrize("recv_window", [9, "5000", 0])
async def test_recv_window_must_be_an_integer_of_at_least_ten_ms(sandbox_client, recv_window):
    body = sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", await resting_price(sandbox_client),
                                recv_window=recv_window)
    status, error, _ = await sandbox_client.post("/orders", body)
    assert (status, error["error"]) == (400, "VALIDATION_ERROR")


async def test_batch_with_one_order_past_its_recv_window_is_rejected_whole(sandbox, sandbox_client):
    price = await resting_price(sandbox_client)
    bodies = [sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", price, recv_window=5000 if i != 1 else 10)
              for i in range(3)]
    sandbox.faults.latency(0.05, method="POST", path="/v1/orders/batch")
    status, error, _ = await sandbox_client.post("/orders/batch", bodies)
    assert (status, error["error"]) == (400, "INVALID_TIMESTAMP")
    assert (await sandbox_client.get("/orders"))[1] == {"results": []}


# -- batch -----------------------------------------------------------------------------------------------------------

async def test_batch_creates_each_order(sandbox_client):
    price = await resting_price(sandbox_client)
    bodies = [sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", price, client_id=f"b-{i}") for i in range(3)]
    status, body, _ = await sandbox_client.post("/orders/batch", bodies)
    assert status == 201 and body["errors"] == []
    assert [o["client_id"] for o in body["orders"]] == ["b-0", "b-1", "b-2"]
    assert all(o["status"] == "NEW" for o in body["orders"])


async def test_batch_with_one_bad_signature_is_rejected_whole(sandbox_client):
    price = await resting_price(sandbox_client)
    bodies = [sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", price) for _ in range(3)]
    bodies[1]["price"] = dec_str(Decimal(price) - 1)
    status, error, _ = await sandbox_client.post("/orders/batch", bodies)
    assert (status, error["error"]) == (400, "INVALID_ORDER_SIGNATURE")
    assert (await sandbox_client.get("/orders"))[1] == {"results": []}


@pytest.mark.parametrize("count", [0, 11])
async def test_batch_size_outside_1_to_10_is_refused(sandbox_client, count):
    price = await resting_price(sandbox_client)
    bodies = [sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", price) for _ in range(count)]
    status, error, _ = await sandbox_client.post("/orders/batch", bodies)
    assert (status, error["error"]) == (400, "BATCH_SIZE_OUT_OF_RANGE")


# -- reads -----------------------------------------------------------------------------------------------------------

async def test_get_unknown_order_is_order_id_not_found(sandbox_client):
    status, error, _ = await sandbox_client.get("/orders/1700000000000201700000000001")
    assert (status, error["error"]) == (404, "ORDER_ID_NOT_FOUND")


async def test_get_by_client_id_serves_open_orders_only(sandbox_client):
    order = await place(sandbox_client, client_id="mine")
    status, found, _ = await sandbox_client.get("/orders/by_client_id/mine")
    assert status == 200 and found["id"] == order["id"]
    await sandbox_client.delete(f"/orders/{order['id']}")
    await sandbox_client.wait_for(order["id"], "CLOSED")
    status, error, _ = await sandbox_client.get("/orders/by_client_id/mine")
    assert (status, error["error"]) == (404, "CLIENT_ORDER_ID_NOT_FOUND")


async def test_open_orders_filter_by_market(sandbox_client):
    btc = await place(sandbox_client, BTC)
    eth = await place(sandbox_client, ETH, size="0.01")
    assert {o["id"] for o in (await sandbox_client.get("/orders"))[1]["results"]} == {btc["id"], eth["id"]}
    assert [o["id"] for o in (await sandbox_client.get("/orders", market=ETH))[1]["results"]] == [eth["id"]]


async def test_orders_history_pages_with_cursor_until_next_is_null(sandbox_client):
    ids = {(await place(sandbox_client, client_id=f"h-{i}"))["id"] for i in range(3)}
    status, first, _ = await sandbox_client.get("/orders-history", page_size=2)
    assert status == 200 and len(first["results"]) == 2 and first["next"]
    _, second, _ = await sandbox_client.get("/orders-history", page_size=2, cursor=first["next"])
    assert len(second["results"]) == 1 and second["next"] is None
    assert {o["id"] for o in first["results"] + second["results"]} == ids


# -- cancel ----------------------------------------------------------------------------------------------------------

async def test_cancel_is_204_empty_and_lands_after_the_pending_window(slow_cancel_client):
    client = slow_cancel_client
    order = await place(client)
    status, body, _ = await client.delete(f"/orders/{order['id']}")
    assert (status, body) == (204, None)
    assert (await client.get(f"/orders/{order['id']}"))[1]["status"] == "OPEN"
    closed = await client.wait_for(order["id"], "CLOSED")
    assert (closed["status"], closed["cancel_reason"]) == ("CLOSED", "USER_CANCELED")


async def test_cancelling_a_closed_order_is_order_is_closed(sandbox_client):
    order = await place(sandbox_client)
    await sandbox_client.delete(f"/orders/{order['id']}")
    await sandbox_client.wait_for(order["id"], "CLOSED")
    status, error, _ = await sandbox_client.delete(f"/orders/{order['id']}")
    assert (status, error["error"]) == (400, "ORDER_IS_CLOSED")


async def test_cancelling_an_unknown_order_is_order_id_not_found(sandbox_client):
    status, error, _ = await sandbox_client.delete("/orders/1700000000000201700000000001")
    assert (status, error["error"]) == (404, "ORDER_ID_NOT_FOUND")


async def test_cancel_by_client_id(sandbox_client):
    order = await place(sandbox_client, client_id="bye")
    status, body, _ = await sandbox_client.delete("/orders/by_client_id/bye")
    assert (status, body) == (204, None)
    assert (await sandbox_client.wait_for(order["id"], "CLOSED"))["cancel_reason"] == "USER_CANCELED"
    status, error, _ = await sandbox_client.delete("/orders/by_client_id/bye")
    assert (status, error["error"]) == (404, "CLIENT_ORDER_ID_NOT_FOUND")


async def test_cancel_all_of_one_market_leaves_the_others(sandbox_client):
    btc = await place(sandbox_client, BTC)
    eth = await place(sandbox_client, ETH, size="0.01")
    status, body, _ = await sandbox_client.delete("/orders", market=BTC)
    assert (status, body) == (204, None)
    assert (await sandbox_client.wait_for(btc["id"], "CLOSED"))["status"] == "CLOSED"
    assert (await sandbox_client.get(f"/orders/{eth['id']}"))[1]["status"] == "OPEN"


async def test_cancel_all_without_market_cancels_everything(sandbox_client):
    orders = [await place(sandbox_client, BTC), await place(sandbox_client, ETH, size="0.01")]
    assert (await sandbox_client.delete("/orders"))[0] == 204
    for order in orders:
        assert (await sandbox_client.wait_for(order["id"], "CLOSED"))["cancel_reason"] == "USER_CANCELED"


async def test_batch_cancel_reports_each_id(sandbox_client, sandbox_account):
    open_order = await place(sandbox_client, client_id="q")
    closed = await place(sandbox_client)
    await sandbox_client.delete(f"/orders/{closed['id']}")
    await sandbox_client.wait_for(closed["id"], "CLOSED")
    missing = "1700000000000201700000000001"
    status, body, _ = await sandbox_client.delete("/orders/batch", {"order_ids": [closed["id"], missing],
                                                                    "client_order_ids": ["q"]})
    assert status == 200
    by_status = {r["status"]: r for r in body["results"]}
    assert by_status["ALREADY_CLOSED"]["id"] == closed["id"]
    assert by_status["NOT_FOUND"] == {"id": missing, "status": "NOT_FOUND"}
    queued = by_status["QUEUED_FOR_CANCELLATION"]
    assert (queued["id"], queued["client_id"], queued["market"]) == (open_order["id"], "q", BTC)
    assert queued["account"] == hex(sandbox_account.address)
    assert (await sandbox_client.wait_for(open_order["id"], "CLOSED"))["cancel_reason"] == "USER_CANCELED"


async def test_batch_cancel_needs_ids(sandbox_client):
    status, error, _ = await sandbox_client.delete("/orders/batch", {})
    assert (status, error["error"]) == (400, "VALIDATION_ERROR")


# -- modify ----------------------------------------------------------------------------------------------------------

async def test_modify_changes_price_and_size_and_keeps_the_id(sandbox_client):
    order = await place(sandbox_client)
    await sandbox_client.wait_for(order["id"], "OPEN")
    new_price = dec_str(Decimal(order["price"]) - 5)
    status, modified, _ = await sandbox_client.put(f"/orders/{order['id']}", sandbox_client.modify(
        order["id"], BTC, "BUY", "LIMIT", "0.002", new_price))
    assert status == 200 and set(modified) == ORDER_FIELDS | {"request_info"}
    assert (modified["id"], modified["size"], modified["price"], modified["status"]) == (order["id"], "0.002",
                                                                                         new_price, "OPEN")


async def test_modify_signed_for_another_order_id_is_rejected(sandbox_client):
    order = await place(sandbox_client)
    body = sandbox_client.modify("1700000000000201700000000001", BTC, "BUY", "LIMIT", "0.002", order["price"])
    body["id"] = order["id"]
    status, error, _ = await sandbox_client.put(f"/orders/{order['id']}", body)
    assert (status, error["error"]) == (400, "INVALID_ORDER_SIGNATURE")


async def test_modify_of_a_closed_order_is_order_is_closed(sandbox_client):
    order = await place(sandbox_client)
    await sandbox_client.delete(f"/orders/{order['id']}")
    await sandbox_client.wait_for(order["id"], "CLOSED")
    status, error, _ = await sandbox_client.put(f"/orders/{order['id']}", sandbox_client.modify(
        order["id"], BTC, "BUY", "LIMIT", "0.002", order["price"]))
    assert (status, error["error"]) == (400, "ORDER_IS_CLOSED")
