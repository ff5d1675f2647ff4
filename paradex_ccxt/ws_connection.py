"""Paradex's WebSocket control plane on ccxt's own WebSocket machinery: connections, JSON-RPC requests, auth,
channel subscriptions spread over connections, error codes, SBE frames.

Built on ``self.watch`` / ``self.client`` / ``client.resolve`` of ``ccxt.async_support.base.exchange.Exchange``,
like ccxt's pro classes. A connection is a ccxt client keyed by its URL; connections after the first get a URL
fragment (``#1``, ``#2``, ...), which never reaches the server, so that more than
``options['wsMaxSubscriptionsPerConnection']`` channels (Paradex refuses the 201st with 42900) spread over
several connections. Every new connection authenticates on its own, with a JWT from the exchange's JWT session
(refreshed before it expires; a JWT the server refuses is replaced and the auth sent once more), so a reconnect
never reuses a stale token.

A dropped connection rejects its pending watches with ``NetworkError`` (ccxt's convention); the next ``watch_*``
call reconnects, after ccxt's dial backoff when dialling failed, authenticates afresh and resubscribes.
Reused by order entry over WebSocket: `ws_request` sends any JSON-RPC method and returns its result.
"""
from __future__ import annotations

import itertools
from typing import Any

from ccxt.async_support.base.ws.future import Future
from ccxt.base.errors import (
    AuthenticationError,
    BadRequest,
    BadResponse,
    ExchangeError,
    NotSupported,
    OperationRejected,
    PermissionDenied,
    RateLimitExceeded,
)

from . import sbe
from .errors import with_paradex_error
from .mixin_base import ExchangeBase

AUTH = "authenticated"
RPC = "rpc:"

# Paradex's WebSocket error codes (PARADEX-WS.md §2) -> ccxt exceptions.
WS_ERRORS: dict[int, type] = {
    -32700: BadRequest,  # parse error
    -32600: BadRequest,  # invalid request; an unknown channel is this with data "invalid channel"
    -32601: NotSupported,  # method not found
    -32602: BadRequest,  # invalid params
    -32603: ExchangeError,  # internal error
    100: ExchangeError,  # method error
    40110: AuthenticationError,  # malformed bearer
    40111: AuthenticationError,  # invalid bearer
    40112: PermissionDenied,  # geo-IP blocked
    40300: AuthenticationError,  # authentication required
    42900: OperationRejected,  # max subscriptions per connection
    42901: RateLimitExceeded,
}


def ws_error(exchange_id: str, error: dict) -> Exception:
    """A ccxt exception for a JSON-RPC error object, Paradex's code first in the message."""
    code = error.get("code")
    message = str(error.get("message", ""))
    data = error.get("data")
    text = f"{exchange_id} {code}: {message}" + (f" ({data})" if data else "")
    exception = WS_ERRORS.get(code, ExchangeError) if isinstance(code, int) else ExchangeError
    mapped = with_paradex_error(exception(text), str(code), message)
    mapped.rpc_data = data  # order entry reads a Paradex error code from it (ws_orders.py)
    return mapped


class WsConnectionMixin(ExchangeBase):
    """Connections and the JSON-RPC control plane. Channel data goes to ``self.handle_channel_data(client, channel,
    data)`` (streaming.py), in Paradex's JSON shape whether the frame was JSON or SBE."""

    def ws_base_url(self) -> str:
        url = self.urls["api"]["ws"]
        if not self.ws_uses_sbe():
            return url
        return f"{url}?sbeSchemaId={sbe.SCHEMA_ID}&sbeSchemaVersion={self.options['sbeSchemaVersion']}"

    def ws_uses_sbe(self) -> bool:
        return bool(self.options.get("sbe", True))

    def _request_ids(self) -> Any:
        ids = self.__dict__.get("_ws_ids")
        if ids is None:
            ids = self.__dict__["_ws_ids"] = itertools.count(1)
        return ids


    # -- connections -----------------------------------------------------------------------------------------------

    @staticmethod
    def _channels_of(client: Any) -> list[str]:
        return [key for key in client.subscriptions if key != AUTH and not key.startswith(RPC)]

    def connection_for(self, channel: str) -> str:
        """The URL of the connection that holds (or will hold) `channel`: where it is already subscribed, else the
        first connection with room for one more subscription (a connection not open yet has room)."""
        held = self.connection_of(channel)
        if held is not None:
            return held[0]
        base = self.ws_base_url()
        limit = int(self.options["wsMaxSubscriptionsPerConnection"])

        def has_room(url: str) -> bool:
            client = (self.clients or {}).get(url)
            return client is None or len(self._channels_of(client)) < limit

        return next(url for url in (base if n == 0 else f"{base}#{n}" for n in itertools.count()) if has_room(url))

    def connection_of(self, channel: str) -> tuple[str, Any] | None:
        for url, client in (self.clients or {}).items():
            if channel in client.subscriptions:
                return url, client
        return None

    # -- JSON-RPC --------------------------------------------------------------------------------------------------

    def _rpc_message(self, method: str, params: dict, channel: str = "") -> tuple[int, dict]:
        request_id = next(self._request_ids())
        self.ws_pending[request_id] = (method, channel)
        return request_id, {"jsonrpc": "2.0", "method": method, "params": params, "id": request_id}

    async def ws_request(self, url: str, method: str, params: dict) -> Any:
        """Send one JSON-RPC request on the connection of `url` and return its `result` (a ccxt exception for an
        `error`)."""
        request_id, message = self._rpc_message(method, params)
        message_hash = RPC + str(request_id)
        return await self.watch(url, message_hash, message, message_hash)

    async def ws_authenticate(self, url: str) -> None:
        """Authenticate the connection of `url` once; concurrent callers share the one auth."""
        client = self.client(url)
        future = client.subscriptions.get(AUTH)
        if future is None:
            future = client.subscriptions[AUTH] = Future()
            self.spawn(self._ws_login, url, client, future)
        await future

    async def _ws_login(self, url: str, client: Any, future: Future) -> None:
        try:
            for attempt in range(2):
                token = await self.jwt_session.token()
                try:
                    await self.ws_request(url, "auth", {"bearer": token})
                    future.resolve(True)
                    return
                except AuthenticationError:
                    # The server no longer honours a JWT we thought alive (expired sessions): a new login, once.
                    self.jwt_session.invalidate(token)
                    if attempt:
                        raise
        except Exception as error:  # noqa: BLE001 - handed to every waiter of this auth
            if client.subscriptions.get(AUTH) is future:
                del client.subscriptions[AUTH]
            future.reject(error)

    async def ws_subscribe(self, channel: str, private: bool = False) -> Any:
        """Subscribe `channel` (once per connection) and wait for its next update, resolved under the channel's
        name by the handlers."""
        return await (await self._next_update(channel, private))

    async def ws_subscribe_any(self, channels: list[str], private: bool = False) -> Any:
        """Subscribe every channel and wait for the first update of any of them."""
        return await Future.race([await self._next_update(channel, private) for channel in channels])

    async def _next_update(self, channel: str, private: bool) -> Any:
        """The future of `channel`'s next update, subscribing it first on a connection that has not (and logging
        that connection in for a private channel)."""
        url = self.connection_for(channel)
        if private:
            await self.ws_authenticate(url)
        client = self.client(url)
        message = None
        if channel not in client.subscriptions:
            _, message = self._rpc_message("subscribe", {"channel": channel}, channel)
        return self.watch(url, channel, message, channel)

    async def ws_unsubscribe(self, channels: list[str]) -> None:
        """Unsubscribe channels; their pending watches end with ccxt's UnsubscribeError."""
        for channel in channels:
            held = self.connection_of(channel)
            if held is None:
                continue
            url, client = held
            await self.ws_request(url, "unsubscribe", {"channel": channel})
            self.clean_unsubscription(client, channel, None)

    # -- incoming --------------------------------------------------------------------------------------------------

    def handle_message(self, client: Any, message: Any) -> None:
        if isinstance(message, (bytes, bytearray)):
            self._handle_sbe(client, bytes(message))
            return
        if not isinstance(message, dict):
            return
        if message.get("id") is not None and ("result" in message or "error" in message):
            self._handle_reply(client, message)
        elif message.get("method") == "subscription":
            params = message.get("params") or {}
            self.handle_channel_data(client, str(params.get("channel", "")), params.get("data") or {})
        elif "error" in message:
            self._handle_unsolicited_error(client, message["error"])

    def _handle_sbe(self, client: Any, frame: bytes) -> None:
        try:
            decoded = sbe.decode(frame)
        except sbe.SbeDecodeError as error:
            client.reject(BadResponse(f"{self.id} undecodable SBE frame: {error}"))
            return
        # None: a template this schema version does not know, or a heartbeat: skipped, as the schema says
        message = sbe.to_paradex_json(decoded) if decoded is not None else None
        if message is not None:
            self.handle_channel_data(client, *message)

    def _handle_reply(self, client: Any, message: dict) -> None:
        request_id = message["id"]  # handle_message routes here only the messages that carry an id
        method, channel = self.ws_pending.pop(request_id, ("", ""))
        error = message.get("error")
        exception = ws_error(self.id, error) if isinstance(error, dict) else None
        if method == "subscribe":
            if exception is not None:
                client.subscriptions.pop(channel, None)
                client.reject(exception, channel)
            return
        message_hash = RPC + str(request_id)
        client.subscriptions.pop(message_hash, None)
        if exception is not None:
            client.reject(exception, message_hash)
        else:
            client.resolve(message.get("result"), message_hash)

    def _handle_unsolicited_error(self, client: Any, error: Any) -> None:
        """An error that answers no request: the server ending the session (an expired JWT, 40111). The JWT is
        forgotten so that the reconnect logs in again; the connection is given up (its watches fail with the
        error, and the next watch_* call opens a new one)."""
        exception = ws_error(self.id, error if isinstance(error, dict) else {"message": str(error)})
        if isinstance(exception, AuthenticationError):
            self.jwt_session.invalidate(self.jwt_session.current)
        client.on_error(exception)
