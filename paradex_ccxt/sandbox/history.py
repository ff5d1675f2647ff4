"""Every order the sandbox accepted, indexed by account and creation time, with a bound per account.

A page of GET /orders-history bisects the account's (created_at, id) index to its cursor and time range, then walks
only as far as the page needs: an unfiltered page reads page_size + 1 orders whether the account has a thousand or a
million. A filter (market, status, ...) walks until it has found enough matches.

Retention: an account keeps at most `limit` orders (None: all). Past that, its oldest CLOSED orders are forgotten, by
id and by client id too, as if they had aged out of Paradex's history; orders still open are never dropped. Trimming
waits until the account is a tenth over its limit, so its cost is spread over the orders that caused it.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from .marketdata import paginate


class Historic(Protocol):
    id: str
    account: str
    client_id: str
    created_at: int
    status: str


OrderT = TypeVar("OrderT", bound=Historic)


def key(order: Historic) -> tuple[int, str]:
    return order.created_at, order.id


class _AccountOrders(Generic[OrderT]):
    __slots__ = ("rows", "keys", "by_client_id")

    def __init__(self) -> None:
        self.rows: list[OrderT] = []  # oldest first
        self.keys: list[tuple[int, str]] = []  # key(rows[i]), for bisect
        self.by_client_id: dict[str, OrderT] = {}  # client id -> the latest order that carried it


class OrderHistory(Generic[OrderT]):
    def __init__(self, limit: int | None = None) -> None:
        if limit is not None and limit < 1:
            raise ValueError("history limit must be at least 1 (None keeps every order)")
        self.limit = limit
        self._by_id: dict[str, OrderT] = {}
        self._accounts: dict[str, _AccountOrders[OrderT]] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, order: OrderT) -> None:
        held = self._accounts.setdefault(order.account, _AccountOrders())
        order_key = key(order)
        if not held.keys or held.keys[-1] < order_key:
            held.rows.append(order)
            held.keys.append(order_key)
        else:  # a clock that stepped back: still sorted
            at = bisect.bisect(held.keys, order_key)
            held.rows.insert(at, order)
            held.keys.insert(at, order_key)
        self._by_id[order.id] = order
        if order.client_id:
            held.by_client_id[order.client_id] = order
        if self.limit is not None and len(held.rows) > self.limit + max(1, self.limit // 10):
            self._trim(held, len(held.rows) - self.limit)

    def get(self, order_id: str) -> OrderT | None:
        return self._by_id.get(order_id)

    def last_by_client_id(self, account: str, client_id: str) -> OrderT | None:
        held = self._accounts.get(account)
        return held.by_client_id.get(client_id) if held is not None else None

    def page(self, account: str, keep: Callable[[OrderT], bool], start_at: int | None, end_at: int | None,
             cursor: str | None, page_size: int) -> dict:
        """A newest-first page (see marketdata.paginate) of the account's orders created in [start_at, end_at]
        (ms, inclusive) that `keep` accepts. Raises ValueError for a malformed cursor."""
        held = self._accounts.get(account) or _AccountOrders()
        rows, keys = held.rows, held.keys
        low = 0 if start_at is None else bisect.bisect_left(keys, (start_at,))
        high = len(keys) if end_at is None else bisect.bisect_left(keys, (end_at + 1,))

        def older(bound: tuple | None, n: int) -> list[OrderT]:
            at = high if bound is None else min(high, bisect.bisect_left(keys, tuple(bound)))
            found: list[OrderT] = []
            while at > low and len(found) < n:
                at -= 1
                if keep(rows[at]):
                    found.append(rows[at])
            return found

        def newer(bound: tuple, n: int) -> list[OrderT]:
            at = max(low, bisect.bisect_right(keys, tuple(bound)))
            found: list[OrderT] = []
            while at < high and len(found) < n:
                if keep(rows[at]):
                    found.append(rows[at])
                at += 1
            return found

        return paginate(older, newer, cursor, page_size, key)

    def _trim(self, held: _AccountOrders[OrderT], excess: int) -> None:
        """Forget the account's `excess` oldest CLOSED orders; open ones met on the way stay, oldest first."""
        still_open: list[OrderT] = []
        at = 0
        while excess and at < len(held.rows):
            order = held.rows[at]
            at += 1
            if order.status != "CLOSED":
                still_open.append(order)
                continue
            excess -= 1
            del self._by_id[order.id]
            if held.by_client_id.get(order.client_id) is order:
                del held.by_client_id[order.client_id]
        held.rows[:at] = still_open
        held.keys[:at] = [key(order) for order in still_open]
