"""The built-in liquidity provider: an account without limits that quotes a ladder around each market's mark and
replaces it as the mark moves, so a fresh sandbox has a book to trade against."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from ..vocabulary import Instruction, OrderStatus, OrderType, Side, Stp
from .catalog import Catalog, MarketSpec
from .ledger import AccountExposure, IdGen, floor_to, ceil_to
from .matching import Matcher
from .order import ZERO, Order

ADDRESS = "0x5a9dbeef5a9dbeef5a9dbeef5a9dbeef5a9dbeef5a9dbeef5a9dbeef5a9dbee"
LEVELS = 20  # a side
LEVEL_USD = Decimal(25_000)  # the notional of the level at the touch; deeper levels grow by a quarter each


def steps(spec: MarketSpec, mark: Decimal) -> tuple[Decimal, Decimal]:
    """(half spread, gap between levels) of the ladder: 1 and 2 basis points of the mark, at least a tick."""
    tick = spec.price_tick_size
    return max(tick, floor_to(mark * Decimal("0.0001"), tick)), max(tick, floor_to(mark * Decimal("0.0002"), tick))


def touch(spec: MarketSpec, mark: Decimal) -> tuple[Decimal, Decimal]:
    """The ladder's best bid and ask."""
    half, _ = steps(spec, mark)
    tick = spec.price_tick_size
    # a mark near its one-tick floor (a far out-of-the-money option) still gets a bid of one tick
    return max(tick, floor_to(mark - half, tick)), ceil_to(mark + half, tick)


class LiquidityProvider:
    def __init__(self, catalog: Catalog, matchers: dict[str, Matcher], ids: IdGen,
                 mark: Callable[[str], Decimal]) -> None:
        self.catalog = catalog
        self.matchers = matchers
        self.ids = ids
        self.mark = mark

    def would_cross(self, symbol: str, users: Iterable[AccountExposure]) -> bool:
        """Would the ladder at the current mark trade with a resting user order?"""
        bid, ask = touch(self.catalog.spec(symbol), self.mark(symbol))
        for exposure in users:
            market = exposure.markets.get(symbol)
            if market is None:
                continue
            top_bid, low_ask = market.best(Side.BUY), market.best(Side.SELL)
            if (top_bid is not None and top_bid >= ask) or (low_ask is not None and low_ask <= bid):
                return True
        return False

    def requote(self, now: int, symbols: Iterable[str] | None = None) -> None:
        """Replace the ladder around the current mark (of every market, or of ``symbols``)."""
        for symbol in symbols if symbols is not None else self.catalog.symbols:
            matcher = self.matchers[symbol]
            for order in matcher.book.orders_of(ADDRESS):
                matcher.book.remove(order, now)
            spec = self.catalog.spec(symbol)
            mark = self.mark(symbol)
            _, gap = steps(spec, mark)
            bid, ask = touch(spec, mark)
            for level in range(LEVELS):
                for side in (Side.BUY, Side.SELL):
                    price = bid - gap * level if side == Side.BUY else ask + gap * level
                    if price <= 0:
                        continue
                    weight = Decimal(1) + Decimal(level) / 4
                    size = max(spec.order_size_increment,
                               floor_to(LEVEL_USD * weight / mark, spec.order_size_increment))
                    quote = Order(id=self.ids.next_id(), account=ADDRESS, market=symbol, side=side,
                                  type=OrderType.LIMIT, size=size, remaining=size, price=price, trigger_price=ZERO,
                                  instruction=Instruction.GTC, flags=[], stp=Stp.EXPIRE_TAKER, client_id="",
                                  timestamp=now, created_at=now, status=OrderStatus.OPEN, received_at=now,
                                  published_at=now, last_updated_at=now)
                    # a quote that crosses a user's resting order trades with it: the user is the maker
                    matcher.match(quote, price, now)
                    if quote.remaining > 0:
                        matcher.book.add(quote, now)
