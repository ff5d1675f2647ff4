"""The venue's time: each engine call first brings the venue up to the clock, and this is how it catches up.

Marks move with time; the liquidity provider re-quotes once per 10-second price knot; UNTRIGGERED orders fire when
the mark touched their trigger; NEW orders older than the risk delay get their risk check and match. When live
orders exist, every knot since the last call is visited, so a resting order the price moved through gets filled
and a stop whose trigger the price touched fires, however long ago the previous call was (the venue runs
continuously; the engine only catches up).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from decimal import Decimal

from ..vocabulary import OrderStatus
from .catalog import Catalog
from .liquidity import LiquidityProvider
from .live import LiveOrders
from .marketdata import STEP_MS, MarketData
from .order import Order
from .risk_stage import RiskStage
from .triggers import crossed


class Timeline:
    def __init__(self, clock: Callable[[], int], catalog: Catalog, md: MarketData, live: LiveOrders,
                 risk_delay_ms: int, genesis: int) -> None:
        self.clock = clock
        self.catalog = catalog
        self.md = md
        self.live = live
        self.risk_delay_ms = risk_delay_ms
        self.now = genesis  # the venue's processing time: marks, fills and updates are stamped with it
        self.marks: dict[str, Decimal] = {}
        self.pending: deque[Order] = deque()  # NEW orders waiting for their risk check, oldest first
        self.stage: RiskStage | None = None
        self.liquidity: LiquidityProvider | None = None
        self._quoted_knot: int | None = None

    def start(self, stage: RiskStage, liquidity: LiquidityProvider | None) -> None:
        """Marks at genesis and the first ladder (the stage and the provider read the marks, so they come after)."""
        self.stage, self.liquidity = stage, liquidity
        self._set_time(self.now)
        self._requote(self.now)

    def _set_time(self, t: int) -> None:
        if t != self.now or not self.marks:
            self.now = t
            self.marks = {s: self.md.mark_price(s, t) for s in self.catalog.symbols}

    def step(self) -> int:
        """Bring the venue up to ``clock()`` and return that time."""
        now = max(self.clock(), self.now)  # a clock running backwards never rewinds the venue
        first, last = self.now // STEP_MS + 1, now // STEP_MS
        if last >= first and self.live.any():
            for knot in range(first, last + 1):
                self._advance(knot * STEP_MS, catch_up=True)
        self._advance(now, catch_up=False)
        return now

    def _advance(self, t: int, catch_up: bool) -> None:
        assert self.stage is not None, "start() comes first"
        prev = self.now
        self._set_time(t)
        due = [o for o in self.pending if o.received_at + self.risk_delay_ms <= t]
        if catch_up:
            # re-quote only markets where the ladder at this knot would trade or where something must execute
            stale = {o.market for o in due} | {s for s in self.catalog.symbols if self._quotes_would_cross(s)}
            stale |= {o.market for o in self.live.untriggered.values()
                      if crossed(o, *self.md.mark_range(o.market, prev, t))}
            if stale:
                self._requote(t, sorted(stale))
        elif t // STEP_MS != self._quoted_knot:
            self._requote(t)
            self._quoted_knot = t // STEP_MS
        self.stage.fire_triggers(prev, t)
        while self.pending and self.pending[0].received_at + self.risk_delay_ms <= t:
            order = self.pending.popleft()
            if order.status == OrderStatus.NEW:
                self.stage.check(order, t)

    def _quotes_would_cross(self, symbol: str) -> bool:
        return self.liquidity is not None and self.liquidity.would_cross(symbol, self.live.exposures())

    def _requote(self, now: int, symbols: Iterable[str] | None = None) -> None:
        if self.liquidity is not None:
            self.liquidity.requote(now, symbols)
