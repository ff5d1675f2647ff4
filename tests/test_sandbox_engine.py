"""The sandbox engine without HTTP: each order lifecycle path, driven by a hand-moved clock."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from paradex_ccxt.sandbox.engine import CancelReason, Engine, SandboxError
from paradex_ccxt.sandbox.ledger import AccountExposure, Exposure
from tests.clocks import ManualClock

BTC = "BTC-USD-PERP"
ALICE = "0xa11ce"
BOB = "0xb0b"
T0 = 1_790_000_000_000

ORDER_FIELDS = {
    "id", "account", "market", "side", "type", "size", "remaining_size", "price", "avg_fill_price", "trigger_price",
    "instruction", "flags", "stp", "status", "cancel_reason", "client_id", "timestamp", "created_at", "received_at",
    "published_at", "last_updated_at", "seq_no",
}  # request_info joins them once the order has been modified


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def make_engine(clock: ManualClock, **kwargs) -> Engine:
    engine = Engine(clock=clock, seed=1, **kwargs)
    engine.onboard(ALICE, "0xa1")
    engine.onboard(BOB, "0xb1")
    return engine


@pytest.fixture
def engine(clock: ManualClock) -> Engine:
    return make_engine(clock)


def limit(side: str, size: str, price: Decimal | str, **extra) -> dict:
    return {"market": BTC, "side": side, "type": "LIMIT", "size": size, "price": str(price),
            "signature_timestamp": T0, **extra}


def market(side: str, size: str, **extra) -> dict:
    return {"market": BTC, "side": side, "type": "MARKET", "size": size, "signature_timestamp": T0, **extra}


def place(engine: Engine, clock: ManualClock, account: str, body: dict) -> dict:
    """Submit, let the risk check and matching run, and return the order as it then stands."""
    order = engine.submit(account, body)
    clock.tick()
    return engine.get_order(account, order["id"])


def best(engine: Engine) -> tuple[Decimal, Decimal, Decimal]:
    """(best bid, best ask, best ask size) of BTC."""
    bbo = engine.bbo(BTC)
    return Decimal(bbo["bid"]), Decimal(bbo["ask"]), Decimal(bbo["ask_size"])


TICK = Decimal("0.1")


# ---- submission ---------------------------------------------------------------------------------------------

def test_submit_answers_new_with_every_paradex_order_field(engine: Engine):
    bid, _, _ = best(engine)
    order = engine.submit(ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    assert set(order) == ORDER_FIELDS
    assert order["status"] == "NEW"
    assert (order["avg_fill_price"], order["cancel_reason"], order["client_id"]) == ("", "", "")
    assert (order["instruction"], order["stp"], order["trigger_price"]) == ("GTC", "EXPIRE_TAKER", "0")
    assert order["id"].isdigit() and len(order["id"]) == 28
    assert order["timestamp"] == T0


def test_market_order_reports_price_zero(engine: Engine):
    assert engine.submit(ALICE, market("BUY", "0.01"))["price"] == "0"


@pytest.mark.parametrize("change, code", [
    ({"market": "NOPE-USD-PERP"}, "MARKET_NOT_FOUND"),
    ({"side": "LONG"}, "VALIDATION_ERROR"),
    ({"type": "FOK"}, "VALIDATION_ERROR"),
    ({"instruction": "GTD"}, "VALIDATION_ERROR"),
    ({"size": "0.000001"}, "INVALID_ORDER_SIZE"),
    ({"size": "0"}, "INVALID_ORDER_SIZE"),
    ({"size": "101"}, "INVALID_ORDER_SIZE"),
    ({"price": "50000.05"}, "INVALID_PRICE_PRECISION"),
    ({"stp": "CANCEL_BOTH"}, "VALIDATION_ERROR"),
    ({"flags": ["HIDDEN"]}, "VALIDATION_ERROR"),
    ({"client_id": "x" * 65}, "VALIDATION_ERROR"),
])
def test_gateway_refuses_malformed_orders_with_paradex_codes(engine: Engine, change: dict, code: str):
    with pytest.raises(SandboxError) as refused:
        engine.submit(ALICE, {**limit("BUY", "0.01", "50000"), **change})
    assert refused.value.code == code
    assert refused.value.status == 400
    assert engine.open_orders(ALICE)["results"] == []


def test_duplicate_client_id_of_an_active_order_is_refused(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK, client_id="grid-1"))
    with pytest.raises(SandboxError) as refused:
        engine.submit(ALICE, limit("BUY", "0.01", bid - 200 * TICK, client_id="grid-1"))
    assert refused.value.code == "DUPLICATED_CLIENT_ID"


def test_cancel_only_venue_refuses_new_orders(engine: Engine):
    engine.set_system_status("cancel_only")
    with pytest.raises(SandboxError) as refused:
        engine.submit(ALICE, market("BUY", "0.01"))
    assert refused.value.code == "SYSTEM_STATUS_CANCEL_ONLY"


def test_batch_with_one_malformed_order_creates_nothing(engine: Engine):
    bid, _, _ = best(engine)
    with pytest.raises(SandboxError) as refused:
        engine.submit_batch(ALICE, [limit("BUY", "0.01", bid - 10), limit("BUY", "0.01", "1.05")])
    assert refused.value.code == "INVALID_PRICE_PRECISION"
    assert engine.orders_history(ALICE)["results"] == []


def test_batch_queues_every_order_as_new_in_input_order(engine: Engine):
    bid, _, _ = best(engine)
    answer = engine.submit_batch(ALICE, [limit("BUY", "0.01", bid - 10, client_id=f"b{i}") for i in range(3)])
    assert answer["errors"] == []
    assert [o["client_id"] for o in answer["orders"]] == ["b0", "b1", "b2"]
    assert {o["status"] for o in answer["orders"]} == {"NEW"}


def test_batch_larger_than_ten_is_out_of_range(engine: Engine):
    with pytest.raises(SandboxError) as refused:
        engine.submit_batch(ALICE, [market("BUY", "0.01")] * 11)
    assert refused.value.code == "BATCH_SIZE_OUT_OF_RANGE"


# ---- lifecycle ----------------------------------------------------------------------------------------------

def test_passive_limit_order_rests_open_after_the_risk_check(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    assert order["status"] == "OPEN"
    assert order["remaining_size"] == "0.01"
    assert [o["id"] for o in engine.open_orders(ALICE)["results"]] == [order["id"]]


def test_resting_order_fills_when_another_account_trades_into_it(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    resting = place(engine, clock, ALICE, limit("BUY", "0.01", bid + TICK))
    taker = place(engine, clock, BOB, market("SELL", "0.01"))
    filled = engine.get_order(ALICE, resting["id"])
    assert (filled["status"], filled["cancel_reason"], filled["remaining_size"]) == ("CLOSED", "", "0")
    assert filled["avg_fill_price"] == str(bid + TICK)
    assert taker["avg_fill_price"] == str(bid + TICK)
    assert engine.fills(ALICE)["results"][0]["liquidity"] == "MAKER"
    assert engine.fills(BOB)["results"][0]["liquidity"] == "TAKER"


def test_resting_order_fills_when_the_mark_moves_through_it(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    low, _ = engine.md.mark_range(BTC, clock.now, clock.now + 3_600_000)
    # the liquidity provider quotes its ask one basis point above the mark: at the low it comes down to here
    target = (low * Decimal("1.0002") / TICK).to_integral_value() * TICK
    assert target < bid, "the seeded path must fall enough within the hour for this scenario"
    order = place(engine, clock, ALICE, limit("BUY", "0.01", target))
    assert order["status"] == "OPEN"
    clock.tick(3_600_000)
    filled = engine.get_order(ALICE, order["id"])
    assert (filled["status"], filled["cancel_reason"]) == ("CLOSED", "")
    assert filled["avg_fill_price"] == str(target)
    assert engine.fills(ALICE)["results"][0]["liquidity"] == "MAKER"


def test_partial_fill_then_cancel_keeps_what_filled(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.02", bid + TICK))
    place(engine, clock, BOB, market("SELL", "0.005"))
    partial = engine.get_order(ALICE, order["id"])
    assert (partial["status"], partial["remaining_size"]) == ("OPEN", "0.015")
    engine.cancel(ALICE, order["id"])
    cancelled = engine.get_order(ALICE, order["id"])
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("CLOSED", CancelReason.USER_CANCELED)
    assert (cancelled["remaining_size"], cancelled["avg_fill_price"]) == ("0.015", str(bid + TICK))


def test_post_only_order_that_would_cross_closes_unfilled(engine: Engine, clock: ManualClock):
    _, ask, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.01", ask, instruction="POST_ONLY"))
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", CancelReason.POST_ONLY_WOULD_CROSS)
    assert (order["remaining_size"], order["avg_fill_price"]) == ("0.01", "")
    assert engine.fills(ALICE)["results"] == []


def test_ioc_order_fills_what_it_can_and_cancels_the_rest(engine: Engine, clock: ManualClock):
    _, ask, ask_size = best(engine)
    size = ask_size + Decimal("0.01")
    order = place(engine, clock, ALICE, limit("BUY", str(size), ask, instruction="IOC"))
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", CancelReason.REMAINING_IOC_CANCEL)
    assert order["remaining_size"] == "0.01"
    assert order["avg_fill_price"] == str(ask)


def test_market_order_without_liquidity_closes_unfilled(clock: ManualClock):
    engine = make_engine(clock, liquidity=False)
    order = place(engine, clock, ALICE, market("BUY", "0.01"))
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", CancelReason.EMPTY_MARKET)
    assert order["remaining_size"] == "0.01"


def test_market_order_meeting_only_liquidity_beyond_max_slippage_closes_unfilled(clock: ManualClock):
    engine = make_engine(clock, liquidity=False)
    far_above = (engine.mark_price(BTC) * Decimal("1.2")).quantize(Decimal("1"))
    place(engine, clock, BOB, limit("SELL", "0.01", far_above))
    order = place(engine, clock, ALICE, market("BUY", "0.01"))
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", CancelReason.EXCEEDS_MAX_SLIPPAGE)
    assert order["remaining_size"] == "0.01"


def test_market_order_sweeps_levels_and_reports_the_average_price(engine: Engine, clock: ManualClock):
    book = engine.orderbook(BTC, 2)
    (p1, s1), (p2, _) = [(Decimal(p), Decimal(s)) for p, s in book["asks"]]
    order = place(engine, clock, ALICE, market("BUY", str(s1 + s1)))
    assert (order["status"], order["cancel_reason"], order["remaining_size"]) == ("CLOSED", "", "0")
    assert Decimal(order["avg_fill_price"]) == (p1 + p2) / 2
    assert len(engine.fills(ALICE)["results"]) == 2


def test_order_the_account_cannot_margin_is_rejected_with_nothing_filled(clock: ManualClock):
    engine = make_engine(clock, funding_usdc="100")
    order = place(engine, clock, ALICE, market("BUY", "0.1"))
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", CancelReason.NOT_ENOUGH_MARGIN)
    assert (order["remaining_size"], order["avg_fill_price"]) == ("0.1", "")
    assert engine.fills(ALICE)["results"] == []
    assert engine.balance(ALICE)["results"][0]["size"] == "100"


def test_order_below_min_notional_is_rejected_after_acceptance(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.00005", bid - 100 * TICK))  # about 5 USD
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", CancelReason.ORDER_SIZE_BELOW_MIN)


def test_orders_beyond_the_position_limit_are_rejected(clock: ManualClock):
    engine = make_engine(clock, funding_usdc=10**8)
    bid, _, _ = best(engine)
    for i in range(5):  # BTC's position limit is 500 and its max order size 100
        assert place(engine, clock, ALICE, limit("BUY", "100", bid - (100 + i) * TICK))["status"] == "OPEN"
    order = place(engine, clock, ALICE, limit("BUY", "1", bid - 200 * TICK))
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", CancelReason.ORDER_EXCEEDS_POSITION_LIMIT)


def test_reduce_only_order_without_a_position_is_rejected(engine: Engine, clock: ManualClock):
    order = place(engine, clock, ALICE, market("SELL", "0.01", flags=["REDUCE_ONLY"]))
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", CancelReason.REDUCE_ONLY_WILL_INCREASE)


def test_reduce_only_order_closes_the_position(engine: Engine, clock: ManualClock):
    place(engine, clock, ALICE, market("BUY", "0.01"))
    order = place(engine, clock, ALICE, market("SELL", "0.01", flags=["REDUCE_ONLY"]))
    assert (order["status"], order["cancel_reason"]) == ("CLOSED", "")
    position = engine.positions(ALICE)["results"][0]
    assert (position["status"], position["size"]) == ("CLOSED", "0")


def test_resting_reduce_only_order_is_cancelled_once_the_position_is_gone(engine: Engine, clock: ManualClock):
    _, ask, _ = best(engine)
    place(engine, clock, ALICE, market("BUY", "0.01"))
    resting = place(engine, clock, ALICE, limit("SELL", "0.01", ask + 100 * TICK, flags=["REDUCE_ONLY"]))
    assert resting["status"] == "OPEN"
    place(engine, clock, ALICE, market("SELL", "0.01"))
    after = engine.get_order(ALICE, resting["id"])
    assert (after["status"], after["cancel_reason"]) == ("CLOSED", CancelReason.REDUCE_ONLY_WILL_INCREASE)


def test_self_trade_expire_taker_closes_the_incoming_order_only(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    resting = place(engine, clock, ALICE, limit("BUY", "0.01", bid + TICK))
    taker = place(engine, clock, ALICE, market("SELL", "0.01"))
    assert (taker["status"], taker["cancel_reason"], taker["remaining_size"]) == (
        "CLOSED", CancelReason.SELF_TRADE, "0.01")
    assert engine.get_order(ALICE, resting["id"])["status"] == "OPEN"


def test_self_trade_expire_maker_cancels_the_resting_order_and_trades_on(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    resting = place(engine, clock, ALICE, limit("BUY", "0.01", bid + TICK))
    taker = place(engine, clock, ALICE, market("SELL", "0.01", stp="EXPIRE_MAKER"))
    assert (taker["status"], taker["cancel_reason"]) == ("CLOSED", "")
    assert taker["avg_fill_price"] == str(bid)
    maker = engine.get_order(ALICE, resting["id"])
    assert (maker["status"], maker["cancel_reason"]) == ("CLOSED", CancelReason.SELF_TRADE)


def test_self_trade_expire_both_closes_both_orders(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    resting = place(engine, clock, ALICE, limit("BUY", "0.01", bid + TICK))
    taker = place(engine, clock, ALICE, market("SELL", "0.01", stp="EXPIRE_BOTH"))
    assert taker["cancel_reason"] == CancelReason.SELF_TRADE
    assert engine.get_order(ALICE, resting["id"])["cancel_reason"] == CancelReason.SELF_TRADE
    assert engine.fills(ALICE)["results"] == []


# ---- triggers -----------------------------------------------------------------------------------------------

def test_stop_market_waits_untriggered_then_fires_when_the_mark_crosses(engine: Engine, clock: ManualClock):
    mark = engine.mark_price(BTC)
    _, high = engine.md.mark_range(BTC, clock.now, clock.now + 3_600_000)
    trigger = ((mark + high) / 2 / TICK).to_integral_value() * TICK
    assert trigger > mark
    body = {"market": BTC, "side": "BUY", "type": "STOP_MARKET", "size": "0.01", "trigger_price": str(trigger),
            "signature_timestamp": T0}
    stop = place(engine, clock, ALICE, body)
    assert stop["status"] == "UNTRIGGERED"
    assert "STOP_CONDITION_ABOVE_TRIGGER" in stop["flags"]
    clock.tick(3_600_000)
    fired = engine.get_order(ALICE, stop["id"])
    assert (fired["status"], fired["cancel_reason"], fired["remaining_size"]) == ("CLOSED", "", "0")
    assert Decimal(fired["avg_fill_price"]) >= trigger


def test_whole_position_take_profit_closes_the_position_when_it_fires(engine: Engine, clock: ManualClock):
    place(engine, clock, ALICE, market("BUY", "0.01"))
    mark = engine.mark_price(BTC)
    _, high = engine.md.mark_range(BTC, clock.now, clock.now + 3_600_000)
    trigger = ((mark + high) / 2 / TICK).to_integral_value() * TICK
    tp = place(engine, clock, ALICE, {"market": BTC, "side": "SELL", "type": "TAKE_PROFIT_MARKET", "size": "0",
                                      "trigger_price": str(trigger), "flags": ["REDUCE_ONLY"],
                                      "signature_timestamp": T0})
    assert (tp["status"], tp["size"]) == ("UNTRIGGERED", "0")
    assert "STOP_CONDITION_ABOVE_TRIGGER" in tp["flags"]
    clock.tick(3_600_000)
    fired = engine.get_order(ALICE, tp["id"])
    assert (fired["status"], fired["size"], fired["remaining_size"]) == ("CLOSED", "0.01", "0")
    assert engine.positions(ALICE)["results"][0]["status"] == "CLOSED"


def test_take_profit_without_reduce_only_flag_is_refused(engine: Engine):
    with pytest.raises(SandboxError) as refused:
        engine.submit(ALICE, {"market": BTC, "side": "SELL", "type": "TAKE_PROFIT_MARKET", "size": "0",
                              "trigger_price": "200000"})
    assert refused.value.code == "VALIDATION_ERROR"


# ---- modify -------------------------------------------------------------------------------------------------

def test_modify_keeps_the_order_id_and_applies_the_new_price_and_size(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    new_price = bid - 50 * TICK
    modified = engine.modify(ALICE, order["id"], {"id": order["id"], "market": BTC, "side": "BUY",
                                                  "type": "LIMIT", "size": "0.02", "price": str(new_price)})
    assert modified["id"] == order["id"]
    assert (modified["status"], modified["size"], modified["price"]) == ("OPEN", "0.02", str(new_price))
    assert modified["request_info"]["request_type"] == "MODIFY_ORDER"
    assert engine.orderbook(BTC, 200)["bids"].count([str(new_price), "0.02"]) == 1


def test_modify_cannot_change_the_side(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    with pytest.raises(SandboxError) as refused:
        engine.modify(ALICE, order["id"], {"market": BTC, "side": "SELL", "type": "LIMIT", "size": "0.01",
                                           "price": str(bid - 100 * TICK)})
    assert refused.value.code == "VALIDATION_ERROR"


def test_modify_of_a_closed_order_is_refused(engine: Engine, clock: ManualClock):
    order = place(engine, clock, ALICE, market("BUY", "0.01"))
    with pytest.raises(SandboxError) as refused:
        engine.modify(ALICE, order["id"], {"market": BTC, "side": "BUY", "type": "MARKET", "size": "0.02"})
    assert refused.value.code == "ORDER_IS_CLOSED"


def test_modify_to_a_crossing_price_trades_immediately(engine: Engine, clock: ManualClock):
    bid, ask, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    modified = engine.modify(ALICE, order["id"], {"market": BTC, "side": "BUY", "type": "LIMIT", "size": "0.01",
                                                  "price": str(ask)})
    assert (modified["id"], modified["status"], modified["avg_fill_price"]) == (order["id"], "CLOSED", str(ask))


# ---- lookups and cancels ------------------------------------------------------------------------------------

def test_lookup_by_client_id_serves_open_orders_only(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK, client_id="mine"))
    assert engine.get_order_by_client_id(ALICE, "mine")["id"] == order["id"]
    engine.cancel(ALICE, order["id"])
    with pytest.raises(SandboxError) as refused:
        engine.get_order_by_client_id(ALICE, "mine")
    assert (refused.value.code, refused.value.status) == ("CLIENT_ORDER_ID_NOT_FOUND", 404)
    assert [o["id"] for o in engine.orders_history(ALICE, client_id="mine")["results"]] == [order["id"]]


def test_orders_of_another_account_are_not_found(engine: Engine, clock: ManualClock):
    order = place(engine, clock, ALICE, market("BUY", "0.01"))
    with pytest.raises(SandboxError) as refused:
        engine.get_order(BOB, order["id"])
    assert (refused.value.code, refused.value.status) == ("ORDER_ID_NOT_FOUND", 404)


def test_cancelling_a_closed_order_is_refused_as_closed(engine: Engine, clock: ManualClock):
    order = place(engine, clock, ALICE, market("BUY", "0.01"))
    with pytest.raises(SandboxError) as refused:
        engine.cancel(ALICE, order["id"])
    assert (refused.value.code, refused.value.message) == ("ORDER_IS_CLOSED", f"order is closed: {order['id']}")


def test_cancel_by_client_id_works_while_the_order_is_still_new(engine: Engine):
    bid, _, _ = best(engine)
    order = engine.submit(ALICE, limit("BUY", "0.01", bid - 100 * TICK, client_id="fresh"))
    cancelled = engine.cancel_by_client_id(ALICE, "fresh")
    assert (cancelled["id"], cancelled["status"], cancelled["cancel_reason"]) == (
        order["id"], "CLOSED", CancelReason.USER_CANCELED)


def test_cancel_all_for_one_market_leaves_other_markets_open(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    btc = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    eth_bid = Decimal(engine.bbo("ETH-USD-PERP")["bid"])
    eth = place(engine, clock, ALICE, {"market": "ETH-USD-PERP", "side": "BUY", "type": "LIMIT", "size": "0.1",
                                       "price": str(eth_bid - 10)})
    cancelled = engine.cancel_all(ALICE, BTC)
    assert [o["id"] for o in cancelled] == [btc["id"]]
    assert [o["id"] for o in engine.open_orders(ALICE)["results"]] == [eth["id"]]


def test_batch_cancel_reports_queued_already_closed_and_not_found(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    open_order = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK, client_id="open-one"))
    closed = place(engine, clock, ALICE, market("BUY", "0.01"))
    answer = engine.cancel_batch(ALICE, order_ids=[closed["id"], "1790000000000201799999999999"],
                                 client_order_ids=["open-one", "never-sent"])
    assert [(r.get("id"), r.get("client_id"), r["status"]) for r in answer["results"]] == [
        (closed["id"], "", "ALREADY_CLOSED"),
        ("1790000000000201799999999999", None, "NOT_FOUND"),
        (open_order["id"], "open-one", "QUEUED_FOR_CANCELLATION"),
        (None, "never-sent", "NOT_FOUND"),
    ]
    assert engine.get_order(ALICE, open_order["id"])["cancel_reason"] == CancelReason.USER_CANCELED


def test_planned_batch_cancel_changes_nothing_until_applied(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    order = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    body, ids = engine.plan_cancel_batch(ALICE, order_ids=[order["id"]])
    assert body["results"][0]["status"] == "QUEUED_FOR_CANCELLATION"
    assert ids == [order["id"]]
    assert engine.get_order(ALICE, order["id"])["status"] == "OPEN"


# ---- history ------------------------------------------------------------------------------------------------

def test_history_pages_never_lose_or_repeat_an_order_while_new_ones_arrive(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    created = [place(engine, clock, ALICE, limit("BUY", "0.01", bid - (100 + i) * TICK))["id"] for i in range(23)]
    seen: list[str] = []
    page = engine.orders_history(ALICE, page_size=5)
    while True:
        seen.extend(o["id"] for o in page["results"])
        place(engine, clock, ALICE, limit("BUY", "0.01", bid - 300 * TICK))  # arrives mid-walk, newest
        if page["next"] is None:
            break
        page = engine.orders_history(ALICE, page_size=5, cursor=page["next"])
    assert seen == sorted(created, reverse=True)


def test_history_prev_cursor_returns_the_previous_page(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    for i in range(12):
        place(engine, clock, ALICE, limit("BUY", "0.01", bid - (100 + i) * TICK))
    first = engine.orders_history(ALICE, page_size=5)
    second = engine.orders_history(ALICE, page_size=5, cursor=first["next"])
    back = engine.orders_history(ALICE, page_size=5, cursor=second["prev"])
    assert [o["id"] for o in back["results"]] == [o["id"] for o in first["results"]]
    assert first["prev"] is None


def test_history_filters_by_status_and_side(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    resting = place(engine, clock, ALICE, limit("BUY", "0.01", bid - 100 * TICK))
    place(engine, clock, ALICE, market("SELL", "0.01"))
    assert [o["id"] for o in engine.orders_history(ALICE, status="OPEN", side="BUY")["results"]] == [resting["id"]]


def test_malformed_cursor_is_a_parameter_error(engine: Engine):
    with pytest.raises(SandboxError) as refused:
        engine.orders_history(ALICE, cursor="not-a-cursor")
    assert refused.value.code == "INVALID_REQUEST_PARAMETER"


# ---- money --------------------------------------------------------------------------------------------------

def test_balance_moves_by_realized_pnl_fees_and_funding_of_the_fills(engine: Engine, clock: ManualClock):
    place(engine, clock, ALICE, market("BUY", "0.05"))
    clock.tick(600_000)
    place(engine, clock, ALICE, market("SELL", "0.02"))
    place(engine, clock, ALICE, market("SELL", "0.03"))
    fills = engine.fills(ALICE)["results"]
    expected = Decimal(100000) + sum(Decimal(f["realized_pnl"]) + Decimal(f["realized_funding"]) - Decimal(f["fee"])
                                     for f in fills)
    assert Decimal(engine.balance(ALICE)["results"][0]["size"]) == expected
    position = engine.positions(ALICE)["results"][0]
    assert (position["status"], position["size"], position["unrealized_pnl"]) == ("CLOSED", "0", "0")


def test_both_sides_of_a_trade_are_booked_with_opposite_sizes(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    place(engine, clock, ALICE, limit("BUY", "0.01", bid + TICK))
    place(engine, clock, BOB, market("SELL", "0.01"))
    alice = engine.positions(ALICE)["results"][0]
    bob = engine.positions(BOB)["results"][0]
    assert (alice["side"], alice["size"], bob["side"], bob["size"]) == ("LONG", "0.01", "SHORT", "-0.01")
    assert alice["average_entry_price"] == bob["average_entry_price"] == str(bid + TICK)
    [maker_fill], [taker_fill] = engine.fills(ALICE)["results"], engine.fills(BOB)["results"]
    assert Decimal(maker_fill["fee"]) < Decimal(taker_fill["fee"])


def test_account_summary_free_collateral_is_account_value_minus_initial_margin(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    place(engine, clock, ALICE, market("BUY", "0.05"))
    place(engine, clock, ALICE, limit("BUY", "0.05", bid - 100 * TICK))
    summary = engine.account_summary(ALICE)
    assert Decimal(summary["free_collateral"]) == (Decimal(summary["account_value"])
                                                   - Decimal(summary["initial_margin_requirement"]))
    assert Decimal(summary["initial_margin_requirement"]) > Decimal(summary["maintenance_margin_requirement"]) > 0


def test_lower_leverage_raises_the_margin_an_order_needs(engine: Engine, clock: ManualClock):
    place(engine, clock, ALICE, market("BUY", "0.05"))
    at_max = Decimal(engine.account_summary(ALICE)["initial_margin_requirement"])
    engine.set_margin_config(ALICE, BTC, {"leverage": 5, "margin_type": "CROSS"})
    assert engine.margin_config(ALICE, BTC)["configs"][0]["leverage"] == 5
    assert Decimal(engine.account_summary(ALICE)["initial_margin_requirement"]) > 9 * at_max


def test_untriggered_stop_can_move_its_trigger_and_keeps_its_id(engine: Engine, clock: ManualClock):
    mark = engine.mark_price(BTC)
    far = (mark * Decimal("1.5") / TICK).to_integral_value() * TICK
    body = {"market": BTC, "side": "BUY", "type": "STOP_LIMIT", "size": "0.01", "price": str(far),
            "trigger_price": str(far), "signature_timestamp": T0}
    stop = place(engine, clock, ALICE, body)
    nearer = far - 1000
    moved = engine.modify(ALICE, stop["id"], {**body, "trigger_price": str(nearer)})
    assert (moved["id"], moved["status"], moved["trigger_price"]) == (stop["id"], "UNTRIGGERED", str(nearer))


def test_whole_position_stop_loss_can_move_its_trigger_without_a_size(engine: Engine, clock: ManualClock):
    place(engine, clock, ALICE, market("BUY", "0.01"))
    mark = engine.mark_price(BTC)
    low = (mark * Decimal("0.5") / TICK).to_integral_value() * TICK
    body = {"market": BTC, "side": "SELL", "type": "STOP_LOSS_MARKET", "size": "0", "trigger_price": str(low),
            "flags": ["REDUCE_ONLY"], "signature_timestamp": T0}
    sl = place(engine, clock, ALICE, body)
    assert "STOP_CONDITION_BELOW_TRIGGER" in sl["flags"]
    moved = engine.modify(ALICE, sl["id"], {**body, "trigger_price": str(low + 1000)})
    assert (moved["status"], moved["size"], moved["trigger_price"]) == ("UNTRIGGERED", "0", str(low + 1000))


def test_size_decrease_keeps_queue_place_and_price_change_loses_it(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    price = bid + TICK
    first = place(engine, clock, ALICE, limit("BUY", "0.02", price))
    second = place(engine, clock, BOB, limit("BUY", "0.01", price))
    engine.modify(ALICE, first["id"], {"market": BTC, "side": "BUY", "type": "LIMIT", "size": "0.01",
                                       "price": str(price)})
    engine.onboard("0xc", "0xc1")
    place(engine, clock, "0xc", market("SELL", "0.01"))
    assert engine.get_order(ALICE, first["id"])["status"] == "CLOSED"  # still first in line
    assert engine.get_order(BOB, second["id"])["status"] == "OPEN"


def test_price_change_sends_the_order_to_the_back_of_its_new_level(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    price = bid + 2 * TICK
    first = place(engine, clock, ALICE, limit("BUY", "0.01", bid + TICK))
    second = place(engine, clock, BOB, limit("BUY", "0.01", price))
    engine.modify(ALICE, first["id"], {"market": BTC, "side": "BUY", "type": "LIMIT", "size": "0.01",
                                       "price": str(price)})
    engine.onboard("0xc", "0xc1")
    place(engine, clock, "0xc", market("SELL", "0.01"))
    assert engine.get_order(BOB, second["id"])["status"] == "CLOSED"
    assert engine.get_order(ALICE, first["id"])["status"] == "OPEN"


def test_positions_across_all_accounts_net_to_zero_after_trading(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    place(engine, clock, ALICE, limit("BUY", "0.03", bid + TICK))
    place(engine, clock, BOB, market("SELL", "0.05"))
    place(engine, clock, ALICE, market("SELL", "0.01"))
    place(engine, clock, BOB, market("BUY", "0.02", flags=["REDUCE_ONLY"]))
    net = sum((p.size for a in engine.ledger.accounts() for p in a.positions.values()), Decimal(0))
    assert net == 0
    volume = {side: sum((Decimal(f["size"]) for a in engine.ledger.accounts() for f in a.fills
                         if f["side"] == side), Decimal(0)) for side in ("BUY", "SELL")}
    assert volume["BUY"] == volume["SELL"] > 0


def test_the_hundred_and_first_open_order_in_a_market_is_rejected(engine: Engine, clock: ManualClock):
    bid, _, _ = best(engine)
    for i in range(100):
        engine.submit(ALICE, limit("BUY", "0.001", bid - (100 + i) * TICK))
    extra = place(engine, clock, ALICE, limit("BUY", "0.001", bid - 300 * TICK))
    assert (extra["status"], extra["cancel_reason"]) == ("CLOSED", CancelReason.MAX_OPEN_ORDERS_EXCEEDED)
    assert len(engine.open_orders(ALICE, BTC)["results"]) == 100


# ---- margin totals kept as orders change --------------------------------------------------------------------

def recomputed_exposure(engine: Engine, account: str) -> list[Exposure]:
    """The account's OPEN orders as margin sees them, read from scratch off GET /orders."""
    return [Exposure(o["market"], o["side"], Decimal(o["remaining_size"]), Decimal(o["price"]))
            for o in engine.open_orders(account)["results"] if o["status"] == "OPEN"]


def random_operation(engine: Engine, clock: ManualClock, rng: random.Random, account: str) -> None:
    """One step of a random session: mostly passive limit orders (some reduce-only, IOC or post-only), market
    orders, stops, modifies, cancels, and time passing so the mark moves through resting orders."""
    symbol = rng.choice([BTC, "ETH-USD-PERP"])
    side = rng.choice(["BUY", "SELL"])
    live = [o for o in engine.open_orders(account)["results"] if o["status"] == "OPEN"]
    kind = rng.random()
    if kind < 0.15 and live:
        order = rng.choice(live)
        symbol, side = order["market"], order["side"]
    spec = engine.catalog.spec(symbol)
    mark = engine.mark_price(symbol)
    away = rng.uniform(-0.0005, 0.004)  # mostly on the passive side of the mark, sometimes through it
    price = str((mark * Decimal(1 - away if side == "BUY" else 1 + away) / spec.price_tick_size)
                .to_integral_value() * spec.price_tick_size)
    size = str(spec.order_size_increment * rng.randint(1, 40) * 1000)
    common = {"market": symbol, "side": side, "signature_timestamp": T0}
    if kind < 0.15 and live:
        engine.modify(account, order["id"], {**common, "type": "LIMIT", "price": price,
                                             "size": str(Decimal(order["size"]) + spec.order_size_increment
                                                         * rng.randint(-5, 50))})
    elif kind < 0.5:
        engine.submit(account, {**common, "type": "LIMIT", "size": size, "price": price,
                                "instruction": rng.choice(["GTC", "GTC", "GTC", "IOC", "POST_ONLY"]),
                                "flags": ["REDUCE_ONLY"] if rng.random() < 0.2 else []})
    elif kind < 0.57:
        engine.submit(account, {**common, "type": "MARKET", "size": size})
    elif kind < 0.62:
        engine.submit(account, {**common, "type": "STOP_LIMIT", "size": size, "price": price, "trigger_price": price})
    elif kind < 0.7 and live:
        engine.cancel(account, rng.choice(live)["id"])
    elif kind < 0.71:
        engine.cancel_all(account, symbol)
    else:
        clock.tick(rng.choice([1, 500, 10_000, 45_000]))


def test_margin_totals_kept_as_orders_change_equal_a_recomputation_from_the_open_orders(clock: ManualClock):
    engine = make_engine(clock)
    rng = random.Random(2024)
    most_resting = 0
    for _ in range(400):
        account = rng.choice([ALICE, BOB])
        try:
            random_operation(engine, clock, rng, account)
        except SandboxError:
            pass  # a modify the engine refuses (size below what filled, ...) changes nothing
        clock.tick()
        for who in (ALICE, BOB):
            resting = recomputed_exposure(engine, who)
            most_resting = max(most_resting, len(resting))
            assert engine.exposure(who) == AccountExposure.of(resting)
            kept = Decimal(engine.account_summary(who)["initial_margin_requirement"])
            assert kept == engine.risk.imr(engine.account(who), resting).quantize(Decimal("1e-8"))
    # the sequence really went through fills, modifies, cancels and reduce-only orders
    history = [o for who in (ALICE, BOB) for o in engine.orders_history(who, page_size=1000)["results"]]
    assert {o["cancel_reason"] for o in history} >= {"", CancelReason.USER_CANCELED,
                                                      CancelReason.REDUCE_ONLY_WILL_INCREASE}
    assert any("request_info" in o for o in history) and engine.fills(ALICE)["results"]
    assert most_resting >= 10
