"""Finding an order again, in any state, and retrying a read until Paradex answers it.

Paradex serves an order on three routes, none of which covers every state: ``GET /orders/{id}`` (its API
reference: NEW and OPEN orders only; testnet has been seen serving CLOSED ones too), ``GET /orders/by_client_id``
(orders that are not closed) and ``/orders-history`` (every order, filterable by client id and creation time, not by
id). The look-ups here try them in that order, so they work whichever way Paradex serves closed orders.
"""
from __future__ import annotations

import asyncio
import time
from functools import partial
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ccxt.base.errors import BadResponse, BaseError, OrderNotFound, RateLimitExceeded

from .mixin_base import ExchangeBase
from .errors import is_refusal

T = TypeVar("T")

# First pause before reading again after a lost or throttled answer; pauses double up to LONGEST_PAUSE.
FIRST_PAUSE = 0.05
LONGEST_PAUSE = 1.0
# Paradex order ids start with the order's creation time in ms (13 digits), e.g. "1741844800770201709190650000".
ID_TIME_DIGITS = 13
# How far from the time in an order's id its created_at may lie (the id is taken when the order is created).
ID_TIME_SLACK_MS = 1000
HISTORY_PAGE = 100
# Pages of history searched for an order whose id tells no creation time.
UNWINDOWED_PAGES = 5


class Deadline:
    """A point in time (monotonic) that retries and confirmations must not pass."""

    def __init__(self, ms: float) -> None:
        self.at = time.monotonic() + max(0.0, ms) / 1000

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return self.remaining() <= 0


async def answered(call: Callable[[], Awaitable[T]], deadline: Deadline) -> T:
    """``call()`` until Paradex answers it: its result, or its refusal raised. A lost, cut or unreadable answer, a
    gateway failure or throttling is retried after a pause (doubling) while the deadline allows; after that the last
    error is raised. For reads only: they change nothing, so repeating them is always safe."""
    pause = FIRST_PAUSE
    while True:
        try:
            return await call()
        except BaseError as error:
            if is_refusal(error) and not isinstance(error, RateLimitExceeded):
                raise
            if deadline.remaining() < pause:
                raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)


def an_order(response: Any, what: str) -> dict:
    """`response` when it is a Paradex order (a JSON object with an id). Anything else in a 2xx answer (``{}``,
    ``[]``, an object without an id) is no answer at all: BadResponse, an unknown outcome (errors.is_refusal)."""
    if isinstance(response, dict) and isinstance(response.get("id"), str) and response["id"]:
        return response
    raise BadResponse(f"paradex {what}: the answer is not an order: {str(response)[:200]}")


def a_list(response: Any, key: str, what: str) -> dict:
    """`response` when it is a JSON object holding a list under `key` (Paradex's `results`, `orders`); else
    BadResponse, as for `an_order`."""
    if isinstance(response, dict) and isinstance(response.get(key), list):
        return response
    raise BadResponse(f"paradex {what}: the answer has no {key} list: {str(response)[:200]}")


def time_in_id(order_id: str | None) -> int | None:
    """The creation time (ms) Paradex writes at the start of its order ids, when the id has that shape."""
    if order_id is None or not order_id.isdigit() or len(order_id) < ID_TIME_DIGITS + 6:
        return None
    return int(order_id[:ID_TIME_DIGITS])


class OrderLookupMixin(ExchangeBase):
    async def _order_by_client_id(self, client_id: str, market_id: str | None = None,
                                  deadline: Deadline | None = None) -> dict | None:
        """The Paradex order with this client id in any state (the newest, if a closed order's client id was used
        again), or None when Paradex has none. Raises the last error when Paradex did not answer before the deadline
        (default: one try each)."""
        deadline = deadline or Deadline(0)
        async def open_order() -> dict:
            return an_order(await self.privateGetOrdersByClientIdClientId({"client_id": client_id}),
                            "GET /orders/by_client_id")

        try:
            return await answered(open_order, deadline)
        except OrderNotFound:
            pass
        request: dict[str, Any] = {"client_id": client_id}
        if market_id is not None:
            request["market"] = market_id
        response = await answered(partial(self._history_page, request), deadline)
        matches = [order for order in self.safe_list(response, "results", [])
                   if self.safe_string(order, "client_id") == client_id]
        return max(matches, key=lambda order: self.safe_integer(order, "created_at") or 0) if matches else None

    async def _order_by_id(self, order_id: str, market_id: str | None = None, created: int | None = None,
                           deadline: Deadline | None = None) -> dict | None:
        """The Paradex order with this id in any state, or None when Paradex has none: GET /orders/{id}, else the
        history around its creation time (``created``, else the time in its id)."""
        deadline = deadline or Deadline(0)
        async def served() -> dict:
            return an_order(await self.privateGetOrdersOrderId({"order_id": order_id}), "GET /orders/{id}")

        try:
            return await answered(served, deadline)
        except OrderNotFound:
            pass
        created = created if created is not None else time_in_id(order_id)
        request: dict[str, Any] = {"page_size": HISTORY_PAGE}
        if market_id is not None:
            request["market"] = market_id
        if created is not None:
            request.update(start_at=created - ID_TIME_SLACK_MS, end_at=created + ID_TIME_SLACK_MS)
        # Within a two-second window every page is read; without one (an id of another shape) the newest few.
        pages = None if created is not None else UNWINDOWED_PAGES
        seen: set[str] = set()
        while True:
            response = await answered(partial(self._history_page, request), deadline)
            for order in self.safe_list(response, "results", []):
                if self.safe_string(order, "id") == order_id:
                    return order
            cursor = self.safe_string(response, "next")
            if not cursor or cursor in seen or (pages is not None and len(seen) + 1 >= pages):
                return None
            seen.add(cursor)
            request = {**request, "cursor": cursor}

    async def _history_page(self, request: dict) -> dict:
        return a_list(await self.privateGetOrdersHistory(request), "results", "GET /orders-history")

    async def _open_orders_page(self, request: dict) -> dict:
        return a_list(await self.privateGetOrders(request), "results", "GET /orders")

    async def _lookup(self, id: str | None, client_id: str | None, market_id: str | None,
                      deadline: Deadline | None = None) -> dict | None:
        if id is not None:
            return await self._order_by_id(id, market_id, deadline=deadline)
        return await self._order_by_client_id(client_id, market_id, deadline)  # type: ignore[arg-type]
