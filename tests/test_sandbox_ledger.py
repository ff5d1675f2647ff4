"""Sandbox ledger: accounts, keys, fills booked into balance and positions, and the cross-margin arithmetic."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from paradex_ccxt.sandbox.catalog import Catalog
from paradex_ccxt.sandbox.ledger import (AccountExposure, Exposure, FillOrder, IdGen, Ledger, Risk, SandboxError,
                                         settle_fill)
from tests.clocks import ManualClock

BTC = "BTC-USD-PERP"
T0 = 1_790_000_000_000


@pytest.fixture
def ledger() -> Ledger:
    clock = ManualClock(T0)
    return Ledger(clock, IdGen(clock), funding_usdc=Decimal(10000))


@pytest.fixture
def marks() -> dict[str, Decimal]:
    return {BTC: Decimal(100000)}


@pytest.fixture
def risk(marks: dict[str, Decimal]) -> Risk:
    return Risk(Catalog(), lambda s: marks[s], lambda s: marks[s])


def fill(ledger: Ledger, side: str, size: str, price: str, liquidity: str = "TAKER", index: str = "0") -> dict:
    account = ledger.get("0xa")
    return settle_fill(account, ledger.ids, BTC, FillOrder("1", "", side, Decimal(0)), Decimal(size), Decimal(price),
                       liquidity, Decimal(index), Decimal(price), 1, T0)


@pytest.fixture
def alice(ledger: Ledger):
    return ledger.onboard("0xa", "0x1", "0xEth")


def no_index(_symbol: str) -> Decimal:
    return Decimal(0)


# ---- accounts and keys --------------------------------------------------------------------------------------

def test_onboarding_funds_the_account_once_and_records_the_deposit(ledger: Ledger):
    first = ledger.onboard("0xa", "0x1", "0xEth")
    again = ledger.onboard("0x0a", "0x1", "0xEth")
    assert again is first
    assert first.balance == Decimal(10000)
    assert [(t["kind"], t["status"], t["amount"], t["token"]) for t in first.transfers] == [
        ("DEPOSIT", "COMPLETED", "10000", "USDC")]


def test_an_ethereum_address_onboards_one_account_only(ledger: Ledger, alice):
    with pytest.raises(SandboxError) as refused:
        ledger.onboard("0xb", "0x2", "0xeth")
    assert refused.value.code == "ETHEREUM_ADDRESS_ALREADY_ONBOARDED"


def test_unknown_account_is_not_onboarded_with_http_400_as_on_login(ledger: Ledger):
    with pytest.raises(SandboxError) as refused:
        ledger.get("0xdead")
    assert (refused.value.code, refused.value.status) == ("NOT_ONBOARDED", 400)
    assert refused.value.body() == {"error": "NOT_ONBOARDED", "message": "User has never called /onboarding endpoint",
                                    "data": None}


def test_active_subkeys_may_sign_and_revoked_ones_may_not(ledger: Ledger, alice):
    ledger.add_subkey("0xa", "0x5", "bot")
    assert ledger.key_allowed("0xa", "0x1") and ledger.key_allowed("0xa", "0x05")
    ledger.revoke_subkey("0xa", "0x5")
    assert not ledger.key_allowed("0xa", "0x5")
    assert ledger.subkeys_json("0xa") == []
    [revoked] = ledger.subkeys_json("0xa", with_revoked=True)
    assert (revoked["state"], revoked["name"], revoked["revoked_at"] > 0) == ("revoked", "bot", True)


def test_pending_subkey_cannot_sign_until_active(ledger: Ledger, alice):
    ledger.add_subkey("0xa", "0x6", "later", state="pending")
    assert not ledger.key_allowed("0xa", "0x6")


def test_leverage_outside_the_market_range_is_refused(alice):
    with pytest.raises(SandboxError) as refused:
        alice.set_margin(BTC, 51, "CROSS", Catalog())
    assert refused.value.code == "INVALID_REQUEST_PARAMETER"


def test_margin_config_answers_in_paradex_shape(alice):
    assert alice.set_margin(BTC, 10, "CROSS", Catalog()) == {
        "account": "0xa", "leverage": 10, "margin_type": "CROSS", "market": BTC}
    assert alice.margin_json(BTC, Catalog()) == {
        "account": "0xa", "margin_methodology": "cross_margin",
        "configs": [{"market": BTC, "leverage": 10, "margin_type": "CROSS", "isolated_margin_leverage": 10}]}


def test_ids_are_28_digit_time_ordered_and_seq_nos_strictly_increase():
    clock = ManualClock(T0)
    ids = IdGen(clock)
    first, second = ids.next_id(), ids.next_id()
    assert len(first) == 28 and first.isdigit() and first.startswith(str(T0)) and second > first
    assert ids.seq_no() < ids.seq_no()


# ---- fills into balance and positions -----------------------------------------------------------------------

def test_adding_to_a_position_averages_the_entry_price(ledger: Ledger, alice):
    fill(ledger, "BUY", "1", "100000")
    fill(ledger, "BUY", "3", "104000")
    position = alice.positions[BTC]
    assert (position.size, position.entry) == (Decimal(4), Decimal(103000))


def test_closing_part_of_a_position_realizes_pnl_into_the_balance(ledger: Ledger, alice):
    fill(ledger, "BUY", "2", "100000", liquidity="MAKER")
    before = alice.balance
    row = fill(ledger, "SELL", "1", "101000")
    assert row["realized_pnl"] == "1000"
    assert alice.balance == before + Decimal(1000) - Decimal(row["fee"])
    assert alice.positions[BTC].size == Decimal(1)


def test_a_fill_through_zero_flips_the_position_at_the_fill_price(ledger: Ledger, alice):
    fill(ledger, "SELL", "1", "100000")
    row = fill(ledger, "BUY", "3", "99000")
    position = alice.positions[BTC]
    assert row["realized_pnl"] == "1000"
    assert (position.size, position.entry) == (Decimal(2), Decimal(99000))


def test_maker_and_taker_fills_pay_their_own_rates(ledger: Ledger, alice):
    maker = fill(ledger, "BUY", "1", "100000", liquidity="MAKER")
    taker = fill(ledger, "BUY", "1", "100000", liquidity="TAKER")
    assert (maker["fee"], taker["fee"]) == ("3", "20")
    assert (maker["fee_currency"], maker["fill_type"]) == ("USDC", "FILL")


def test_funding_accrued_since_the_last_fill_is_paid_on_the_next_fill(ledger: Ledger, alice):
    fill(ledger, "BUY", "2", "100000", index="10")
    row = fill(ledger, "BUY", "1", "100000", index="12.5")
    assert row["realized_funding"] == "-5"  # a long pays 2 x (12.5 - 10)
    [payment] = alice.funding_payments
    assert (payment["payment"], payment["index"], payment["fill_id"]) == ("-5", "12.5", row["id"])


# ---- margin -------------------------------------------------------------------------------------------------

def test_initial_margin_of_a_position_is_size_times_mark_times_imf_plus_fee_provision(risk: Risk, ledger: Ledger,
                                                                                      alice):
    fill(ledger, "BUY", "1", "100000")
    assert risk.imr(alice, []) == Decimal(100000) * Decimal("0.02") + Decimal(100000) * Decimal("0.0002")


def test_an_order_that_reduces_the_position_adds_no_initial_margin(risk: Risk, ledger: Ledger, alice):
    fill(ledger, "BUY", "1", "100000")
    closing = Exposure(BTC, "SELL", Decimal(1), Decimal(100000))
    assert risk.imr(alice, [closing]) == risk.imr(alice, [])


def test_an_order_priced_through_the_mark_adds_its_open_loss(risk: Risk, alice):
    passive = risk.imr(alice, [Exposure(BTC, "BUY", Decimal(1), Decimal(100000))])
    through = risk.imr(alice, [Exposure(BTC, "BUY", Decimal(1), Decimal(100500))])
    assert through - passive == Decimal(500)


def test_exposure_kept_through_adds_and_removes_equals_one_built_from_the_orders_left(risk: Risk, ledger: Ledger,
                                                                                      alice, marks: dict):
    eth = "ETH-USD-PERP"
    marks[eth] = Decimal(3000)
    fill(ledger, "BUY", "0.5", "100000")
    rng = random.Random(7)
    kept, resting = AccountExposure(), []
    for _ in range(300):
        if resting and rng.random() < 0.45:
            kept.remove(resting.pop(rng.randrange(len(resting))))
        else:
            market = rng.choice([BTC, eth])
            step = Decimal(100) if market == BTC else Decimal(3)
            order = Exposure(market, rng.choice(["BUY", "SELL"]), Decimal(rng.randint(1, 50)) / 100,
                             marks[market] + rng.randint(-10, 10) * step)
            resting.append(order)
            kept.add(order)
        assert kept == AccountExposure.of(resting)
        assert risk.imr(alice, kept) == risk.imr(alice, resting)
    for order in (Exposure(BTC, "BUY", Decimal(1), Decimal(100500)), Exposure(BTC, "SELL", Decimal(1), Decimal(99500))):
        resting.append(order)
        kept.add(order)
    losses = []
    for mark in (Decimal(99000), Decimal(100000), Decimal(101000)):  # buys, then sells, priced through the mark
        marks[BTC] = mark
        losses.append(sum((o.open_loss(mark) for o in resting if o.market == BTC), Decimal(0)))
        assert kept.market(BTC).open_loss(mark) == losses[-1]
        assert risk.imr(alice, kept) == risk.imr(alice, resting)
    assert losses[0] > 0 and losses[2] > 0


def test_imr_with_one_order_more_and_one_less_equals_imr_of_the_changed_orders(risk: Risk, alice):
    old = Exposure(BTC, "BUY", Decimal(1), Decimal(99000))
    other = Exposure(BTC, "SELL", Decimal(2), Decimal(99500))
    new = Exposure(BTC, "BUY", Decimal(3), Decimal(100400))
    kept = AccountExposure.of([old, other])
    assert risk.imr(alice, kept, plus=new, minus=old) == risk.imr(alice, [other, new])


def test_lower_leverage_raises_the_initial_margin_fraction(risk: Risk, ledger: Ledger, alice):
    fill(ledger, "BUY", "1", "100000")
    alice.set_margin(BTC, 5, "CROSS", Catalog())
    assert risk.imr(alice, []) == Decimal(100000) * Decimal("0.2") + Decimal(20)


def test_account_summary_follows_the_mark(risk: Risk, ledger: Ledger, alice, marks: dict):
    fill(ledger, "BUY", "1", "100000", liquidity="MAKER")
    marks[BTC] = Decimal(101000)
    summary = risk.summary_json(alice, [], no_index, T0)
    assert summary["total_collateral"] == "9997"  # 10000 minus the 3 USDC maker fee
    assert summary["account_value"] == "10997"  # plus 1000 unrealised
    assert summary["initial_margin_requirement"] == "2040.2"
    assert summary["free_collateral"] == "8956.8"
    assert (summary["settlement_asset"], summary["status"]) == ("USDC", "ACTIVE")


def test_liquidation_price_is_where_account_value_meets_maintenance_margin(risk: Risk, ledger: Ledger, alice,
                                                                           marks: dict):
    fill(ledger, "BUY", "1", "100000")
    position = alice.positions[BTC]
    price = Decimal(risk.liquidation_price(alice, position, no_index))
    marks[BTC] = price
    assert abs(risk.account_value(alice, no_index) - risk.mmr(alice)) < Decimal("0.0001")


def test_position_row_has_paradex_fields_and_signed_cost(risk: Risk, ledger: Ledger, alice):
    fill(ledger, "SELL", "0.5", "100000")
    row = risk.positions_json(alice, no_index)[0]
    assert (row["side"], row["size"], row["cost"], row["status"]) == ("SHORT", "-0.5", "-50000", "OPEN")
    assert row["id"] == f"0xa-{BTC}"
    assert {"average_entry_price_usd", "unrealized_funding_pnl", "realized_positional_pnl",
            "liquidation_price", "leverage", "cached_funding_index", "last_fill_id", "seq_no"} <= set(row)
