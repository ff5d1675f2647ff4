"""How order requests travel. The unified order methods build, sign and check every request once (trading.py,
placement.py, cancel_confirmation.py); an `OrderTransport` only carries it: over REST (`rest_transport` below) or as
JSON-RPC on the WebSocket (ws_orders.py). Every transport answers in REST's shapes, so that one reading of the
answers serves both, and raises ccxt exceptions that `errors.is_refusal` can tell from an unknown outcome.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OrderTransport:
    # a signed order -> the Paradex order
    place: Callable[[dict], Awaitable[dict]]
    # signed orders -> {"orders": [Paradex order, ...], "errors": [{"error", "message"}, ...]}, errors in input order
    place_batch: Callable[[list[dict]], Awaitable[dict]]
    # a signed modification (it carries the order id) -> the Paradex order
    modify: Callable[[dict], Awaitable[dict]]
    # {"order_id"} or {"client_id", "market"?} plus the caller's params -> anything (the cancel is only queued)
    cancel: Callable[[dict], Awaitable[Any]]
    # {"order_ids"?, "client_order_ids"?} plus params -> {"results": [{"id", "client_id"?, "market"?, "status"}]}
    cancel_batch: Callable[[dict], Awaitable[dict]]
    # {"market"?} plus params -> anything
    cancel_all: Callable[[dict], Awaitable[Any]]


def rest_transport(exchange: Any) -> OrderTransport:
    """Paradex's REST endpoints, through the exchange's signed, rate-limited implicit API."""

    def cancel(request: dict) -> Awaitable[Any]:
        if "order_id" in request:
            return exchange.privateDeleteOrdersOrderId(request)
        return exchange.privateDeleteOrdersByClientIdClientId(request)

    return OrderTransport(
        place=exchange.privatePostOrders,
        place_batch=exchange.privatePostOrdersBatch,
        modify=lambda signed: exchange.privatePutOrdersOrderId(exchange.extend({"order_id": signed["id"]}, signed)),
        cancel=cancel,
        cancel_batch=exchange.privateDeleteOrdersBatch,
        cancel_all=exchange.privateDeleteOrders,
    )
