"""What happens to an order after the gateway: its risk check when it leaves NEW, its trigger while UNTRIGGERED,
the margin check of a modify, and the hand-over to its market's matching.

Everything here depends on prices, positions or margin, so a failure is not an HTTP error but the order CLOSED with
a ``cancel_reason``, as on Paradex (a modify the account cannot afford is refused in ``request_info`` instead).
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..vocabulary import TRIGGER_TYPES, Instruction, OrderStatus, Side
from .catalog import Catalog, MarketSpec
from .ledger import Account, Exposure, Ledger, Risk, ceil_to, floor_to
from .live import LiveOrders
from .marketdata import MarketData
from .matching import Matcher
from .order import ZERO, CancelReason, Order, opposite
from .triggers import crossed, has_condition, infer_condition
from .validation import Change

PriceOf = Callable[[str], Decimal]


class RiskStage:
    def __init__(self, catalog: Catalog, ledger: Ledger, risk: Risk, live: LiveOrders, matchers: dict[str, Matcher],
                 md: MarketData, mark: PriceOf, underlying: PriceOf, index: PriceOf) -> None:
        self.catalog = catalog
        self.ledger = ledger
        self.risk = risk
        self.live = live
        self.matchers = matchers
        self.md = md
        self.mark = mark  # the venue's current mark of a market
        self.underlying = underlying
        self.index = index

    def check(self, order: Order, now: int) -> None:
        """The risk check of a NEW order: a trigger order starts waiting, any other goes to its book."""
        if order.type in TRIGGER_TYPES:
            self._arm(order, now)
        else:
            self._activate(order, now)

    def _arm(self, order: Order, now: int) -> None:
        account = self.ledger.get(order.account)
        if order.reduce_only and not self._reduces(account, order, order.size or None):
            self.live.close(order, CancelReason.REDUCE_ONLY_WILL_INCREASE, now)
            return
        if not has_condition(order):
            infer_condition(order, self.mark(order.market))
        order.status = OrderStatus.UNTRIGGERED
        self.live.update(order, now)
        self.fire_if_crossed(order, now)

    def fire_if_crossed(self, order: Order, now: int) -> None:
        """Fire an UNTRIGGERED order whose trigger the current mark has already reached."""
        mark = self.mark(order.market)
        if order.status == OrderStatus.UNTRIGGERED and crossed(order, mark, mark):
            self._trigger(order, now)

    def fire_triggers(self, since: int, now: int) -> None:
        """Fire every UNTRIGGERED order whose trigger the mark touched between ``since`` and ``now``."""
        waiting = sorted(self.live.untriggered.values(), key=lambda o: o.id)
        ranges: dict[str, tuple[Decimal, Decimal]] = {}
        for order in waiting:
            if order.market not in ranges:
                ranges[order.market] = self.md.mark_range(order.market, min(since, now), now)
            low, high = ranges[order.market]
            if order.status == OrderStatus.UNTRIGGERED and crossed(order, low, high):
                self._trigger(order, now)

    def _trigger(self, order: Order, now: int) -> None:
        if order.whole_position:
            pos = self.ledger.get(order.account).position_size(order.market)
            closing = (pos > 0 and order.side == Side.SELL) or (pos < 0 and order.side == Side.BUY)
            if not closing:
                self.live.close(order, CancelReason.REDUCE_ONLY_WILL_INCREASE, now)
                return
            order.size = order.remaining = abs(pos)
        self._activate(order, now)

    def _reduces(self, account: Account, order: Order, size: Decimal | None) -> bool:
        """A reduce-only order is valid while it (with the other reduce-only orders on its side) does not exceed
        the position it closes. ``size`` None: a whole-position TP/SL, valid while a position exists to close."""
        pos = account.position_size(order.market)
        if pos == 0 or (pos > 0) == (order.side == Side.BUY):
            return False
        if size is None:
            return True
        others = sum((o.remaining for o in self.live.reduce_only(account.address, order.market)
                      if o is not order and o.side == order.side), ZERO)
        return others + size <= abs(pos)

    def _activate(self, order: Order, now: int) -> None:
        """Risk checks for an order about to reach the book (a new LIMIT/MARKET or a fired trigger), then match."""
        account = self.ledger.get(order.account)
        spec = self.catalog.spec(order.market)
        mark = self.mark(order.market)
        reason = self._reason(account, spec, order, mark)
        if reason:
            self.live.close(order, reason, now)
            return
        limit = order.price
        if order.is_market:
            slip = spec.max_slippage
            limit = ceil_to(mark * (1 + slip), spec.price_tick_size) if order.side == Side.BUY \
                else floor_to(mark * (1 - slip), spec.price_tick_size)
        if not self._execute(order, limit, now):
            return
        if order.is_market:
            liquidity_left = self.matchers[order.market].book.best_price(opposite(order.side)) is not None
            self.live.close(order, CancelReason.EXCEEDS_MAX_SLIPPAGE if liquidity_left else CancelReason.EMPTY_MARKET,
                            now)
        elif order.instruction == Instruction.IOC:
            self.live.close(order, CancelReason.REMAINING_IOC_CANCEL, now)
        else:
            order.status = OrderStatus.OPEN
            self.live.update(order, now)
            self.matchers[order.market].book.add(order, now)

    def _execute(self, order: Order, limit: Decimal, now: int) -> bool:
        """Post-only check and matching up to ``limit``; True when a remainder is left to rest or expire."""
        matcher = self.matchers[order.market]
        if order.instruction == Instruction.POST_ONLY and matcher.book.would_cross(order):
            self.live.close(order, CancelReason.POST_ONLY_WOULD_CROSS, now)
            return False
        matcher.match(order, limit, now)
        if order.status == OrderStatus.CLOSED:
            return False
        if order.remaining == 0:
            self.live.close(order, "", now)
            return False
        return True

    def _reason(self, account: Account, spec: MarketSpec, order: Order, mark: Decimal) -> str:
        if account.unlimited:
            return ""
        resting = self.live.exposure(account.address)
        market = resting.market(spec.symbol)  # the order being checked is not OPEN, so not in it
        if market.count >= spec.max_open_orders:
            return CancelReason.MAX_OPEN_ORDERS_EXCEEDED
        pos = account.position_size(spec.symbol)
        if order.reduce_only and not self._reduces(account, order, order.remaining):
            return CancelReason.REDUCE_ONLY_WILL_INCREASE
        closes_whole = order.reduce_only and order.remaining == abs(pos)
        # min_notional is size x mark for futures, size x spot for options (Paradex's MarketResp)
        notional_price = self.underlying(spec.symbol) if spec.is_option else mark
        if order.remaining * notional_price < spec.min_notional and not closes_whole:
            return CancelReason.ORDER_SIZE_BELOW_MIN
        signed = order.remaining if order.side == Side.BUY else -order.remaining
        same_side = market.size[order.side]
        projected = pos + signed + (same_side if order.side == Side.BUY else -same_side)
        if abs(projected) > spec.position_limit and abs(projected) > abs(pos):
            return CancelReason.ORDER_EXCEEDS_POSITION_LIMIT
        candidate = Exposure(order.market, order.side, order.remaining, ZERO if order.is_market else order.price)
        if not self._affordable(account, candidate):
            return CancelReason.NOT_ENOUGH_MARGIN
        return ""

    def _affordable(self, account: Account, candidate: Exposure, replaces: Exposure | None = None) -> bool:
        # Paradex accepts an order when the account still meets IMR with it, or when it does not raise IMR
        resting = self.live.exposure(account.address)
        before = self.risk.imr(account, resting)
        after = self.risk.imr(account, resting, plus=candidate, minus=replaces)
        return after <= before or self.risk.account_value(account, self.index) >= after

    def rearm(self, order: Order, change: Change, request: dict, now: int) -> None:
        """A modify of an UNTRIGGERED order: new terms, a stop condition the engine chose chosen again for the new
        trigger, and it fires at once if the mark is already there."""
        order.size, order.remaining = change.size, change.size - order.filled
        order.price, order.trigger_price = change.price, change.trigger_price
        if order.inferred_condition:
            infer_condition(order, self.mark(order.market))
        order.request_info = request
        self.live.update(order, now)
        self.fire_if_crossed(order, now)

    def reprice(self, order: Order, change: Change, request: dict, now: int) -> None:
        """A modify of an OPEN order. A price change or a size increase sends it to the back of its new level (and
        may trade); a pure size decrease keeps its place. One the account cannot afford leaves it as it was and
        says so in ``request_info``."""
        size, price = change.size, change.price
        remaining = size - order.filled
        candidate = Exposure(order.market, order.side, remaining, price)
        if not self._affordable(self.ledger.get(order.account), candidate, replaces=self.live.counted(order)):
            order.request_info = {**request, "status": "REJECTED", "message": CancelReason.NOT_ENOUGH_MARGIN}
            self.live.update(order, now)
            return
        book = self.matchers[order.market].book
        keeps_place = price == order.price and remaining <= order.remaining
        order.size, order.remaining = size, remaining
        order.request_info = request
        if keeps_place:
            book.touch(now)
            self.live.update(order, now)
            return
        book.remove(order, now)
        order.price = price
        self.live.update(order, now)
        if self._execute(order, price, now):
            book.add(order, now)
            self.live.update(order, now)
