"""Price-time priority book of one market: FIFO queues per price level, one sequence number per change."""
from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Iterable
from decimal import Decimal

from ..vocabulary import Side
from .catalog import dec_str
from .events import Event, EventBus
from .order import ZERO, Order, opposite


class Book:
    def __init__(self, market: str = "", events: EventBus | None = None) -> None:
        self.market = market
        self.events = events
        self.levels: dict[str, dict[Decimal, deque[Order]]] = {Side.BUY: {}, Side.SELL: {}}
        self.prices: dict[str, list[Decimal]] = {Side.BUY: [], Side.SELL: []}  # ascending
        self.seq_no = 0
        self.last_updated_at = 0

    def touch(self, now: int) -> None:
        """Every change of the book's content ends here, once per change: one sequence number each (Paradex's
        book deltas advance it by exactly one per frame)."""
        self.seq_no += 1
        self.last_updated_at = now
        if self.events is not None and self.events.active:
            self.events.publish(Event("book", None, self.market))

    def add(self, order: Order, now: int) -> None:
        side_levels = self.levels[order.side]
        queue = side_levels.get(order.price)
        if queue is None:
            queue = side_levels[order.price] = deque()
            bisect.insort(self.prices[order.side], order.price)
        queue.append(order)
        self.touch(now)

    def remove(self, order: Order, now: int) -> None:
        side_levels = self.levels[order.side]
        queue = side_levels.get(order.price)
        if queue is None or order not in queue:
            return
        queue.remove(order)
        if not queue:
            del side_levels[order.price]
            prices = self.prices[order.side]
            prices.pop(bisect.bisect_left(prices, order.price))
        self.touch(now)

    def best_price(self, side: str) -> Decimal | None:
        prices = self.prices[side]
        if not prices:
            return None
        return prices[-1] if side == Side.BUY else prices[0]

    def would_cross(self, order: Order) -> bool:
        """Would ``order`` at its price take liquidity resting on the other side?"""
        best = self.best_price(opposite(order.side))
        if best is None:
            return False
        return order.price >= best if order.side == Side.BUY else order.price <= best

    def makers_for(self, taker_side: str) -> Iterable[Order]:
        """Resting orders a taker on ``taker_side`` meets, best first; safe against removal while iterating."""
        side = opposite(taker_side)
        while True:
            price = self.best_price(side)
            if price is None:
                return
            queue = self.levels[side][price]
            yield queue[0]

    def orders_of(self, account: str) -> list[Order]:
        """The account's resting orders, bids then asks, each side by ascending price (a stable order to remove
        them in: every removal is one book change)."""
        return [o for side, prices in self.prices.items() for price in prices for o in self.levels[side][price]
                if o.account == account]

    def depth(self, side: str, levels: int) -> list[list[str]]:
        prices = self.prices[side]
        ordered = reversed(prices) if side == Side.BUY else iter(prices)
        out: list[list[str]] = []
        for price in ordered:
            if len(out) >= levels:
                break
            total = sum((o.remaining for o in self.levels[side][price]), ZERO)
            out.append([dec_str(price), dec_str(total)])
        return out
