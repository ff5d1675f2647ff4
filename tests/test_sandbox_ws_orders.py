"""The sandbox's order methods on the WebSocket spoken to directly: Paradex's OpenRPC answers, auth, errors, and
cancel-on-disconnect; and the client's reading of JSON-RPC errors and batch answers in both shapes Paradex allows."""
from __future__ import annotations

import asyncio

import pytest
from ccxt.base.errors import BadRequest, DuplicateOrderId, ExchangeError, OrderNotFound

from paradex_ccxt import paradex
from paradex_ccxt.errors import is_refusal
from paradex_ccxt.sandbox import Sandbox, WsSettings
from paradex_ccxt.sandbox.ws import HUB
from paradex_ccxt.sandbox.ws_orders import WsOrderSettings
from paradex_ccxt.ws_connection import ws_error
from paradex_ccxt.ws_orders import batch_answer, the_order

from .sandbox_fixture import SandboxClient
from .test_sandbox_ws import MARKET, Socket, connect  # noqa: F401 - the fixture

BELOW_MARKET = "20000"  # a resting BTC bid at the seeded prices


async def authed(connect, sandbox_client: SandboxClient) -> Socket:  # noqa: F811
    socket = await connect()
    await socket.call("auth", bearer=await sandbox_client.login())
    return socket


async def test_order_methods_need_auth_first(connect, sandbox_client):  # noqa: F811
    reply = await (await connect()).call("order.create", **sandbox_client.order(MARKET, "BUY", "LIMIT", "0.01",
                                                                               BELOW_MARKET))
    assert reply["error"]["code"] == 40300


async def test_order_create_answers_the_order_with_its_timestamps(connect, sandbox_client):  # noqa: F811
    socket = await authed(connect, sandbox_client)
    reply = await socket.call("order.create", **sandbox_client.order(MARKET, "BUY", "LIMIT", "0.01", BELOW_MARKET,
                                                                     client_id="ws-1"))
    result = reply["result"]
    assert (result["order"]["client_id"], result["order"]["status"]) == ("ws-1", "NEW")
    assert isinstance(result["created_at"], int) and isinstance(result["received_at"], int)


async def test_order_create_with_a_bad_signature_is_a_method_error_with_the_paradex_code(
        connect, sandbox_client):  # noqa: F811
    socket = await authed(connect, sandbox_client)
    body = sandbox_client.order(MARKET, "BUY", "LIMIT", "0.01", BELOW_MARKET)
    body["size"] = "0.02"  # no longer what was signed
    reply = await socket.call("order.create", **body)
    assert (reply["error"]["code"], reply["error"]["data"]) == (100, "INVALID_ORDER_SIGNATURE")


async def test_order_cancel_answers_queued_for_cancellation(connect, sandbox_client):  # noqa: F811
    socket = await authed(connect, sandbox_client)
    created = await socket.call("order.create", **sandbox_client.order(MARKET, "BUY", "LIMIT", "0.01", BELOW_MARKET))
    order_id = created["result"]["order"]["id"]
    reply = await socket.call("order.cancel", id=order_id)
    assert reply["result"] == {"order_id": order_id, "status": "QUEUED_FOR_CANCELLATION"}


async def test_order_cancel_all_answers_ok(connect, sandbox_client):  # noqa: F811
    socket = await authed(connect, sandbox_client)
    assert (await socket.call("order.cancel_all", market=MARKET))["result"] == {"status": "ok"}


async def test_order_cancel_batch_reports_each_order(connect, sandbox_client):  # noqa: F811
    socket = await authed(connect, sandbox_client)
    created = await socket.call("order.create", **sandbox_client.order(MARKET, "BUY", "LIMIT", "0.01", BELOW_MARKET))
    order_id = created["result"]["order"]["id"]
    reply = await socket.call("order.cancel_batch", order_ids=[order_id, "42"])
    assert [(r["id"], r["status"]) for r in reply["result"]["results"]] == [
        (order_id, "QUEUED_FOR_CANCELLATION"), ("42", "NOT_FOUND")]


async def test_cancel_on_disconnect_answers_its_new_state(connect, sandbox_client):  # noqa: F811
    socket = await authed(connect, sandbox_client)
    assert (await socket.call("order.cancel_on_disconnect", enabled=True))["result"] == {"enabled": True}


async def test_a_closed_socket_with_cancel_on_disconnect_closes_the_orders(
        connect, sandbox, sandbox_client):  # noqa: F811
    socket = await authed(connect, sandbox_client)
    created = await socket.call("order.create", **sandbox_client.order(MARKET, "BUY", "LIMIT", "0.01", BELOW_MARKET))
    await socket.call("order.cancel_on_disconnect", enabled=True)
    await socket.ws.close()
    order_id = created["result"]["order"]["id"]
    address = hex(sandbox_client.account.address)
    for _ in range(300):
        if sandbox.engine.get_order(address, order_id)["status"] == "CLOSED":
            break
        await asyncio.sleep(0.01)
    assert sandbox.engine.get_order(address, order_id)["cancel_reason"] == "USER_CANCELED"


async def test_a_strict_reading_of_unexpectedly_spares_the_orders_of_a_socket_the_client_closed(
        make_sandbox, http_session):
    sandbox: Sandbox = await make_sandbox(ws=WsSettings(orders=WsOrderSettings(cancel_on_close=False)))
    client = SandboxClient(sandbox, sandbox.create_account(), http_session)
    ws = await http_session.ws_connect(sandbox.ws_url)
    socket = Socket(ws)
    await socket.call("auth", bearer=await client.login())
    created = await socket.call("order.create", **client.order(MARKET, "BUY", "LIMIT", "0.01", BELOW_MARKET))
    await socket.call("order.cancel_on_disconnect", enabled=True)
    await ws.close()
    for _ in range(100):
        if not sandbox.app[HUB].sessions:
            break
        await asyncio.sleep(0.01)
    order_id = created["result"]["order"]["id"]
    assert sandbox.engine.get_order(hex(client.account.address), order_id)["status"] != "CLOSED"


async def test_codes_only_in_the_message_is_the_harsher_setting(make_sandbox, http_session):
    sandbox: Sandbox = await make_sandbox(ws=WsSettings(orders=WsOrderSettings(codes_in_data=False)))
    client = SandboxClient(sandbox, sandbox.create_account(), http_session)
    ws = await http_session.ws_connect(sandbox.ws_url)
    try:
        socket = Socket(ws)
        await socket.call("auth", bearer=await client.login())
        reply = await socket.call("order.cancel", id="42")
        assert "data" not in reply["error"]
        assert reply["error"]["message"].startswith("ORDER_ID_NOT_FOUND: ")
    finally:
        await ws.close()


# -- the client's reading ----------------------------------------------------------------------------------------------

def client_error(error: dict) -> Exception:
    exchange = paradex()
    return exchange._order_error(ws_error(exchange.id, error))


@pytest.mark.parametrize("error", [
    {"code": 100, "message": "client order id already used", "data": "DUPLICATED_CLIENT_ID"},
    {"code": 100, "message": "DUPLICATED_CLIENT_ID: client order id already used"},
])
def test_a_paradex_code_in_data_or_message_maps_like_rest(error):
    mapped = client_error(error)
    assert isinstance(mapped, DuplicateOrderId) and is_refusal(mapped)
    assert "DUPLICATED_CLIENT_ID" in str(mapped)


def test_a_json_rpc_code_alone_is_a_refusal():
    mapped = client_error({"code": -32602, "message": "invalid params"})
    assert isinstance(mapped, BadRequest) and is_refusal(mapped)


def test_an_internal_error_leaves_the_outcome_unknown():
    mapped = client_error({"code": -32603, "message": "internal error"})
    assert isinstance(mapped, ExchangeError) and not is_refusal(mapped)


def test_an_unknown_order_maps_to_order_not_found():
    assert isinstance(client_error({"code": 100, "message": "order not found", "data": "ORDER_ID_NOT_FOUND"}),
                      OrderNotFound)


def test_a_batch_answer_reads_entry_errors_with_and_without_a_code():
    order = {"id": "1", "client_id": "a", "status": "NEW"}
    answer = batch_answer({"results": [{"order": order, "created_at": 1, "received_at": 2},
                                       {"error": "INVALID_ORDER_SIZE: size below minimum"},
                                       {"error": "size below minimum"}]})
    assert answer == {"orders": [order], "errors": [
        {"error": "INVALID_ORDER_SIZE", "message": "size below minimum"},
        {"error": None, "message": "size below minimum"}]}


def test_an_order_result_is_read_wrapped_or_bare():
    order = {"id": "1", "status": "NEW"}
    assert (the_order({"order": order, "created_at": 1}), the_order(order)) == (order, order)
