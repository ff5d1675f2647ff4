"""Matching of one market: its book, its public trades, price-time priority with self-trade prevention, and the
settlement of each fill into both accounts."""
from __future__ import annotations

from decimal import Decimal

from ..vocabulary import Side, Stp
from .book import Book
from .catalog import dec_str
from .events import Event, EventBus
from .ledger import FillOrder, IdGen, Ledger, settle_fill
from .live import LiveOrders
from .marketdata import MarketData
from .order import ZERO, CancelReason, Order

TAKER_EXPIRES = frozenset({Stp.EXPIRE_TAKER, Stp.EXPIRE_BOTH})
MAKER_EXPIRES = frozenset({Stp.EXPIRE_MAKER, Stp.EXPIRE_BOTH})


class Matcher:
    def __init__(self, market: str, live: LiveOrders, ledger: Ledger, ids: IdGen, md: MarketData,
                 events: EventBus) -> None:
        self.market = market
        self.book: Book = live.books[market]
        self.trades: list[dict] = []  # the market's own trades, oldest first
        self.live = live
        self.ledger = ledger
        self.ids = ids
        self.md = md
        self.events = events

    def match(self, taker: Order, limit: Decimal, now: int) -> None:
        """Trade ``taker`` against the book up to ``limit``; a maker left empty is closed as filled."""
        for maker in self.book.makers_for(taker.side):
            if taker.remaining == 0:
                return
            if (taker.side == Side.BUY and maker.price > limit) or (taker.side == Side.SELL and maker.price < limit):
                return
            if maker.account == taker.account:
                # self-trade prevention, decided by the incoming order's stp
                if taker.stp in MAKER_EXPIRES:
                    self.live.close(maker, CancelReason.SELF_TRADE, now)
                if taker.stp in TAKER_EXPIRES:
                    self.live.close(taker, CancelReason.SELF_TRADE, now)
                    return
                continue
            self._trade(taker, maker, min(taker.remaining, maker.remaining), maker.price, now)
            if maker.remaining == 0:
                self.live.close(maker, "", now)

    def _trade(self, taker: Order, maker: Order, size: Decimal, price: Decimal, now: int) -> None:
        for order in (taker, maker):
            order.remaining -= size
            order.filled_notional += size * price
        # after the sizes change, so the book's change carries the maker's new level size
        self.book.touch(now)
        index = self.md.funding_index(self.market, now)
        underlying = self.md.underlying_price(self.market, now)
        for order, liquidity in ((taker, "TAKER"), (maker, "MAKER")):
            self.live.update(order, now)
            account = self.ledger.get(order.account)
            fill = settle_fill(account, self.ids, self.market,
                               FillOrder(order.id, order.client_id, order.side, order.remaining),
                               size, price, liquidity, index, underlying, self.book.seq_no, now)
            if self.events.active:
                self.events.publish(Event("fill", account.address, fill))
        trade = {
            "id": self.ids.next_id(), "market": self.market, "side": taker.side, "size": dec_str(size),
            "price": dec_str(price), "created_at": now, "trade_type": "FILL",
        }
        self.trades.append(trade)
        if self.events.active:
            self.events.publish(Event("trade", None, trade))
        for order in (taker, maker):
            self._expire_reduce_only(order.account, now)

    def _expire_reduce_only(self, address: str, now: int) -> None:
        """After a fill: reduce-only orders that would now increase the position, or that together exceed it,
        are cancelled (least aggressive first, as Paradex documents for reduce-only orders)."""
        account = self.ledger.get(address)
        if account.unlimited:
            return
        pos = account.position_size(self.market)
        resting = self.live.reduce_only(address, self.market)
        for side in (Side.BUY, Side.SELL):
            ro = [o for o in resting if o.side == side]
            if not ro:
                continue
            reduces = pos != 0 and (pos > 0) != (side == Side.BUY)
            ro.sort(key=lambda o: (-o.price if side == Side.BUY else o.price, o.id))
            room = abs(pos) if reduces else ZERO
            for o in ro:
                if o.remaining <= room:
                    room -= o.remaining
                else:
                    self.live.close(o, CancelReason.REDUCE_ONLY_WILL_INCREASE, now)
