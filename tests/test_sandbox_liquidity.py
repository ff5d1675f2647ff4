"""The sandbox's built-in liquidity provider: a ladder around the mark, re-quoted as the mark moves."""
from __future__ import annotations

from decimal import Decimal

from paradex_ccxt.sandbox import liquidity
from paradex_ccxt.sandbox.catalog import Catalog
from paradex_ccxt.sandbox.engine import Engine
from tests.clocks import ManualClock
from tests.test_sandbox_engine import ALICE, BTC, T0, TICK, best, limit, make_engine, place

SPEC = Catalog().spec(BTC)


def test_the_ladder_straddles_the_mark_one_basis_point_away_on_the_tick():
    bid, ask = liquidity.touch(SPEC, Decimal("50000"))
    assert (bid, ask) == (Decimal("49995"), Decimal("50005"))


def test_a_mark_near_zero_still_gets_a_bid_of_one_tick():
    bid, ask = liquidity.touch(SPEC, Decimal("0.05"))
    assert (bid, ask) == (SPEC.price_tick_size, Decimal("0.2"))


def test_a_fresh_engine_shows_the_full_ladder_on_both_sides():
    book = Engine(clock=ManualClock(T0), seed=1).orderbook(BTC, 200)
    assert (len(book["bids"]), len(book["asks"])) == (liquidity.LEVELS, liquidity.LEVELS)


def test_a_requote_replaces_the_providers_quotes_and_keeps_the_users_order():
    clock = ManualClock(T0)
    engine = make_engine(clock)
    bid, _, _ = best(engine)
    mine = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    before = {o.id for o in engine.books[BTC].orders_of(liquidity.ADDRESS)}
    clock.tick(60_000)  # six price knots later: the ladder is quoted again around the new mark
    engine.step()
    after = {o.id for o in engine.books[BTC].orders_of(liquidity.ADDRESS)}
    assert len(after) == 2 * liquidity.LEVELS and not before & after
    assert [o.id for o in engine.books[BTC].orders_of(ALICE)] == [mine["id"]]
