"""The sandbox's WebSocket endpoint spoken to directly: Paradex's control-plane shapes, error codes, negotiation,
keep-alive, the channels fed by the engine, and the stream faults."""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from paradex_ccxt import sbe
from paradex_ccxt.sandbox import Sandbox, WsSettings

from .sandbox_fixture import SandboxClient

MARKET = "BTC-USD-PERP"


class Socket:
    """A raw Paradex WebSocket client: JSON-RPC requests, frames read one at a time."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = iter(range(1, 10**6))

    async def send(self, method: str, **params: Any) -> int:
        request_id = next(self.ids)
        await self.ws.send_str(json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": request_id}))
        return request_id

    async def raw(self, timeout: float = 3.0) -> aiohttp.WSMessage:
        return await self.ws.receive(timeout=timeout)

    async def frame(self, timeout: float = 3.0) -> dict:
        message = await self.raw(timeout)
        assert message.type == aiohttp.WSMsgType.TEXT, message
        return json.loads(message.data)

    async def reply(self, request_id: int) -> dict:
        while True:
            message = await self.raw()
            if message.type == aiohttp.WSMsgType.BINARY:  # SBE data of a channel, not an answer
                continue
            frame = json.loads(message.data)
            if frame.get("id") == request_id:
                return frame

    async def call(self, method: str, **params: Any) -> dict:
        return await self.reply(await self.send(method, **params))

    async def data(self, channel: str, predicate: Any = lambda data: True) -> dict:
        while True:
            frame = await self.frame()
            params = frame.get("params") or {}
            if params.get("channel") == channel and predicate(params["data"]):
                return params["data"]


@pytest.fixture
async def connect(sandbox: Sandbox, http_session: aiohttp.ClientSession) -> AsyncIterator[Any]:
    sockets: list[aiohttp.ClientWebSocketResponse] = []

    async def open_socket(target: Sandbox = sandbox, query: str = "", **kwargs: Any) -> Socket:
        ws = await http_session.ws_connect(target.ws_url + query, autoping=kwargs.pop("autoping", True), **kwargs)
        sockets.append(ws)
        return Socket(ws)

    yield open_socket
    for ws in sockets:
        await ws.close()


# -- control plane -------------------------------------------------------------------------------------------------

async def test_subscribe_ack_echoes_the_channel_with_microsecond_timing(connect):
    socket = await connect()
    request_id = await socket.send("subscribe", channel=f"bbo.{MARKET}")
    message = await socket.raw()
    assert message.data.endswith("\n")
    ack = json.loads(message.data)
    assert list(ack) == ["jsonrpc", "id", "result", "usIn", "usDiff", "usOut"]
    assert (ack["id"], ack["result"]) == (request_id, {"channel": f"bbo.{MARKET}"})
    assert ack["usOut"] - ack["usIn"] == ack["usDiff"] >= 0
    assert len(str(ack["usIn"])) == 16  # microseconds since the epoch


async def test_an_unknown_channel_is_an_invalid_subscribe_request(connect):
    reply = await (await connect()).call("subscribe", channel="candles.BTC-USD-PERP")
    assert reply["error"] == {"code": -32600, "message": "invalid subscribe request", "data": "invalid channel"}


async def test_deltas_channels_take_no_parameters(connect):
    reply = await (await connect()).call("subscribe", channel=f"order_book.{MARKET}.deltas@15@50ms")
    assert reply["error"]["data"] == "no parameters expected for deltas topic."


async def test_an_unknown_method_is_method_not_found(connect):
    reply = await (await connect()).call("candles")
    assert reply["error"]["code"] == -32601


async def test_a_frame_that_is_not_json_is_a_parse_error(connect):
    socket = await connect()
    await socket.ws.send_str("{nope")
    assert (await socket.frame())["error"]["code"] == -32700


async def test_a_private_channel_needs_auth_first(connect):
    reply = await (await connect()).call("subscribe", channel="orders.ALL")
    assert reply["error"]["code"] == 40300


async def test_auth_with_a_login_jwt_answers_a_node_id(connect, sandbox_client):
    reply = await (await connect()).call("auth", bearer=await sandbox_client.login())
    assert isinstance(reply["result"]["node_id"], str) and reply["result"]["node_id"]


async def test_auth_refuses_a_malformed_and_an_invalid_bearer(connect, sandbox, sandbox_client):
    socket = await connect()
    assert (await socket.call("auth", bearer="not-a-jwt"))["error"]["code"] == 40110
    token = await sandbox_client.login()
    sandbox.expire_tokens()
    assert (await socket.call("auth", bearer=token))["error"] == {"code": 40111, "message": "Invalid Bearer Token"}


async def test_subscribing_twice_and_unsubscribing_a_stranger_are_refused(connect):
    socket = await connect()
    channel = f"trades.{MARKET}"
    assert "result" in await socket.call("subscribe", channel=channel)
    assert (await socket.call("subscribe", channel=channel))["error"]["data"] == "already subscribed"
    assert (await socket.call("unsubscribe", channel=channel))["result"] == {"channel": channel}
    assert (await socket.call("unsubscribe", channel=channel))["error"]["data"] == "not subscribed"


def test_a_connection_holds_200_subscriptions_by_default():
    assert WsSettings().max_subscriptions == 200


async def test_the_subscription_past_the_cap_is_refused_with_42900(connect, make_sandbox):
    sandbox = await make_sandbox(ws=WsSettings(max_subscriptions=3))
    socket = await connect(sandbox)
    for channel in (f"trades.{MARKET}", f"bbo.{MARKET}", "trades.ALL"):
        assert "result" in await socket.call("subscribe", channel=channel)
    refused = await socket.call("subscribe", channel="markets_summary")
    assert refused["error"] == {"code": 42900, "message": "max subscriptions per connection reached",
                                "data": "limit: 3"}


# -- negotiation and keep-alive ------------------------------------------------------------------------------------

async def test_an_unsupported_sbe_version_is_refused_at_the_handshake(connect):
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await connect(query="?sbeSchemaId=1&sbeSchemaVersion=99")
    assert refused.value.status == 400


async def test_an_unknown_sbe_schema_is_refused_at_the_handshake(connect):
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await connect(query="?sbeSchemaId=7&sbeSchemaVersion=1")
    assert refused.value.status == 400


async def test_require_sbe_refuses_a_connect_without_the_parameters(connect, make_sandbox):
    sandbox = await make_sandbox(ws=WsSettings(require_sbe=True))
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await connect(sandbox)
    assert refused.value.status == 400


async def test_the_server_pings_and_drops_a_client_that_does_not_pong(connect, make_sandbox):
    sandbox = await make_sandbox(ws=WsSettings(ping_interval=0.05, pong_timeout=0.05))
    socket = await connect(sandbox, autoping=False)
    assert (await socket.raw()).type == aiohttp.WSMsgType.PING
    closing = await socket.raw()
    assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == 1011


async def test_a_client_that_pongs_stays_connected(connect, make_sandbox):
    sandbox = await make_sandbox(ws=WsSettings(ping_interval=0.05, pong_timeout=0.05))
    socket = await connect(sandbox, autoping=False)
    for _ in range(3):
        ping = await socket.raw()
        assert ping.type == aiohttp.WSMsgType.PING
        await socket.ws.pong(ping.data)
    assert "result" in await socket.call("subscribe", channel=f"bbo.{MARKET}")


# -- encodings -------------------------------------------------------------------------------------------------------

SBE_V2 = "?sbeSchemaId=1&sbeSchemaVersion=2"


async def test_public_channels_are_sbe_frames_on_an_sbe_connection(connect, make_sandbox):
    sandbox = await make_sandbox(liquidity=False)  # a book only this test changes
    owner = hex(sandbox.create_account().address)
    for side, price in (("BUY", "90000"), ("SELL", "110000")):
        sandbox.engine.submit(owner, {"market": MARKET, "side": side, "type": "LIMIT", "size": "0.1", "price": price,
                                      "instruction": "GTC"})
    sandbox.engine.step()
    socket = await connect(sandbox, query=SBE_V2)
    ack = await socket.call("subscribe", channel=f"bbo.{MARKET}")
    assert ack["result"] == {"channel": f"bbo.{MARKET}"}  # acks stay JSON text
    frame = await socket.raw()
    assert frame.type == aiohttp.WSMsgType.BINARY
    message = sbe.decode(frame.data)
    assert message.version == 2
    channel, data = sbe.to_paradex_json(message)
    assert (channel, data["bid"], data["bid_size"], data["ask"]) == (f"bbo.{MARKET}", "90000", "0.1", "110000")


async def test_an_sbe_connection_refuses_a_second_book_channel_of_a_market(connect):
    socket = await connect(query=SBE_V2)
    assert "result" in await socket.call("subscribe", channel=f"order_book.{MARKET}.deltas")
    refused = await socket.call("subscribe", channel=f"order_book.{MARKET}.snapshot@15@100ms")
    assert refused["error"]["data"] == "cannot share an SBE session"
    assert "result" in await socket.call("subscribe", channel="order_book.ETH-USD-PERP.snapshot@15@100ms")


async def test_private_channels_stay_json_on_an_sbe_connection_by_default(connect, sandbox_client):
    socket = await connect(query=SBE_V2)
    await socket.call("auth", bearer=await sandbox_client.login())
    await socket.call("subscribe", channel="orders.ALL")
    await sandbox_client.post("/orders", sandbox_client.order(MARKET, "BUY", "MARKET", "0.01"))
    assert (await socket.data("orders.ALL"))["market"] == MARKET


async def test_private_sbe_sends_private_channels_as_sbe(connect, make_sandbox):
    sandbox = await make_sandbox(ws=WsSettings(private_sbe=True))
    async with aiohttp.ClientSession() as session:
        client = SandboxClient(sandbox, sandbox.create_account(), session)
        socket = await connect(sandbox, query=SBE_V2)
        await socket.call("auth", bearer=await client.login())
        await socket.call("subscribe", channel="orders.ALL")
        status, order, _ = await client.post("/orders", client.order(MARKET, "BUY", "MARKET", "0.01"))
        assert status == 201, order
        frame = await socket.raw()
        assert frame.type == aiohttp.WSMsgType.BINARY
        channel, data = sbe.to_paradex_json(sbe.decode(frame.data))
        assert (channel, data["id"]) == (f"orders.{MARKET}", order["id"])


# -- channels --------------------------------------------------------------------------------------------------------

def book_of(sandbox: Sandbox) -> dict[str, dict[str, str]]:
    book = sandbox.engine.books[MARKET]
    out: dict[str, dict[str, str]] = {}
    for side in ("BUY", "SELL"):
        out[side] = {}
        for price, queue in book.levels[side].items():
            size = sum((o.remaining for o in queue), Decimal(0))
            if size > 0:
                out[side][str(price)] = str(size)
    return out


def apply(local: dict[str, dict[Decimal, Decimal]], data: dict) -> None:
    for row in data["inserts"] + data["updates"] + data["deletes"]:
        side = local.setdefault(row["side"], {})
        if Decimal(row["size"]) == 0:
            side.pop(Decimal(row["price"]), None)
        else:
            side[Decimal(row["price"])] = Decimal(row["size"])


async def test_book_deltas_follow_the_snapshot_one_sequence_number_at_a_time(connect, sandbox, sandbox_client):
    socket = await connect()
    channel = f"order_book.{MARKET}.deltas"
    await socket.call("subscribe", channel=channel)
    snapshot = await socket.data(channel)
    assert snapshot["update_type"] == "s"
    local: dict[str, dict[Decimal, Decimal]] = {"BUY": {}, "SELL": {}}
    apply(local, snapshot)
    seq = snapshot["seq_no"]
    status, body, _ = await sandbox_client.post("/orders", sandbox_client.order(MARKET, "SELL", "MARKET", "0.5"))
    assert status == 201, body
    while seq < sandbox.engine.books[MARKET].seq_no:
        delta = await socket.data(channel)
        assert (delta["update_type"], delta["seq_no"]) == ("d", seq + 1)
        apply(local, delta)
        seq = delta["seq_no"]
    expected = {side: {Decimal(p): Decimal(s) for p, s in levels.items()} for side, levels in book_of(sandbox).items()}
    assert local == expected


async def test_snapshot_feeds_send_15_levels_a_side(connect):
    socket = await connect()
    channel = f"order_book.{MARKET}.snapshot@15@100ms"
    await socket.call("subscribe", channel=channel)
    data = await socket.data(channel)
    assert data["update_type"] == "s"
    assert [len([r for r in data["inserts"] if r["side"] == side]) for side in ("BUY", "SELL")] == [15, 15]


async def test_orders_channel_streams_every_transition_with_the_cancel_reason(connect, sandbox, sandbox_client):
    socket = await connect()
    await socket.call("auth", bearer=await sandbox_client.login())
    await socket.call("subscribe", channel="orders.ALL")
    bid = Decimal(sandbox.engine.bbo(MARKET)["bid"]) * Decimal("0.98")
    price = str(bid.quantize(Decimal("0.1")))
    status, order, _ = await sandbox_client.post("/orders", sandbox_client.order(MARKET, "BUY", "LIMIT", "0.01", price))
    assert status == 201, order
    seen = [await socket.data("orders.ALL", lambda d: d["id"] == order["id"])]
    while seen[-1]["status"] != "OPEN":
        seen.append(await socket.data("orders.ALL", lambda d: d["id"] == order["id"]))
    await sandbox_client.delete(f"/orders/{order['id']}")
    closed = await socket.data("orders.ALL", lambda d: d["status"] == "CLOSED")
    assert seen[0]["status"] == "NEW"
    assert (closed["id"], closed["cancel_reason"]) == (order["id"], "USER_CANCELED")
    assert closed["seq_no"] > seen[-1]["seq_no"]


async def test_fills_positions_and_account_follow_a_trade(connect, sandbox_client):
    socket = await connect()
    await socket.call("auth", bearer=await sandbox_client.login())
    for channel in ("fills.ALL", "positions", "account", f"trades.{MARKET}"):
        await socket.call("subscribe", channel=channel)
    status, order, _ = await sandbox_client.post("/orders", sandbox_client.order(MARKET, "BUY", "MARKET", "0.01"))
    assert status == 201, order
    fill = await socket.data("fills.ALL")
    assert (fill["order_id"], fill["liquidity"], fill["size"]) == (order["id"], "TAKER", "0.01")
    position = await socket.data("positions")
    assert (position["market"], position["side"], position["size"]) == (MARKET, "LONG", "0.01")
    account = await socket.data("account")
    assert Decimal(account["initial_margin_requirement"]) > 0
    trade = await socket.data(f"trades.{MARKET}")
    assert (trade["side"], trade["size"], trade["trade_type"]) == ("BUY", "0.01", "FILL")


async def test_another_accounts_orders_are_not_streamed(connect, sandbox, sandbox_client):
    socket = await connect()
    await socket.call("auth", bearer=await sandbox_client.login())
    await socket.call("subscribe", channel="orders.ALL")
    sandbox.engine.submit(hex(sandbox.create_account().address),
                          {"market": MARKET, "side": "BUY", "type": "MARKET", "size": "0.01", "instruction": "GTC"})
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(socket.data("orders.ALL"), 0.3)


async def test_markets_summary_and_funding_data_arrive_on_subscribe(connect):
    socket = await connect()
    await socket.call("subscribe", channel=f"markets_summary.{MARKET}")
    summary = await socket.data(f"markets_summary.{MARKET}")
    assert summary["symbol"] == MARKET and Decimal(summary["mark_price"]) > 0
    await socket.call("subscribe", channel="funding_data")
    funding = await socket.data("funding_data")
    assert {"market", "funding_rate", "funding_index", "funding_period_hours", "created_at"} <= set(funding)


# -- faults ----------------------------------------------------------------------------------------------------------

async def test_drop_connections_cuts_every_socket(connect, sandbox):
    socket = await connect()
    await socket.call("subscribe", channel=f"bbo.{MARKET}")
    assert sandbox.stream_faults.drop_connections() == 1
    while (message := await socket.raw()).type == aiohttp.WSMsgType.TEXT:
        pass
    assert message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSE)


async def test_expire_jwt_tells_authenticated_sockets_40111_and_closes_them(connect, sandbox, sandbox_client):
    socket = await connect()
    await socket.call("auth", bearer=await sandbox_client.login())
    assert sandbox.stream_faults.expire_jwt() == 1
    error = await socket.frame()
    assert error["error"]["code"] == 40111
    assert (await socket.raw()).type == aiohttp.WSMsgType.CLOSE


async def test_close_on_jwt_expiry_ends_the_connection_when_its_jwt_runs_out(connect, make_sandbox):
    sandbox = await make_sandbox(jwt_lifetime=0.3, ws=WsSettings(close_on_jwt_expiry=True))
    async with aiohttp.ClientSession() as session:
        client = SandboxClient(sandbox, sandbox.create_account(), session)
        socket = await connect(sandbox)
        await socket.call("auth", bearer=await client.login())
        assert (await socket.frame(timeout=3))["error"]["code"] == 40111


async def test_a_slow_consumer_is_disconnected(connect, sandbox, sandbox_client):
    socket = await connect()
    await socket.call("subscribe", channel=f"order_book.{MARKET}.deltas")
    sandbox.stream_faults.slow_consumer(send_delay=0.05, max_outbound=5)
    await sandbox_client.post("/orders", sandbox_client.order(MARKET, "SELL", "MARKET", "2"))
    while (message := await socket.raw(timeout=10)).type == aiohttp.WSMsgType.TEXT:
        pass
    assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 1008


async def test_delayed_frames_arrive_late(connect, sandbox):
    socket = await connect()
    sandbox.stream_faults.delay = 0.3
    started = asyncio.get_running_loop().time()
    await socket.call("subscribe", channel=f"bbo.{MARKET}")
    await socket.data(f"bbo.{MARKET}")
    assert asyncio.get_running_loop().time() - started >= 0.3


async def test_stream_faults_over_http_for_a_sandbox_run_elsewhere(connect, sandbox, http_session):
    socket = await connect()
    await socket.call("subscribe", channel=f"bbo.{MARKET}")
    url = sandbox.url + "/_sandbox/stream-faults"
    async with http_session.post(url, json={"delay": 0.2, "reorder": True}) as response:
        assert (response.status, (await response.json())["delay"]) == (200, 0.2)
    assert (sandbox.stream_faults.delay, sandbox.stream_faults.reorder) == (0.2, True)
    async with http_session.post(url, json={"action": "drop_connections"}) as response:
        assert (await response.json())["connections"] == 1
    async with http_session.post(url, json={"action": "melt"}) as response:
        assert (response.status, (await response.json())["error"]) == (400, "VALIDATION_ERROR")
    async with http_session.delete(url) as response:
        assert response.status == 204
    assert sandbox.stream_faults.to_json() == {"ignore_pings": False, "delay": 0.0, "reorder": False,
                                               "send_delay": 0.0, "drop_after_orders": 0,
                                               "mute_orders": 0}


def test_a_failing_event_listener_does_not_break_the_engine(caplog):
    from paradex_ccxt.sandbox.events import Event, EventBus

    bus = EventBus()
    seen: list[str] = []

    def broken(event: Event) -> None:
        raise RuntimeError("listener bug")

    bus.subscribe(broken)
    bus.subscribe(lambda event: seen.append(event.kind))
    bus.publish(Event("trade", None, {}))
    assert seen == ["trade"]
    assert "listener failed on trade" in caplog.text
