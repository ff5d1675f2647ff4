"""The sandbox's WebSocket endpoint, ``ws://host:port/v1``: Paradex's JSON-RPC control plane and its channels, fed by
the engine's events as they happen.

Control plane (PARADEX-WS.md §2-3): text frames ending with ``\\n``; ``auth`` {bearer} -> ``{"node_id"}``;
``subscribe`` / ``unsubscribe`` {channel} -> ``{"channel": <the name as sent>}``; answers carry ``usIn``, ``usDiff``,
``usOut`` (µs). Errors are ``{"code", "message", "data"?}`` with Paradex's codes: -32700 parse, -32600 invalid
request / invalid channel, -32601 unknown method, -32602 invalid params, 40110 malformed bearer, 40111 invalid bearer,
42900 the 201st subscription of a connection ("limit: 200"). The sandbox's own choices where Paradex documents none:
a private channel before ``auth`` is 40300 "permission denied"; subscribing twice or unsubscribing a channel not
subscribed is -32600 with data "already subscribed" / "not subscribed". On an SBE connection a second book channel
of one market is refused (-32600, "cannot share an SBE session"), as observed on Paradex.

SBE: ``?sbeSchemaId=1&sbeSchemaVersion=N`` is negotiated at the handshake; an unknown schema or a version the
sandbox does not serve is answered HTTP 400 (no JSON fallback, as Paradex). Public channel data then goes out as
SBE binary frames through `encode_data`; private channels stay JSON unless ``WsSettings.private_sbe``.

Keep-alive: the server pings every ``ping_interval`` s and closes a connection whose pong does not come within
``pong_timeout`` s; client pings are answered. Faults (``Sandbox.stream_faults``; over HTTP for a sandbox run from
the CLI: ``GET/POST/DELETE /_sandbox/stream-faults``): drop every connection, stop answering pings, delay or reorder
data frames, expire the JWT of live connections, a slow consumer.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from .events import Event
from .ledger import SandboxError
from .ws_channels import (
    SNAPSHOT_DEPTH,
    Channel,
    InvalidChannel,
    Levels,
    bbo,
    book_delta,
    book_levels,
    book_snapshot,
    parse_channel,
)
from .ws_encoding import SBE_SCHEMA_ID, SUPPORTED_VERSIONS, encode_data, has_template
from .ws_orders import OrderSession, RpcError, WsOrderSettings

# Close codes: 1008 policy violation for a slow consumer and an expired session; 1011 for a missed pong.
CLOSE_SLOW_CONSUMER = 1008
CLOSE_SESSION_EXPIRED = 1008
CLOSE_PONG_TIMEOUT = 1011


@dataclass
class WsSettings:
    """How the WebSocket endpoint behaves; ``Sandbox(ws=WsSettings(...))``."""

    ping_interval: float = 55.0  # s between server pings (Paradex: 55)
    pong_timeout: float = 5.0  # s a pong may take (Paradex: 5)
    max_subscriptions: int = 200  # per connection; the next one is refused with 42900
    sbe_versions: tuple[int, ...] = tuple(SUPPORTED_VERSIONS)  # SBE schema 1 versions served
    # The harsher reading (ccxt's): a connect without SBE parameters is refused with HTTP 400. Paradex's docs only
    # call it deprecated.
    require_sbe: bool = False
    # Private channels as SBE frames on an SBE connection (paradex-py's testnet evidence) instead of JSON (the docs).
    private_sbe: bool = False
    # The harsher reading of an undocumented point: a connection is closed when its JWT expires (Paradex's docs say
    # one auth lasts the connection's lifetime).
    close_on_jwt_expiry: bool = False
    pulse: float = 0.05  # s between venue steps while anyone is connected (prices move, snapshot feeds refresh)
    summary_interval: float = 1.0  # s between markets_summary and funding_data pushes
    max_outbound: int = 10_000  # data frames queued for one connection before it is closed as a slow consumer
    orders: WsOrderSettings = field(default_factory=WsOrderSettings)  # order entry (ws_orders.py)


@dataclass
class StreamFaults:
    """Faults for streams, applied to every connection (present and future) until cleared."""

    hub: Hub
    ignore_pings: bool = False  # client pings get no pong, server pings are not sent
    delay: float = 0.0  # s each data frame waits before it is sent
    reorder: bool = False  # data frames go out in swapped pairs
    send_delay: float = 0.0  # s the socket takes per data frame (a slow consumer's reading pace)
    # The next N order requests are carried out, then their connection is cut instead of answering: a lost answer.
    drop_after_orders: int = 0
    # The next N order requests are carried out and never answered, the connection staying up: a late answer.
    mute_orders: int = 0

    def drop_connections(self) -> int:
        """Cut every open connection at the transport, as a network failure would (no close frame); returns how many."""
        sessions = list(self.hub.sessions)
        for session in sessions:
            session.abort()
        return len(sessions)

    def expire_jwt(self) -> int:
        """Every login JWT issued so far stops working, and every authenticated connection is told so (40111) and
        closed; returns how many connections were closed."""
        self.hub.state.tokens.expire_all()
        closed = 0
        for session in list(self.hub.sessions):
            if session.claims is not None:
                session.expire()
                closed += 1
        return closed

    def slow_consumer(self, send_delay: float = 0.05, max_outbound: int = 50) -> None:
        """Every connection reads slowly (`send_delay` s per frame) and is closed once `max_outbound` frames wait."""
        self.send_delay = send_delay
        self.hub.settings.max_outbound = max_outbound

    def clear(self) -> None:
        self.ignore_pings = False
        self.delay = 0.0
        self.reorder = False
        self.send_delay = 0.0
        self.drop_after_orders = 0
        self.mute_orders = 0

    SETTINGS = ("ignore_pings", "delay", "reorder", "send_delay", "drop_after_orders", "mute_orders")

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in self.SETTINGS}

    def apply(self, body: dict) -> dict:
        """The HTTP form (``POST /_sandbox/stream-faults``): settings by name, and ``"action"``: ``drop_connections``
        or ``expire_jwt``; answers the settings and how many connections an action hit."""
        unknown = set(body) - {*self.SETTINGS, "action"}
        if unknown:
            raise SandboxError("VALIDATION_ERROR", f"unknown stream fault fields: {sorted(unknown)}")
        for name in self.SETTINGS:
            if name in body:
                setattr(self, name, type(getattr(self, name))(body[name]))
        actions = {"drop_connections": self.drop_connections, "expire_jwt": self.expire_jwt}
        action = body.get("action")
        if action is not None and action not in actions:
            raise SandboxError("VALIDATION_ERROR", f"unknown stream fault action: {action!r}")
        hit = actions[action]() if action is not None else 0
        return {**self.to_json(), "connections": hit}


def _micros(clock: Callable[[], float]) -> int:
    return int(clock() * 1_000_000)


def text(payload: dict) -> str:
    # Paradex's text frames end with a newline.
    return json.dumps(payload, separators=(",", ":")) + "\n"


class Session:
    """One WebSocket connection: its auth, its subscriptions, its outbound queue and writer."""

    _node_ids = itertools.count(1)

    def __init__(self, hub: Hub, request: web.Request, socket: web.WebSocketResponse, sbe_version: int | None) -> None:
        self.hub = hub
        self.transport = request.transport
        self.socket = socket
        self.sbe_version = sbe_version
        self.claims: Any = None  # auth.TokenClaims after a successful auth
        self.channels: dict[str, Channel] = {}
        self.snapshot_sent: dict[str, tuple[int, float]] = {}  # snapshot feed -> (seq sent, when)
        self.outbound: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        self.last_pong = time.monotonic()
        self.node_id = f"{next(self._node_ids):016x}"
        self.writer = asyncio.get_running_loop().create_task(self._write())
        self.closing = False
        self.orders = OrderSession(hub.state, hub.settings.orders, request.remote or "unknown")
        self.order_calls: set[asyncio.Task] = set()

    # -- sending ---------------------------------------------------------------------------------------------------

    def send_text(self, payload: dict) -> None:
        self.outbound.put_nowait(text(payload))

    def push(self, channel: Channel, data: dict) -> None:
        if self.closing:
            return
        version = self.sbe_version
        binary = version is not None and has_template(channel.name) and (
            not channel.private or self.hub.settings.private_sbe)
        frame = encode_data(channel.name, data, version) if binary and version is not None else text(
            {"jsonrpc": "2.0", "method": "subscription", "params": {"channel": channel.name, "data": data}})
        if self.outbound.qsize() >= self.hub.settings.max_outbound:
            self.close_soon(CLOSE_SLOW_CONSUMER, "slow consumer")
            return
        self.outbound.put_nowait(frame)

    async def _write(self) -> None:
        faults = self.hub.faults
        held: str | bytes | None = None
        while True:
            frame = await self.outbound.get()
            if frame is None:
                return
            if faults.delay:
                await asyncio.sleep(faults.delay)
            if faults.send_delay:
                await asyncio.sleep(faults.send_delay)
            if faults.reorder and held is None and self.outbound.qsize():
                held = frame
                continue
            try:
                await self._send(frame)
                if held is not None:
                    await self._send(held)
                    held = None
            except (ConnectionError, RuntimeError):
                return

    async def _send(self, frame: str | bytes) -> None:
        if isinstance(frame, bytes):
            await self.socket.send_bytes(frame)
        else:
            await self.socket.send_str(frame)

    # -- ending ----------------------------------------------------------------------------------------------------

    def close_soon(self, code: int, message: str) -> None:
        if not self.closing:
            self.closing = True
            asyncio.get_running_loop().create_task(self.socket.close(code=code, message=message.encode()))

    def abort(self) -> None:
        self.closing = True
        if self.transport is not None:
            self.transport.abort()

    def expire(self) -> None:
        self.send_text({"jsonrpc": "2.0", "method": "error",
                        "error": {"code": 40111, "message": "invalid bearer token"}, "id": None})
        self.outbound.put_nowait(None)
        self.writer.add_done_callback(lambda _: self.close_soon(CLOSE_SESSION_EXPIRED, "jwt expired"))

    async def finish(self) -> None:
        self.closing = True
        self.writer.cancel()
        await asyncio.gather(self.writer, *self.order_calls, return_exceptions=True)

    # -- requests --------------------------------------------------------------------------------------------------

    def handle(self, raw: str) -> None:
        us_in = _micros(self.hub.state.clock)
        request_id: Any = None
        try:
            try:
                request = json.loads(raw)
            except ValueError:
                raise RpcError(-32700, "parse error") from None
            if not isinstance(request, dict):
                raise RpcError(-32600, "invalid request")
            request_id = request.get("id")
            method, params = request.get("method"), request.get("params")
            if not isinstance(method, str):
                raise RpcError(-32600, "invalid request")
            if params is None:
                params = {}
            if not isinstance(params, dict):
                raise RpcError(-32602, "invalid params")
            if method in self.orders.methods:
                self._call_order_method(request_id, method, params, us_in)
                return
            handler = {"auth": self._auth, "subscribe": self._subscribe, "unsubscribe": self._unsubscribe}.get(method)
            if handler is None:
                raise RpcError(-32601, "method not found")
            result, after = handler(params)
            outcome: dict[str, Any] = {"result": result}
        except RpcError as error:
            outcome, after = {"error": error.body()}, None
        self._answer(request_id, outcome, us_in)
        if after is not None:
            after()

    def _answer(self, request_id: Any, outcome: dict, us_in: int) -> None:
        us_out = _micros(self.hub.state.clock)
        self.send_text({"jsonrpc": "2.0", "id": request_id, **outcome, "usIn": us_in, "usDiff": us_out - us_in,
                        "usOut": us_out})

    def _call_order_method(self, request_id: Any, method: str, params: dict, us_in: int) -> None:
        # Signature checks run on a thread: the connection keeps reading while an order is verified.
        task = asyncio.get_running_loop().create_task(self._order_method(request_id, method, params, us_in))
        self.order_calls.add(task)
        task.add_done_callback(self.order_calls.discard)

    async def _order_method(self, request_id: Any, method: str, params: dict, us_in: int) -> None:
        try:
            outcome: dict[str, Any] = {"result": await self.orders.call(method, self.claims, params)}
        except RpcError as error:
            outcome = {"error": error.body()}
        faults = self.hub.faults
        if faults.drop_after_orders > 0:
            faults.drop_after_orders -= 1
            self.abort()
            return
        if faults.mute_orders > 0:
            faults.mute_orders -= 1
            return
        if not self.closing:
            self._answer(request_id, outcome, us_in)

    def _auth(self, params: dict) -> tuple[dict, None]:
        bearer = params.get("bearer")
        if not isinstance(bearer, str) or bearer.count(".") != 2:
            raise RpcError(40110, "Malformed Bearer Token")
        try:
            self.claims = self.hub.state.tokens.verify("Bearer " + bearer)
        except SandboxError:
            raise RpcError(40111, "Invalid Bearer Token") from None
        self.hub.watch_expiry(self)
        return {"node_id": self.node_id}, None

    def _subscribe(self, params: dict) -> tuple[dict, Callable[[], None]]:
        name = params.get("channel")
        try:
            channel = parse_channel(name, self.hub.markets)
        except InvalidChannel as invalid:
            raise RpcError(-32600, "invalid subscribe request", str(invalid)) from None
        if channel.private and self.claims is None:
            raise RpcError(40300, "permission denied", "authentication required")
        if channel.name in self.channels:
            raise RpcError(-32600, "invalid subscribe request", "already subscribed")
        if self.sbe_version is not None and channel.kind == "order_book" and any(
                c.kind == "order_book" and c.market == channel.market for c in self.channels.values()):
            # SBE book frames do not name their channel, so two book feeds of one market could not be told apart;
            # Paradex refuses the second one (observed live by third parties, PARADEX-WS.md §8).
            raise RpcError(-32600, "invalid subscribe request", "cannot share an SBE session")
        if len(self.channels) >= self.hub.settings.max_subscriptions:
            raise RpcError(42900, "max subscriptions per connection reached",
                           f"limit: {self.hub.settings.max_subscriptions}")
        self.channels[channel.name] = channel
        # The first data (a book's snapshot, the current bbo, summaries) follows the ack.
        return {"channel": channel.name}, lambda: self.hub.on_subscribed(self, channel)

    def _unsubscribe(self, params: dict) -> tuple[dict, None]:
        name = params.get("channel")
        if not isinstance(name, str) or name not in self.channels:
            raise RpcError(-32600, "invalid unsubscribe request", "not subscribed")
        del self.channels[name]
        self.snapshot_sent.pop(name, None)
        self.hub.forget_unused_books()
        return {"channel": name}, None

    def subscribed(self, kind: str, market: str | None = None) -> list[Channel]:
        return [c for c in self.channels.values() if c.kind == kind and (market is None or c.covers(market))]


class Hub:
    """Every connection of one sandbox, the engine's events routed to them, and the periodic feeds."""

    def __init__(self, state: Any, settings: WsSettings) -> None:
        self.state = state
        self.settings = settings
        self.sessions: set[Session] = set()
        self.faults = StreamFaults(self)
        self.markets = frozenset(state.engine.catalog.symbols)
        self._books: dict[str, Levels] = {}  # markets whose level changes someone streams -> levels last sent
        self._bbos: dict[str, tuple] = {}  # market -> the top of book last pushed
        self._unsubscribe_events: Callable[[], None] | None = None
        self._pulse: asyncio.Task | None = None
        self._expiries: dict[Session, asyncio.TimerHandle] = {}

    @property
    def engine(self) -> Any:
        return self.state.engine

    # -- connections ---------------------------------------------------------------------------------------------

    async def serve(self, request: web.Request) -> web.StreamResponse:
        sbe_version = self._negotiate(request)
        socket = web.WebSocketResponse(autoping=False, max_msg_size=1 << 20)
        await socket.prepare(request)
        session = Session(self, request, socket, sbe_version)
        self._attach(session)
        pinger = asyncio.get_running_loop().create_task(self._ping(session))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    session.handle(message.data)
                elif message.type == WSMsgType.PING:
                    if not self.faults.ignore_pings:
                        await socket.pong(message.data)
                elif message.type == WSMsgType.PONG:
                    session.last_pong = time.monotonic()
                elif message.type == WSMsgType.BINARY:
                    session.send_text({"jsonrpc": "2.0", "id": None,
                                       "error": {"code": -32700, "message": "parse error"}})
        finally:
            pinger.cancel()
            # A close frame from the client (the server did not start the close, and it was not cut: 1006).
            closed_by_client = not session.closing and socket.close_code not in (None, WSCloseCode.ABNORMAL_CLOSURE)
            self._detach(session)
            await session.finish()
            # After the orders in flight are in: cancel-on-disconnect covers them too.
            session.orders.disconnected(session.claims, closed_by_client)
        return socket

    def _negotiate(self, request: web.Request) -> int | None:
        schema, version = request.query.get("sbeSchemaId"), request.query.get("sbeSchemaVersion")
        if schema is None and version is None:
            if self.settings.require_sbe:
                raise web.HTTPBadRequest(text="sbeSchemaId and sbeSchemaVersion are required")
            return None
        if schema != str(SBE_SCHEMA_ID) or version is None or not version.isdigit() \
                or int(version) not in self.settings.sbe_versions:
            raise web.HTTPBadRequest(text=f"unsupported SBE schema {schema}:{version}")
        return int(version)

    async def _ping(self, session: Session) -> None:
        while not session.socket.closed:
            await asyncio.sleep(self.settings.ping_interval)
            if self.faults.ignore_pings:
                continue
            sent = time.monotonic()
            try:
                await session.socket.ping()
            except (ConnectionError, RuntimeError):
                return
            await asyncio.sleep(self.settings.pong_timeout)
            if session.last_pong < sent:
                session.close_soon(CLOSE_PONG_TIMEOUT, "pong timeout")
                return

    def _attach(self, session: Session) -> None:
        self.sessions.add(session)
        if self._unsubscribe_events is None:
            self._unsubscribe_events = self.engine.events.subscribe(self._on_event)
            self._pulse = asyncio.get_running_loop().create_task(self._run_pulse())

    def _detach(self, session: Session) -> None:
        self.sessions.discard(session)
        expiry = self._expiries.pop(session, None)
        if expiry is not None:
            expiry.cancel()
        if not self.sessions:
            self._stop_feeds()
        self.forget_unused_books()

    def _stop_feeds(self) -> None:
        if self._unsubscribe_events is not None:
            self._unsubscribe_events()
            self._unsubscribe_events = None
        if self._pulse is not None:
            self._pulse.cancel()
            self._pulse = None

    async def shutdown(self) -> None:
        for session in list(self.sessions):
            session.closing = True
            await session.socket.close(code=1001, message=b"server shutdown")
        self._stop_feeds()
        for expiry in self._expiries.values():
            expiry.cancel()
        self._expiries.clear()

    def watch_expiry(self, session: Session) -> None:
        if not self.settings.close_on_jwt_expiry:
            return
        previous = self._expiries.pop(session, None)
        if previous is not None:
            previous.cancel()
        delay = max(0.0, session.claims.expires_at - self.state.clock())
        self._expiries[session] = asyncio.get_running_loop().call_later(delay, session.expire)

    # -- subscriptions ---------------------------------------------------------------------------------------------

    def on_subscribed(self, session: Session, channel: Channel) -> None:
        """The data a channel starts with: a book's snapshot, the current bbo and summaries. Private channels send
        nothing until something happens (Paradex documents no initial snapshot for them)."""
        market = channel.market  # set for every book and bbo channel (parse_channel)
        if channel.kind == "order_book" and market is not None:
            levels = self._levels(market)
            book = self.engine.books[market]
            depth = None if channel.deltas else SNAPSHOT_DEPTH
            session.push(channel, book_snapshot(market, book, levels, depth))
            if not channel.deltas:
                session.snapshot_sent[channel.name] = (book.seq_no, time.monotonic())
        elif channel.kind == "bbo" and market is not None:
            self._levels(market)
            book = self.engine.books[market]
            session.push(channel, bbo(market, book, self._books[market]))
        elif channel.kind in ("markets_summary", "funding_data"):
            self._push_periodic(channel.kind, [session])

    def _levels(self, market: str) -> Levels:
        """Start following the levels of `market` (if not yet) and return them."""
        levels = self._books.get(market)
        if levels is None:
            levels = self._books[market] = book_levels(self.engine.books[market])
        return levels

    def forget_unused_books(self) -> None:
        used = {c.market for s in self.sessions for c in s.channels.values() if c.kind in ("order_book", "bbo")}
        for market in list(self._books):
            if market not in used:
                del self._books[market]
                self._bbos.pop(market, None)

    # -- events ----------------------------------------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        if event.kind == "book":
            self._on_book(event.payload)
        elif event.kind == "trade":
            market = event.payload["market"]
            for session in self.sessions:
                for channel in session.subscribed("trades", market):
                    session.push(channel, event.payload)
        elif event.kind == "order":
            self._on_private(event.account, "orders", event.payload["market"], event.payload)
            if event.payload["status"] in ("OPEN", "CLOSED"):
                self._on_account(event.account)
        elif event.kind == "fill":
            market = event.payload["market"]
            self._on_private(event.account, "fills", market, event.payload)
            owners = self._owners(event.account)
            if any(s.subscribed("positions") for s in owners):
                self._on_private(event.account, "positions", None, self.engine.position_now(event.account, market))
            self._on_account(event.account)

    def _owners(self, account: str | None) -> list[Session]:
        if account is None:
            return []
        address = int(account, 16)
        return [s for s in self.sessions if s.claims is not None and s.claims.account == address]

    def _on_private(self, account: str | None, kind: str, market: str | None, data: dict) -> None:
        for session in self._owners(account):
            for channel in session.subscribed(kind, market):
                session.push(channel, data)

    def _on_account(self, account: str | None) -> None:
        owners = [s for s in self._owners(account) if s.subscribed("account")]
        if owners:
            summary = self.engine.account_summary_now(account)
            for session in owners:
                for channel in session.subscribed("account"):
                    session.push(channel, summary)

    def _on_book(self, market: str) -> None:
        before = self._books.get(market)
        if before is None:
            return
        book = self.engine.books[market]
        after = self._books[market] = book_levels(book)
        delta: dict | None = None
        top = bbo(market, book, after)
        top_key = (top["bid"], top["bid_size"], top["ask"], top["ask_size"])
        bbo_changed = self._bbos.get(market) != top_key
        self._bbos[market] = top_key
        for session in self.sessions:
            for channel in session.subscribed("order_book", market):
                if channel.deltas:
                    delta = delta or book_delta(market, book, before, after)
                    session.push(channel, delta)
            if bbo_changed:
                for channel in session.subscribed("bbo", market):
                    session.push(channel, top)

    # -- periodic feeds --------------------------------------------------------------------------------------------

    async def _run_pulse(self) -> None:
        last_summary = 0.0
        while True:
            await asyncio.sleep(self.settings.pulse)
            self.engine.step()
            now = time.monotonic()
            self._refresh_snapshots(now)
            if now - last_summary >= self.settings.summary_interval:
                last_summary = now
                self._push_periodic("markets_summary", self.sessions)
                self._push_periodic("funding_data", self.sessions)

    def _refresh_snapshots(self, now: float) -> None:
        for session in self.sessions:
            for channel in session.subscribed("order_book"):
                market = channel.market
                if channel.deltas or market is None:
                    continue
                book = self.engine.books[market]
                seq, sent_at = session.snapshot_sent.get(channel.name, (-1, 0.0))
                if book.seq_no != seq and (now - sent_at) * 1000 >= channel.interval_ms:
                    session.push(channel, book_snapshot(market, book, self._levels(market), SNAPSHOT_DEPTH))
                    session.snapshot_sent[channel.name] = (book.seq_no, now)

    def _push_periodic(self, kind: str, sessions: Any) -> None:
        wanted = [(s, c) for s in sessions for c in s.subscribed(kind)]
        if not wanted:
            return
        rows = self._periodic_rows(kind)
        for session, channel in wanted:
            for market, row in rows.items():
                if channel.covers(market):
                    session.push(channel, row)

    def _periodic_rows(self, kind: str) -> dict[str, dict]:
        if kind == "markets_summary":
            return {row["symbol"]: row for row in self.engine.markets_summary("ALL")["results"]}
        return {market: self.engine.funding_data(market, page_size=1)["results"][0] for market in self.markets}


HUB = web.AppKey("ws_hub", Hub)


def install(app: web.Application, state: Any, settings: WsSettings) -> Hub:
    """Serve the WebSocket endpoint at GET /v1 of `app`."""
    hub = Hub(state, settings)
    app[HUB] = hub
    app.router.add_get("/v1", hub.serve)

    async def get_stream_faults(_: web.Request) -> web.Response:
        return web.json_response(hub.faults.to_json())

    async def post_stream_faults(request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise SandboxError("VALIDATION_ERROR", "a JSON object is expected")
        return web.json_response(hub.faults.apply(body))

    async def delete_stream_faults(_: web.Request) -> web.Response:
        hub.faults.clear()
        return web.Response(status=204)

    app.router.add_get("/_sandbox/stream-faults", get_stream_faults)
    app.router.add_post("/_sandbox/stream-faults", post_stream_faults)
    app.router.add_delete("/_sandbox/stream-faults", delete_stream_faults)

    async def close_streams(_: web.Application) -> None:
        await hub.shutdown()

    app.on_shutdown.append(close_streams)
    return hub
