"""freqtrade's Paradex exchange class (paradex_ccxt.freqtrade_exchange), built by freqtrade's own resolver against
a sandbox whose clock the tests move."""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from freqtrade.enums import CandleType, MarginMode, RunMode, TradingMode
from freqtrade.exceptions import OperationalException
from freqtrade.exchange import timeframe_to_prev_date
from freqtrade.resolvers.exchange_resolver import ExchangeResolver

from paradex_ccxt.freqtrade import install
from paradex_ccxt.freqtrade_exchange import Paradex
from paradex_ccxt.sandbox import Sandbox

from .conftest import MARKET, PAIR

HOUR = 3600.0
SIZE = 15.0


class StillClock:
    """A sandbox clock that moves only when told: marks and funding hold still between reads."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clock() -> StillClock:
    return StillClock()


@pytest.fixture(scope="module")
def sandbox(clock):
    # Logins are signed on the real clock; the sandbox's runs ahead once the tests move it.
    with Sandbox(seed=7, rate_limits=None, clock=clock, max_clock_skew=10 * 24 * HOUR).running() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def freqtrade_exchange(sandbox):
    account = sandbox.create_account()
    install()
    config = {
        "dry_run": False,
        "runmode": RunMode.LIVE,
        "trading_mode": "futures",
        "margin_mode": "cross",
        "stake_currency": "USD",
        "candle_type_def": "futures",
        "exchange": {
            "name": "paradex",
            "private_key": account.paradex_account["privateKey"],
            "wallet_address": account.paradex_account["address"],
            "pair_whitelist": [PAIR],
            "ccxt_config": {"urls": {"api": {"v1": sandbox.api_url}}},
            "ccxt_async_config": {"urls": {"api": {"v1": sandbox.api_url}}},
        },
    }
    exchange = ExchangeResolver.load_exchange(config, validate=False)
    try:
        yield exchange
    finally:
        exchange.close()


@pytest.fixture(scope="module")
def long_position(freqtrade_exchange, clock):
    """A 15 BTC long at 50x leverage (close enough to liquidation to have a price), then three hours of funding."""
    freqtrade_exchange._api.set_leverage(50, PAIR)
    freqtrade_exchange._api.create_order(PAIR, "market", "buy", SIZE)
    clock.now += 3 * HOUR


def test_freqtrade_resolves_paradex_to_its_paradex_class(freqtrade_exchange):
    assert isinstance(freqtrade_exchange, Paradex)


def test_freqtrade_trades_paradex_perpetuals_with_cross_margin(freqtrade_exchange):
    assert freqtrade_exchange.trading_mode == TradingMode.FUTURES
    assert freqtrade_exchange.margin_mode == MarginMode.CROSS
    assert PAIR in freqtrade_exchange.get_markets(tradable_only=True)


def test_freqtrade_max_leverage_is_the_markets_limit(freqtrade_exchange):
    expected = freqtrade_exchange.markets[PAIR]["limits"]["leverage"]["max"]
    assert expected > 1
    assert freqtrade_exchange.get_max_leverage(PAIR, 100.0) == expected


def test_freqtrade_places_stop_losses_on_paradex(freqtrade_exchange):
    assert freqtrade_exchange.get_option("stoploss_on_exchange") is True


def test_the_collateral_is_counted_once_under_the_usd_stake(freqtrade_exchange):
    balances = freqtrade_exchange.get_balances()
    account = freqtrade_exchange._api.privateGetAccount()
    assert "USDC" not in balances
    assert balances["USD"]["total"] == pytest.approx(float(account["account_value"]), abs=0.005)


def test_live_funding_fees_are_the_positions_accrued_funding(freqtrade_exchange, long_position, sandbox):
    md = sandbox.state.engine.md
    opened = freqtrade_exchange._api.fetch_position(PAIR)["info"]["created_at"]
    accrued = -SIZE * float(md.funding_index(MARKET, sandbox.state.now_ms()) - md.funding_index(MARKET, opened))
    fees = freqtrade_exchange.get_funding_fees(PAIR, SIZE, False, None)
    assert fees == pytest.approx(accrued, abs=0.005)
    assert abs(fees) > 0.01


def test_dry_run_liquidation_price_is_paradexs(freqtrade_exchange, long_position):
    position = freqtrade_exchange._api.fetch_position(PAIR)
    account = freqtrade_exchange._api.privateGetAccount()
    size, entry = float(position["info"]["size"]), float(position["info"]["average_entry_price"])
    # freqtrade hands the wallet without the position's price PnL.
    wallet = float(account["account_value"]) - size * (position["markPrice"] - entry)
    price = freqtrade_exchange.dry_run_liquidation_price(PAIR, entry, False, size, 1000.0, 3.0, wallet, [])
    assert price == pytest.approx(float(position["info"]["liquidation_price"]), abs=0.01)



def test_isolated_margin_is_refused_at_startup(sandbox):
    install()
    config = {"dry_run": True, "runmode": RunMode.DRY_RUN, "trading_mode": "futures", "margin_mode": "isolated",
              "stake_currency": "USD", "candle_type_def": "futures",
              "exchange": {"name": "paradex", "pair_whitelist": [PAIR],
                           "ccxt_config": {"urls": {"api": {"v1": sandbox.api_url}}},
                           "ccxt_async_config": {"urls": {"api": {"v1": sandbox.api_url}}}}}
    with pytest.raises(OperationalException, match="isolated"):
        ExchangeResolver.load_exchange(config, validate=True)


# -- what freqtrade's exchange compatibility tests (test_ccxt_compat.py) ask of a futures exchange ------------------

@pytest.fixture(scope="module")
def market_data_exchange(public_sandbox):
    """Dry run on a sandbox on the wall clock, as freqtrade's compatibility tests read market data."""
    install()
    config = {"dry_run": True, "runmode": RunMode.DRY_RUN, "trading_mode": "futures", "margin_mode": "cross",
              "stake_currency": "USD", "candle_type_def": "futures",
              "exchange": {"name": "paradex", "pair_whitelist": [PAIR],
                           "ccxt_config": {"urls": {"api": {"v1": public_sandbox.api_url}}},
                           "ccxt_async_config": {"urls": {"api": {"v1": public_sandbox.api_url}}}}}
    exchange = ExchangeResolver.load_exchange(config, validate=False)
    try:
        yield exchange
    finally:
        exchange.close()


def last_hours(count: int) -> list[datetime]:
    this_hour = timeframe_to_prev_date("1h")
    return [this_hour - timedelta(hours=h) for h in reversed(range(count))]


def test_funding_rates_run_hourly_up_to_this_hour(market_data_exchange):
    since = int((datetime.now(UTC) - timedelta(days=5)).timestamp() * 1000)
    timeframe = market_data_exchange._ft_has["funding_fee_timeframe"]
    key = (PAIR, timeframe, CandleType.FUNDING_RATE)
    rates = market_data_exchange.refresh_latest_ohlcv([key], since_ms=since, drop_incomplete=False)[key]
    assert timeframe == "1h"
    assert list(rates.columns) == ["date", "funding_rate", "open"]
    assert list(rates["date"].iloc[-4:]) == last_hours(4)
    assert len(rates) >= 5 * 24 * 0.9
    assert (rates["funding_rate"].iloc[-4:] != 0).any()


def test_mark_candles_reach_the_open_hour(market_data_exchange):
    since = int((datetime.now(UTC) - timedelta(days=5)).timestamp() * 1000)
    key = (PAIR, "1h", CandleType.from_string(market_data_exchange.get_option("mark_ohlcv_price")))
    marks = market_data_exchange.refresh_latest_ohlcv([key], since_ms=since, drop_incomplete=False)[key]
    assert list(marks["date"].iloc[-2:]) == last_hours(2)
