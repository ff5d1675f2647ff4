"""Order entry over the WebSocket (Paradex's JSON-RPC ``order.*`` methods) and cancel-on-disconnect.

``create_order_ws``, ``create_orders_ws``, ``edit_order_ws``, ``cancel_order_ws``, ``cancel_orders_ws`` and
``cancel_all_orders_ws`` are their REST twins (trading.py) with another `OrderTransport`: the same validation, client
ids, signing, recv_window, look-ups before a resend and confirmed cancels; only the carrying differs. Orders travel
on one connection of their own (the base URL with the ``#orders`` fragment, which never reaches the server), so that
cancel-on-disconnect covers exactly that connection and a burst of channel data never queues ahead of an order.

What an answer means:
- a JSON-RPC ``result``: the request's outcome, read into REST's shapes;
- a JSON-RPC ``error`` with a code (except -32603, internal error): a refusal, mapped to a ccxt exception; a Paradex
  error code in its ``data`` or message (``ORDER_NOT_FOUND``, ...) is mapped through errors.EXACT like REST's;
- no answer (the connection dropped after the request left, or nothing came within ``self.timeout``), or -32603: the
  outcome is unknown, and placement.py looks the order up (over REST) before anything is sent again.

Cancel-on-disconnect (``options['cancelOnDisconnect']``, or ``set_cancel_on_disconnect``) is armed on the orders
connection before its first order, and again on every new connection: Paradex forgets it when a connection ends.
"""
from __future__ import annotations

import asyncio
import re
from typing import Any

from ccxt.async_support.base.ws.future import Future
from ccxt.base.errors import BaseError, ExchangeError, OrderNotFound, RequestTimeout

from .errors import EXACT, answered_no, never_sent, paradex_error, with_paradex_error
from .order_transport import OrderTransport
from .trading import TradingMixin
from .ws_connection import RPC

INTERNAL_ERROR = "-32603"
PARADEX_CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")

HAS: dict[str, bool] = {
    "createOrderWs": True,
    "createOrdersWs": True,
    "editOrderWs": True,
    "cancelOrderWs": True,
    "cancelOrdersWs": True,
    "cancelAllOrdersWs": True,
}


def batch_answer(result: Any) -> dict:
    """order.create_batch's ``{results: [{order, ...} | {error}]}`` in REST's batch shape ``{orders, errors}``. An
    entry's error is a string in Paradex's OpenRPC; a leading Paradex code (``CODE: text``) becomes the error code,
    and an error object (REST's shape) is taken as it is."""
    orders: list[dict] = []
    errors: list[dict] = []
    for entry in (result or {}).get("results") or []:
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("order"), dict):
            orders.append(entry["order"])
            continue
        error = entry.get("error")
        if isinstance(error, dict):
            errors.append(error)
            continue
        text = str(error or "")
        code, _, message = text.partition(": ")
        errors.append({"error": code, "message": message} if message and code in EXACT else
                      {"error": None, "message": text})
    return {"orders": orders, "errors": errors}


def the_order(result: Any) -> dict:
    """The order of an order.create / order.modify result: ``{order: {...}, ...}`` in the OpenRPC schema; a bare
    order object is taken too (Paradex's REST answers that way, and its WS docs show no live sample)."""
    if isinstance(result, dict) and isinstance(result.get("order"), dict):
        return result["order"]
    return result


class WsOrdersMixin(TradingMixin):
    def describe(self) -> dict:
        return self.deep_extend(super().describe(), {
            "has": HAS,
            "options": {
                # Arm Paradex's order.cancel_on_disconnect on the orders connection: if it drops, Paradex cancels
                # the account's open orders.
                "cancelOnDisconnect": False,
            },
        })

    # -- the unified *_ws methods ----------------------------------------------------------------------------------

    async def create_order_ws(self, symbol: str, type: str, side: str, amount: Any, price: Any = None,
                              params: dict | None = None) -> dict:
        """create_order over the WebSocket (order.create)."""
        return await self._create_order(self._ws_transport(), symbol, type, side, amount, price, params)

    async def create_orders_ws(self, orders: list[dict], params: dict | None = None) -> list[dict]:
        """create_orders over the WebSocket (order.create_batch, chunks of 10)."""
        return await self._create_orders(self._ws_transport(), orders, params)

    async def edit_order_ws(self, id: str, symbol: str | None, type: str | None, side: str | None,
                            amount: Any = None, price: Any = None, params: dict | None = None) -> dict:
        """edit_order over the WebSocket (order.modify)."""
        return await self._edit_order(self._ws_transport(), id, symbol, type, side, amount, price, params)

    async def cancel_order_ws(self, id: str | None, symbol: str | None = None, params: dict | None = None) -> dict:
        """cancel_order over the WebSocket (order.cancel)."""
        return await self._cancel_order(self._ws_transport(), id, symbol, params)

    async def cancel_orders_ws(self, ids: list[str] | None, symbol: str | None = None,
                               params: dict | None = None) -> list[dict]:
        """cancel_orders over the WebSocket (order.cancel_batch)."""
        return await self._cancel_orders(self._ws_transport(), ids, symbol, params)

    async def cancel_all_orders_ws(self, symbol: str | None = None, params: dict | None = None) -> list[dict]:
        """cancel_all_orders over the WebSocket (order.cancel_all)."""
        return await self._cancel_all_orders(self._ws_transport(), symbol, params)

    async def set_cancel_on_disconnect(self, enabled: bool) -> None:
        """Switch cancel-on-disconnect (options['cancelOnDisconnect']) and apply it to the orders connection now,
        opening it if needed: when this returns, Paradex has confirmed the new state."""
        if not isinstance(enabled, bool):
            raise TypeError("enabled must be a bool")
        self.options["cancelOnDisconnect"] = enabled
        await self._orders_connection()

    # -- the orders connection -------------------------------------------------------------------------------------

    def orders_connection_url(self) -> str:
        return self.ws_base_url() + "#orders"

    async def _orders_connection(self) -> str:
        """The orders connection, authenticated, with cancel-on-disconnect as the options want it. A failure here
        happens before any order request leaves: `never_sent`."""
        url = self.orders_connection_url()
        try:
            await self.ws_authenticate(url)
            await self._arm_cancel_on_disconnect(url)
        except BaseError as error:
            raise never_sent(error) from None
        return url

    async def _arm_cancel_on_disconnect(self, url: str) -> None:
        """Send order.cancel_on_disconnect when the connection's state differs from the wanted one (a new
        connection starts disarmed); concurrent callers share the one request."""
        wanted = bool(self.options.get("cancelOnDisconnect"))
        client = self.client(url)
        armed: tuple[bool, Future] | None = getattr(client, "paradex_cancel_on_disconnect", None)
        if armed is None and not wanted:
            return
        if armed is None or armed[0] != wanted:
            future = Future()
            armed = client.paradex_cancel_on_disconnect = (wanted, future)
            self.spawn(self._send_cancel_on_disconnect, url, client, wanted, future)
        await armed[1]

    async def _send_cancel_on_disconnect(self, url: str, client: Any, wanted: bool, future: Future) -> None:
        try:
            result = await self._rpc(url, "order.cancel_on_disconnect", {"enabled": wanted})
            if self.safe_bool(result, "enabled", wanted) != wanted:
                raise ExchangeError(f"{self.id} order.cancel_on_disconnect answered {result}, not enabled={wanted}")
            future.resolve(True)
        except Exception as error:  # noqa: BLE001 - handed to every waiter
            if getattr(client, "paradex_cancel_on_disconnect", None) == (wanted, future):
                del client.paradex_cancel_on_disconnect
            future.reject(error)

    # -- JSON-RPC calls --------------------------------------------------------------------------------------------

    async def _rpc(self, url: str, method: str, params: dict) -> Any:
        """One request on `url`; no answer within self.timeout ms is a RequestTimeout (an unknown outcome)."""
        request_id, message = self._rpc_message(method, params)
        message_hash = RPC + str(request_id)
        try:
            return await asyncio.wait_for(self.watch(url, message_hash, message, message_hash), self.timeout / 1000)
        except asyncio.TimeoutError:
            client = (self.clients or {}).get(url)
            if client is not None:
                client.futures.pop(message_hash, None)
                client.subscriptions.pop(message_hash, None)
            self.ws_pending.pop(request_id, None)
            raise RequestTimeout(f"{self.id} {method}: no answer on the WebSocket within {self.timeout} ms") from None
        except BaseError as error:
            raise self._order_error(error) from None

    def _order_error(self, error: BaseError) -> BaseError:
        """A JSON-RPC error as a refusal (answered_no), with the Paradex code found in its data or message mapped
        like REST's; -32603 and errors without a JSON-RPC code (a dropped connection) stay unknown outcomes."""
        rpc = paradex_error(error)
        code = rpc.get("error")
        if code is None or code == INTERNAL_ERROR:
            return error
        message = str(rpc.get("message") or "")
        data = getattr(error, "rpc_data", None)
        candidates = ([data] if isinstance(data, str) else []) + PARADEX_CODE.findall(message)
        paradex_code = next((c for c in candidates if c in EXACT), None)
        if paradex_code is None:
            return answered_no(error)
        mapped = EXACT[paradex_code](f"{self.id} {paradex_code}: {message} (JSON-RPC error {code})")
        return answered_no(with_paradex_error(mapped, paradex_code, message))

    async def _ws_order_call(self, method: str, params: dict) -> Any:
        return await self._rpc(await self._orders_connection(), method, params)

    def _ws_transport(self) -> OrderTransport:
        async def place(signed: dict) -> dict:
            return the_order(await self._ws_order_call("order.create", signed))

        async def place_batch(signed: list[dict]) -> dict:
            return batch_answer(await self._ws_order_call("order.create_batch", {"orders": signed}))

        async def modify(signed: dict) -> dict:
            return the_order(await self._ws_order_call("order.modify", signed))

        async def cancel(request: dict) -> Any:
            request = dict(request)
            if "order_id" in request:
                request["id"] = request.pop("order_id")
            elif request.get("market") is None:
                # order.cancel needs the market with a client id; REST's twin does not: read it from the order.
                request["market"] = await self._market_of_client_id(request["client_id"])
            return await self._ws_order_call("order.cancel", request)

        def call(method: str) -> Any:
            return lambda request: self._ws_order_call(method, request)

        return OrderTransport(place=place, place_batch=place_batch, modify=modify, cancel=cancel,
                              cancel_batch=call("order.cancel_batch"), cancel_all=call("order.cancel_all"))

    async def _market_of_client_id(self, client_id: str) -> str:
        order = await self._order_by_client_id(client_id, None, self._lookup_deadline())
        if order is None:
            # Nothing was sent: a refusal (OrderNotFound), as REST's answer for an unknown client id would be.
            raise never_sent(OrderNotFound(f"{self.id} no order with client id {client_id}"))
        return order["market"]

