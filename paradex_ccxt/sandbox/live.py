"""Every order the sandbox accepted, and the indexes over the live ones (NEW / UNTRIGGERED / OPEN).

Each change of an order's status, size or price ends in ``update`` or ``close``, which file the order again in the
indexes (``track``) and publish it, so no check ever walks every order of an account: the margin totals of OPEN
orders, OPEN reduce-only orders, UNTRIGGERED orders, client ids of live orders. The liquidity provider's quotes are
in none of them.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..vocabulary import OrderStatus
from .book import Book
from .events import Event, EventBus
from .history import OrderHistory
from .ledger import AccountExposure, Exposure, IdGen
from .order import Order


class LiveOrders:
    def __init__(self, ids: IdGen, books: dict[str, Book], events: EventBus, history_limit: int | None) -> None:
        self.ids = ids
        self.books = books
        self.events = events
        self.history: OrderHistory[Order] = OrderHistory(history_limit)  # user orders accepted, up to the limit
        self.active: dict[str, dict[str, Order]] = {}  # account -> NEW / UNTRIGGERED / OPEN orders
        self.untriggered: dict[str, Order] = {}  # id -> UNTRIGGERED order
        self._exposure: dict[str, AccountExposure] = {}  # account -> its OPEN orders, summed for the margin model
        self._counted: dict[str, Exposure] = {}  # order id -> what that OPEN order adds to its account's exposure
        self._reduce_only: dict[tuple[str, str], dict[str, Order]] = {}  # (account, market) -> OPEN reduce-only
        self._client_ids: dict[str, dict[str, Order]] = {}  # account -> client id -> live order

    def any(self) -> bool:
        return any(self.active.values())

    def of(self, account: str) -> Iterator[Order]:
        return iter(self.active.get(account, {}).values())

    def exposure(self, account: str) -> AccountExposure:
        """The account's OPEN orders summed per market (an empty one for an account without any)."""
        return self._exposure.get(account) or AccountExposure()

    def exposures(self) -> Iterator[AccountExposure]:
        return iter(self._exposure.values())

    def counted(self, order: Order) -> Exposure:
        """What an OPEN order adds to its account's exposure now."""
        return self._counted[order.id]

    def reduce_only(self, account: str, market: str) -> list[Order]:
        return list(self._reduce_only.get((account, market), {}).values())

    def by_client_id(self, account: str, client_id: str) -> Order | None:
        return self._client_ids.get(account, {}).get(client_id)

    def accept(self, order: Order) -> Order:
        order.seq_no = self.ids.seq_no()
        self.history.add(order)
        self.active.setdefault(order.account, {})[order.id] = order
        self.track(order)
        return order

    def update(self, order: Order, now: int) -> None:
        order.last_updated_at = now
        order.seq_no = self.ids.seq_no()
        self.track(order)

    def close(self, order: Order, reason: str, now: int) -> None:
        if order.status == OrderStatus.CLOSED:
            return
        if order.status == OrderStatus.OPEN:
            self.books[order.market].remove(order, now)
        order.status = OrderStatus.CLOSED
        order.cancel_reason = reason
        order.last_updated_at = now
        order.seq_no = self.ids.seq_no()
        self.active.get(order.account, {}).pop(order.id, None)
        self.track(order)

    def track(self, order: Order) -> None:
        live = order.id in self.active.get(order.account, ())
        counted = self._counted.pop(order.id, None)
        if counted is not None:
            self._exposure[order.account].remove(counted)
        resting = live and order.status == OrderStatus.OPEN
        if resting:
            counted = self._counted[order.id] = Exposure(order.market, order.side, order.remaining, order.price)
            self._exposure.setdefault(order.account, AccountExposure()).add(counted)
        if order.reduce_only:
            reduce_only = self._reduce_only.setdefault((order.account, order.market), {})
            if resting:
                reduce_only[order.id] = order
            else:
                reduce_only.pop(order.id, None)
        if live and order.status == OrderStatus.UNTRIGGERED:
            self.untriggered[order.id] = order
        else:
            self.untriggered.pop(order.id, None)
        if order.client_id:
            by_client_id = self._client_ids.setdefault(order.account, {})
            if live:
                by_client_id[order.client_id] = order
            elif by_client_id.get(order.client_id) is order:
                del by_client_id[order.client_id]
        if self.events.active:
            self.events.publish(Event("order", order.account, order.to_json()))

    def plan_cancels(self, account: str, order_ids: Iterable[str], client_ids: Iterable[str]) -> tuple[dict, list[str]]:
        """What DELETE /orders/batch answers for the orders it names (by id, or by client id: the live order
        carrying it, else the latest one), and the ids of those still to cancel."""
        results: list[dict] = []
        to_cancel: list[str] = []

        def report(order: Order) -> None:
            closed = order.status == OrderStatus.CLOSED
            results.append({"id": order.id, "client_id": order.client_id, "account": order.account,
                            "market": order.market, "status": "ALREADY_CLOSED" if closed else
                            "QUEUED_FOR_CANCELLATION"})
            if not closed:
                to_cancel.append(order.id)

        for oid in order_ids:
            order = self.history.get(str(oid))
            if order is None or order.account != account:
                results.append({"id": str(oid), "status": "NOT_FOUND"})
            else:
                report(order)
        for cid in client_ids:
            order = self.by_client_id(account, str(cid)) or self.history.last_by_client_id(account, str(cid))
            if order is None:
                results.append({"client_id": str(cid), "status": "NOT_FOUND"})
            else:
                report(order)
        return {"results": results}, to_cancel
