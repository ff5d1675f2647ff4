"""The sandbox's own Paradex JSON payloads go through an SBE frame and come back the same, so a server that holds
JSON events can send them as SBE (version 2) without changing what a client sees."""
from __future__ import annotations

from decimal import Decimal

import pytest

from paradex_ccxt.sandbox.engine import Engine
from paradex_ccxt.sbe import decode, from_paradex_json, to_paradex_json
from tests.clocks import ManualClock

BTC = "BTC-USD-PERP"
ALICE = "0xa11ce"
BOB = "0xb0b"
T0 = 1_790_000_000_000


@pytest.fixture
def engine() -> Engine:
    clock = ManualClock(T0)
    engine = Engine(clock=clock, seed=1)
    engine.onboard(ALICE, "0xa1")
    engine.onboard(BOB, "0xb1")
    ask = Decimal(engine.bbo(BTC)["ask"])
    order = engine.submit(ALICE, {"market": BTC, "side": "BUY", "type": "LIMIT", "size": "0.01", "price": str(ask),
                                  "signature_timestamp": T0, "client_id": "sbe-1"})
    clock.now += 1
    engine.get_order(ALICE, order["id"])
    return engine


def through_sbe(channel: str, data: dict) -> dict:
    got_channel, got = to_paradex_json(decode(from_paradex_json(channel, data, 2)))
    assert got_channel == channel
    return got


def same_where_sbe_carries_it(sent: dict, got: dict) -> None:
    """Every key SBE carries comes back unchanged (the REST-only keys the sandbox also writes are not carried)."""
    assert set(got) <= set(sent)
    assert got == {key: sent[key] for key in got}


def test_sandbox_order_payload(engine: Engine):
    order = engine.get_order(ALICE, engine.fills(ALICE)["results"][0]["order_id"])
    got = through_sbe(f"orders.{BTC}", order)
    assert got == {**order, "timestamp": order["created_at"]}  # SBE has no signature timestamp


def test_sandbox_fill_payload(engine: Engine):
    fill = engine.fills(ALICE)["results"][0]
    got = through_sbe(f"fills.{BTC}", fill)
    assert "remaining_size" not in got  # FillEvent has none
    same_where_sbe_carries_it(fill, got)


def test_sandbox_position_payload(engine: Engine):
    position = engine.positions(ALICE)["results"][0]
    got = through_sbe("positions", position)
    same_where_sbe_carries_it(position, got)
    assert got["size"] == position["size"] and got["id"] == position["id"]


def test_sandbox_account_payload(engine: Engine):
    summary = engine.account_summary(ALICE)
    same_where_sbe_carries_it(summary, through_sbe("account", summary))


def test_sandbox_bbo_payload(engine: Engine):
    bbo = engine.bbo(BTC)
    assert through_sbe(f"bbo.{BTC}", bbo) == bbo


def test_sandbox_markets_summary_payload(engine: Engine):
    for row in engine.markets_summary()["results"]:
        same_where_sbe_carries_it(row, through_sbe("markets_summary", row))


def test_sandbox_funding_data_payload(engine: Engine):
    row = engine.funding_data(BTC)["results"][0]
    same_where_sbe_carries_it(row, through_sbe("funding_data", row))
