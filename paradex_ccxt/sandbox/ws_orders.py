"""Order entry on the WebSocket (PARADEX-WS.md §2, Paradex's OpenRPC): ``order.create``, ``order.create_batch``,
``order.modify``, ``order.cancel``, ``order.cancel_batch``, ``order.cancel_all`` and ``order.cancel_on_disconnect``.

The checks are REST's (recv_window, the Stark signature by a key of the logged-in account, the engine's gateway
checks) and the rate-limit buckets are REST's own (a batch draws one token, as Paradex's OpenRPC says). Answers
follow the OpenRPC schemas: ``{order, created_at, received_at}`` for a new order, ``{results: [...]}`` for batches,
``{order_id, status: "QUEUED_FOR_CANCELLATION"}`` for a cancel (queued, not done: the CLOSED update follows on the
orders channel), ``{status: "ok"}`` for a cancel-all, ``{enabled}`` for cancel-on-disconnect.

Refusals: 40300 before ``auth`` (and for a read-only API token), 42901 when a bucket is empty, and 100 "method error"
for a refusal of Paradex's REST vocabulary, its code in ``data`` (``{"code": 100, "message": text, "data":
"ORDER_NOT_FOUND"}``; Paradex documents no shape for these: the sandbox's choice, and ``WsOrderSettings.codes_in_data``
False gives the harsher variant of the code only inside the message text).
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..vocabulary import BATCH_MAX_ORDERS
from . import auth
from .ledger import SandboxError
from .ratelimit import Scope, scopes_for

METHOD_ERROR = 100


class RpcError(Exception):
    """A JSON-RPC error object: {code, message, data?}."""

    def __init__(self, code: int, message: str, data: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.data = code, message, data

    def body(self) -> dict:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


@dataclass
class WsOrderSettings:
    """Points of order entry on the WebSocket that Paradex leaves open; each default is the documented or likelier
    reading, the alternative the harsher one."""

    # A refused order's Paradex code in the error's `data` (True) or only inside its message text (False).
    codes_in_data: bool = True
    # What a dropped connection with cancel-on-disconnect armed cancels. OpenRPC: "all orders placed (or already
    # tracked) during this connection". "account": every open order of the account (the issue's reading);
    # "connection": only the orders this connection placed (harsher for a bot that also places over REST).
    cancel_on_disconnect_scope: str = "account"
    # Whether a close the client asked for (its close frame) cancels too. OpenRPC says the orders are cancelled "if
    # the WebSocket disconnects unexpectedly": False reads that strictly (only a lost connection cancels); True, the
    # default and the harsher reading for a bot that reconnects on purpose, cancels on any end of the connection.
    cancel_on_close: bool = True


class SandboxState(Protocol):
    """What the order methods need of the sandbox's state (server.State)."""

    engine: Any
    limiter: Any
    chain_id: str
    clock: Callable[[], float]

    def now_ms(self) -> int: ...

    def cancel_later(self, address: str, order_ids: list[str]) -> None: ...


class OrderSession:
    """One connection's order entry: its cancel-on-disconnect switch and the orders it placed."""

    def __init__(self, state: SandboxState, settings: WsOrderSettings, remote: str) -> None:
        self.state = state
        self.settings = settings
        self.remote = remote
        self.cancel_on_disconnect = False
        self.placed: set[str] = set()
        self.methods: dict[str, Callable[[Any, dict], Awaitable[dict]]] = {
            "order.create": self.create,
            "order.create_batch": self.create_batch,
            "order.modify": self.modify,
            "order.cancel": self.cancel,
            "order.cancel_batch": self.cancel_batch,
            "order.cancel_all": self.cancel_all,
            "order.cancel_on_disconnect": self.switch_cancel_on_disconnect,
        }

    async def call(self, method: str, claims: Any, params: dict) -> dict:
        """Run one order method for the connection's login `claims` (None before auth)."""
        if claims is None:
            raise RpcError(40300, "permission denied", "authentication required")
        if claims.read_only:
            raise RpcError(40300, "permission denied", "a read-only API token cannot place or cancel orders")
        address = hex(claims.account)
        verdict = self.state.limiter.check(scopes_for("POST", "/v1/orders", True),
                                           {Scope.PRIVATE_IP: self.remote, Scope.ORDERS: address})
        if not verdict.allowed:
            raise RpcError(42901, "rate limit exceeded", f"retry after {max(1.0, verdict.retry_after):g}s")
        try:
            return await self.methods[method](claims, params)
        except SandboxError as refused:
            if self.settings.codes_in_data:
                raise RpcError(METHOD_ERROR, refused.message, refused.code) from None
            raise RpcError(METHOD_ERROR, f"{refused.code}: {refused.message}") from None

    # -- new orders ------------------------------------------------------------------------------------------------

    async def _verify(self, claims: Any, body: Any, order_id: str | None = None) -> None:
        if not isinstance(body, dict):
            raise RpcError(-32602, "invalid params", "an order must be a JSON object")
        if order_id is None:
            auth.check_recv_window(body, self.state.now_ms())
        signers = auth.signing_keys(self.state.engine.account(hex(claims.account)), first=claims.public_key)
        await asyncio.to_thread(auth.verify_order, body, chain_id=self.state.chain_id, account=claims.account,
                                signers=signers, order_id=order_id)

    def _created(self, order: dict) -> dict:
        self.placed.add(order["id"])
        return {"order": order, "created_at": order["created_at"], "received_at": int(self.state.clock() * 1e9)}

    async def create(self, claims: Any, params: dict) -> dict:
        await self._verify(claims, params)
        return self._created(self.state.engine.submit(hex(claims.account), params))

    async def create_batch(self, claims: Any, params: dict) -> dict:
        bodies = params.get("orders")
        if not isinstance(bodies, list) or not 1 <= len(bodies) <= BATCH_MAX_ORDERS:
            raise SandboxError("BATCH_SIZE_OUT_OF_RANGE", f"a batch holds 1 to {BATCH_MAX_ORDERS} orders")
        for body in bodies:
            await self._verify(claims, body)  # OpenRPC: every signature is checked before any order is matched
        # The engine accepts a whole batch or refuses it (its first error), so every entry succeeds here; OpenRPC's
        # per-entry {"error": text} is read by the client all the same (ws_orders.batch_answer).
        answer = self.state.engine.submit_batch(hex(claims.account), bodies)
        return {"results": [self._created(order) for order in answer["orders"]]}

    async def modify(self, claims: Any, params: dict) -> dict:
        order_id = params.get("id")
        if not isinstance(order_id, str) or not order_id:
            raise RpcError(-32602, "invalid params", "id is required")
        await self._verify(claims, params, order_id=order_id)
        return {"order": self.state.engine.modify(hex(claims.account), order_id, params)}

    # -- cancels ---------------------------------------------------------------------------------------------------

    async def cancel(self, claims: Any, params: dict) -> dict:
        address = hex(claims.account)
        order_id, client_id, market = params.get("id"), params.get("client_id"), params.get("market")
        if order_id is not None:
            order = self.state.engine.cancellable(address, str(order_id))
        elif client_id is not None and market is not None:
            order = self.state.engine.get_order_by_client_id(address, str(client_id))
            if order["market"] != market:
                raise SandboxError("CLIENT_ORDER_ID_NOT_FOUND", f"client order id not found: {client_id}")
            if order["status"] == "CLOSED":
                raise SandboxError("ORDER_IS_CLOSED", f"order is closed: {order['id']}")
        else:
            raise RpcError(-32602, "invalid params", "id, or client_id with market, is required")
        self.state.cancel_later(address, [order["id"]])
        return {"order_id": order["id"], "status": "QUEUED_FOR_CANCELLATION"}

    async def cancel_batch(self, claims: Any, params: dict) -> dict:
        # OpenRPC lists order_ids only; client_order_ids are taken as on REST's DELETE /orders/batch.
        order_ids, client_ids = params.get("order_ids") or [], params.get("client_order_ids") or []
        if not isinstance(order_ids, list) or not isinstance(client_ids, list) or not (order_ids or client_ids):
            raise RpcError(-32602, "invalid params", "order_ids must be a non-empty list")
        address = hex(claims.account)
        answer, to_cancel = self.state.engine.plan_cancel_batch(address, order_ids, client_ids)
        self.state.cancel_later(address, to_cancel)
        return answer

    async def cancel_all(self, claims: Any, params: dict) -> dict:
        address = hex(claims.account)
        market = params.get("market")
        if market is not None and market not in self.state.engine.catalog:
            raise SandboxError("MARKET_NOT_FOUND", f"market not found: {market}")
        open_orders = self.state.engine.open_orders(address, market)["results"]
        self.state.cancel_later(address, [order["id"] for order in open_orders])
        return {"status": "ok"}

    async def switch_cancel_on_disconnect(self, claims: Any, params: dict) -> dict:
        enabled = params.get("enabled")
        if not isinstance(enabled, bool):
            raise RpcError(-32602, "invalid params", "enabled must be a boolean")
        self.cancel_on_disconnect = enabled
        return {"enabled": enabled}

    # -- the connection dropped ------------------------------------------------------------------------------------

    def disconnected(self, claims: Any, closed_by_client: bool) -> list[str]:
        """Cancel what cancel-on-disconnect covers, at once (the account is gone from the socket; nothing to
        acknowledge); returns the ids cancelled. Paradex documents no cancel_reason for these cancels: they close as
        USER_CANCELED, the reason the engine gives every cancel."""
        if not self.cancel_on_disconnect or claims is None or (closed_by_client and not self.settings.cancel_on_close):
            return []
        address = hex(claims.account)
        open_ids = [order["id"] for order in self.state.engine.open_orders(address)["results"]]
        if self.settings.cancel_on_disconnect_scope == "connection":
            open_ids = [order_id for order_id in open_ids if order_id in self.placed]
        cancelled = []
        for order_id in open_ids:
            try:
                self.state.engine.cancel(address, order_id)
                cancelled.append(order_id)
            except SandboxError as error:
                if error.code != "ORDER_IS_CLOSED":
                    raise
        return cancelled
