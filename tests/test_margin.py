"""Paradex's cross-margin maintenance requirement and liquidation price (paradex_ccxt.margin)."""
from __future__ import annotations

import time

import pytest

from paradex_ccxt.margin import CrossMarginParams, liquidation_price

# BTC-USD-PERP's shape: a flat 2% base IMF (50x), MMF half of it.
FLAT = CrossMarginParams(imf_base=0.02, imf_factor=0.0, imf_shift=0.0, mmf_factor=0.5)
FEE = 0.0003


def test_params_are_read_from_the_markets_delta1_cross_margin_params():
    info = {"delta1_cross_margin_params": {"imf_base": "0.11", "imf_factor": "0.0002", "imf_shift": "50000",
                                           "mmf_factor": "0.51"}}
    assert CrossMarginParams.from_market(info) == CrossMarginParams(0.11, 0.0002, 50000.0, 0.51)


def test_imf_rises_with_the_square_root_of_notional_past_the_shift():
    params = CrossMarginParams(imf_base=0.02, imf_factor=0.0001, imf_shift=1_000_000, mmf_factor=0.5)
    assert params.position_imf(500_000) == 0.02
    assert params.position_imf(1_000_000 + 62_500_000) == pytest.approx(0.0001 * 62_500_000 ** 0.5)


def test_long_liquidates_where_collateral_plus_loss_meets_maintenance():
    size, entry, balance = 2.0, 100_000.0, 10_000.0
    price = liquidation_price(FLAT, size=size, entry=entry, fee_rate=FEE, balance=balance)
    rate = FLAT.mmf_factor * FLAT.imf_base + FEE
    assert price == pytest.approx((size * entry - balance) / (size * (1 - rate)), rel=1e-12)


def test_short_liquidates_above_entry():
    size, entry, balance = -2.0, 100_000.0, 10_000.0
    price = liquidation_price(FLAT, size=size, entry=entry, fee_rate=FEE, balance=balance)
    rate = FLAT.mmf_factor * FLAT.imf_base + FEE
    assert price == pytest.approx((balance + 2.0 * entry) / (2.0 * (1 + rate)), rel=1e-12)


def test_other_positions_cushion_or_strain_the_account():
    alone = liquidation_price(FLAT, size=1.0, entry=100_000.0, fee_rate=FEE, balance=5_000.0)
    strained = liquidation_price(FLAT, size=1.0, entry=100_000.0, fee_rate=FEE, balance=5_000.0, others=-2_000.0)
    assert strained > alone


def test_a_larger_position_liquidates_sooner_when_imf_grows_with_notional():
    growing = CrossMarginParams(imf_base=0.02, imf_factor=0.0002, imf_shift=0.0, mmf_factor=0.5)
    flat = liquidation_price(FLAT, size=10.0, entry=100_000.0, fee_rate=FEE, balance=200_000.0)
    steep = liquidation_price(growing, size=10.0, entry=100_000.0, fee_rate=FEE, balance=200_000.0)
    assert steep > flat


def test_a_fully_collateralised_long_has_no_liquidation_price():
    assert liquidation_price(FLAT, size=1.0, entry=100_000.0, fee_rate=FEE, balance=150_000.0) is None


def test_an_account_already_below_maintenance_liquidates_at_entry():
    assert liquidation_price(FLAT, size=1.0, entry=100_000.0, fee_rate=FEE, balance=10.0) == 100_000.0


async def test_matches_the_sandboxs_liquidation_price(make_sandbox):
    from paradex_ccxt import paradex

    now = time.time()
    # A still clock: the mark cannot move between the reads below.
    sandbox = await make_sandbox(clock=lambda: now)
    sandbox_exchange = paradex({"options": {"paradexAccount": sandbox.create_account().paradex_account}})
    sandbox_exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        await check_against_the_sandbox(sandbox_exchange)
    finally:
        await sandbox_exchange.close()


async def check_against_the_sandbox(sandbox_exchange) -> None:
    symbol = "BTC/USD:USDC"
    await sandbox_exchange.load_markets()
    await sandbox_exchange.set_leverage(50, symbol)
    await sandbox_exchange.create_order(symbol, "market", "buy", 15)
    position = await sandbox_exchange.fetch_position(symbol)
    account = await sandbox_exchange.privateGetAccount()
    info = position["info"]
    size, entry = float(info["size"]), float(info["average_entry_price"])
    mark = position["markPrice"]
    # The account's value without this position's price PnL (its accrued funding stays, as Paradex counts it).
    balance = float(account["account_value"]) - size * (mark - entry)
    market = sandbox_exchange.market(symbol)
    price = liquidation_price(CrossMarginParams.from_market(market["info"]), size=size, entry=entry,
                              fee_rate=market["taker"], balance=balance)
    assert price == pytest.approx(float(info["liquidation_price"]), abs=0.01)
