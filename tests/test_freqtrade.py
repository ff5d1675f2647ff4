"""freqtrade on Paradex through paradex_ccxt.freqtrade (runs where freqtrade is installed; it is not a dependency)."""
from __future__ import annotations

import pytest

pytest.importorskip("freqtrade")

from freqtrade.enums import MarginMode, RunMode, TradingMode  # noqa: E402
from freqtrade.resolvers.exchange_resolver import ExchangeResolver  # noqa: E402

from paradex_ccxt.freqtrade import install  # noqa: E402
from paradex_ccxt.freqtrade_exchange import Paradex  # noqa: E402
from paradex_ccxt.sandbox import Sandbox  # noqa: E402

PAIR = "BTC/USD:USDC"


@pytest.fixture(scope="module")
def freqtrade_exchange():
    with Sandbox(seed=7, rate_limits=None).running() as sandbox:
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
                "ccxt_config": {"urls": {"api": {"v1": sandbox.api_url}}, "timeout_on_exit": 0},
                "ccxt_async_config": {"urls": {"api": {"v1": sandbox.api_url}}, "timeout_on_exit": 0},
            },
        }
        exchange = ExchangeResolver.load_exchange(config, validate=False)
        try:
            yield exchange
        finally:
            exchange.close()


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


def test_freqtrade_sees_the_usd_stake(freqtrade_exchange):
    balances = freqtrade_exchange.get_balances()
    assert balances["USD"]["free"] > 0
