"""The sandbox gateway's one validator: a new order and a modify judge size, price and trigger price alike."""
from __future__ import annotations

from decimal import Decimal

import pytest

from paradex_ccxt.sandbox.engine import Engine, SandboxError
from tests.clocks import ManualClock
from tests.test_sandbox_engine import ALICE, BTC, T0, TICK, best, limit, make_engine, market, place


@pytest.fixture
def engine(clock: ManualClock) -> Engine:
    return make_engine(clock)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def resting_bid(engine: Engine, clock: ManualClock) -> tuple[dict, Decimal]:
    bid, _, _ = best(engine)
    price = bid - 100 * TICK
    return place(engine, clock, ALICE, limit("BUY", "0.01", price)), price


def refusal(call) -> str:
    with pytest.raises(SandboxError) as refused:
        call()
    return refused.value.code


@pytest.mark.parametrize("change, code", [
    ({"size": "0.000001"}, "INVALID_ORDER_SIZE"),  # off the size increment
    ({"size": "101"}, "INVALID_ORDER_SIZE"),  # above max_order_size
    ({"size": "-0.01"}, "INVALID_ORDER_SIZE"),
    ({"price": "50000.05"}, "INVALID_PRICE_PRECISION"),  # off the tick
])
def test_submit_and_modify_refuse_the_same_terms_with_the_same_code(engine: Engine, clock: ManualClock,
                                                                      change: dict, code: str):
    order, price = resting_bid(engine, clock)
    body = limit("BUY", "0.01", price)
    assert refusal(lambda: engine.submit(ALICE, {**body, **change})) == code
    assert refusal(lambda: engine.modify(ALICE, order["id"], {**body, **change})) == code


def test_a_refused_modify_leaves_the_order_as_it_was(engine: Engine, clock: ManualClock):
    order, price = resting_bid(engine, clock)
    refusal(lambda: engine.modify(ALICE, order["id"], {**limit("BUY", "0.01", price), "price": "50000.05"}))
    after = engine.get_order(ALICE, order["id"])
    assert (after["price"], after["size"], after["seq_no"]) == (order["price"], order["size"], order["seq_no"])


def test_a_modify_may_repeat_a_plain_limit_orders_zero_trigger_price(engine: Engine, clock: ManualClock):
    order, price = resting_bid(engine, clock)
    modified = engine.modify(ALICE, order["id"], {**limit("BUY", "0.02", price), "trigger_price": "0"})
    assert (modified["status"], modified["size"], modified["trigger_price"]) == ("OPEN", "0.02", "0")


def test_a_modify_cannot_shrink_an_order_to_what_already_filled(engine: Engine, clock: ManualClock):
    _, ask, ask_size = best(engine)
    size = ask_size + Decimal("0.01")  # takes the whole best level, the rest rests at the touch
    body = limit("BUY", str(size), ask, instruction="GTC")
    order = place(engine, clock, ALICE, body)
    filled = Decimal(order["size"]) - Decimal(order["remaining_size"])
    assert order["status"] == "OPEN" and filled > 0
    assert refusal(lambda: engine.modify(ALICE, order["id"], {**body, "size": str(filled)})) == "INVALID_ORDER_SIZE"


def test_an_untriggered_stop_cannot_move_its_trigger_off_the_tick(engine: Engine, clock: ManualClock):
    mark = engine.mark_price(BTC)
    far = (mark * Decimal("1.5") / TICK).to_integral_value() * TICK
    body = {"market": BTC, "side": "BUY", "type": "STOP_LIMIT", "size": "0.01", "price": str(far),
            "trigger_price": str(far), "signature_timestamp": T0}
    stop = place(engine, clock, ALICE, body)
    moved = {**body, "trigger_price": str(far - TICK / 2)}
    assert refusal(lambda: engine.modify(ALICE, stop["id"], moved)) == "INVALID_PRICE_PRECISION"
    assert refusal(lambda: engine.submit(ALICE, moved)) == "INVALID_PRICE_PRECISION"


def test_a_market_order_needs_no_price_and_a_limit_order_must_have_one(engine: Engine):
    assert engine.submit(ALICE, market("BUY", "0.01"))["price"] == "0"
    no_price = {k: v for k, v in limit("BUY", "0.01", "1").items() if k != "price"}
    assert refusal(lambda: engine.submit(ALICE, no_price)) == "VALIDATION_ERROR"
