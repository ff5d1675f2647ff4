"""The sandbox's order history index: pages by account and time, and its retention bound."""
from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from paradex_ccxt.sandbox.engine import SandboxError
from paradex_ccxt.sandbox.history import OrderHistory
from tests.clocks import ManualClock
from tests.test_sandbox_engine import ALICE, TICK, best, limit, make_engine, place

T0 = 1_790_000_000_000


@dataclass
class Placed:
    """The fields of a Paradex order the index reads, as the engine's orders carry them."""

    id: str
    account: str
    client_id: str
    created_at: int
    status: str = "OPEN"
    side: str = "BUY"


def filled(count: int, account: str = ALICE, step: int = 7) -> OrderHistory[Placed]:
    history: OrderHistory[Placed] = OrderHistory()
    for i in range(count):
        history.add(Placed(f"{T0 + i * step:d}{i:06d}", account, f"c{i}", T0 + i * step,
                           "CLOSED" if i % 3 else "OPEN", "BUY" if i % 2 else "SELL"))
    return history


def walk(history: OrderHistory[Placed], keep, start_at=None, end_at=None, page_size=10) -> list[str]:
    seen, cursor = [], None
    while True:
        page = history.page(ALICE, keep, start_at, end_at, cursor, page_size)
        seen.extend(order.id for order in page["results"])
        cursor = page["next"]
        if cursor is None:
            return seen


@pytest.mark.parametrize("seed", range(5))
def test_walking_every_page_gives_the_filtered_orders_newest_first(seed):
    rng = random.Random(seed)
    history = filled(200)
    orders = [history.get(f"{T0 + i * 7:d}{i:06d}") for i in range(200)]
    start_at, end_at = sorted(rng.sample(range(T0 - 50, T0 + 1450), 2))
    side = rng.choice(["BUY", "SELL"])
    keep = lambda order: order.side == side  # noqa: E731
    expected = [o.id for o in reversed(orders) if o.side == side and start_at <= o.created_at <= end_at]
    assert walk(history, keep, start_at, end_at, page_size=rng.randint(1, 30)) == expected


def test_a_time_range_includes_both_ends():
    history = filled(10, step=1000)
    assert walk(history, lambda order: True, T0 + 2000, T0 + 4000) == [
        f"{T0 + i * 1000:d}{i:06d}" for i in (4, 3, 2)]


@pytest.mark.parametrize("size", [1_000, 50_000])
def test_an_unfiltered_page_reads_one_order_more_than_it_returns_at_any_history_size(size):
    history = filled(size)
    read = []
    page = history.page(ALICE, lambda order: read.append(order) or True, None, None, None, 100)
    later = history.page(ALICE, lambda order: read.append(order) or True, None, None, page["next"], 100)
    assert len(page["results"]) == len(later["results"]) == 100
    assert len(read) == 202


def test_an_order_created_before_the_newest_is_still_paged_in_time_order():
    history = filled(5, step=10)
    history.add(Placed("late", ALICE, "c-late", T0 + 15))
    assert walk(history, lambda order: True)[3] == "late"


def test_past_the_limit_the_oldest_closed_orders_are_forgotten_and_open_ones_kept():
    history: OrderHistory[Placed] = OrderHistory(limit=10)
    for i in range(12):
        history.add(Placed(f"o{i:02d}", ALICE, f"c{i}", T0 + i, "OPEN" if i == 0 else "CLOSED"))
    assert len(history) == 10
    assert history.get("o00") is not None and history.get("o01") is None and history.get("o02") is None
    assert walk(history, lambda order: True)[-2:] == ["o03", "o00"]


def test_a_forgotten_order_takes_its_client_id_along_unless_a_newer_order_reused_it():
    history: OrderHistory[Placed] = OrderHistory(limit=2)
    history.add(Placed("old", ALICE, "gone", T0, "CLOSED"))
    history.add(Placed("first", ALICE, "reused", T0 + 1, "CLOSED"))
    history.add(Placed("second", ALICE, "reused", T0 + 2, "CLOSED"))
    history.add(Placed("newest", ALICE, "x", T0 + 3, "CLOSED"))
    assert history.last_by_client_id(ALICE, "gone") is None
    assert history.last_by_client_id(ALICE, "reused").id == "second"


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        OrderHistory(limit=0)


def test_the_engine_no_longer_finds_an_order_its_history_limit_dropped():
    clock = ManualClock(T0)
    engine = make_engine(clock, history_limit=2)
    bid, _, _ = best(engine)
    first = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK, instruction="IOC"))
    for _ in range(3):
        place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK, instruction="IOC"))
    assert first["status"] == "CLOSED"
    with pytest.raises(SandboxError) as refused:
        engine.get_order(ALICE, first["id"])
    assert refused.value.code == "ORDER_ID_NOT_FOUND"
    assert len(engine.orders_history(ALICE)["results"]) == 2
