"""Run freqtrade on Paradex: ``python -m paradex_ccxt.freqtrade trade --config config.json --strategy MyStrategy``.

Freqtrade's generic exchange class trades spot only, and Paradex lists perpetual futures (cross margin). This module
gives freqtrade its Paradex exchange class, registers this package's ccxt classes under the name ``paradex``
(``paradex_ccxt.compat.register``) and then runs freqtrade's own command line, so both steps happen before freqtrade
builds its exchange. It needs freqtrade installed (``pip install freqtrade``), which this package does not depend on.

Configuration: ``"trading_mode": "futures"``, ``"margin_mode": "cross"``, ``"stake_currency": "USD"``, and under
``"exchange"``: ``"name": "paradex"``, ``"private_key"`` / ``"wallet_address"`` (README: credential modes), pairs like
``"BTC/USD:USDC"``; ``"ccxt_config": {"urls": {"api": {"v1": "http://127.0.0.1:8080/v1"}}}`` points it at a local
sandbox (``python -m paradex_ccxt.sandbox``).
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

from .compat import register

NEEDS_FREQTRADE = "paradex_ccxt.freqtrade needs freqtrade: pip install 'paradex-ccxt[freqtrade]'"

try:
    import freqtrade.exchange
    from freqtrade.enums import MarginMode, TradingMode
    from freqtrade.exchange import Exchange
except ModuleNotFoundError as missing:
    if (missing.name or "").split(".")[0] != "freqtrade":
        raise
    if __name__ == "__main__":
        raise SystemExit("python -m " + NEEDS_FREQTRADE) from None
    raise ModuleNotFoundError(NEEDS_FREQTRADE, name=missing.name) from missing


class Paradex(Exchange):
    """What freqtrade needs to know of Paradex beyond ccxt's unified API."""

    _ft_has = {
        "order_time_in_force": ["GTC", "IOC", "PO"],
        "stoploss_on_exchange": False,
    }
    _ft_has_futures = {
        # Stop losses rest on Paradex as STOP_LOSS_MARKET / STOP_LOSS_LIMIT orders (createOrder's stopLossPrice).
        "stoploss_on_exchange": True,
        "stoploss_order_types": {"limit": "limit", "market": "market"},
        "stop_price_param": "stopLossPrice",
        "stop_price_prop": "stopLossPrice",
        # Paradex margins by a continuous formula, not tiers; the market's leverage limit is the cap.
        "uses_leverage_tiers": False,
        # Fees are charged in USDC on markets quoted in USD: one money for freqtrade's fee accounting.
        "proxy_coin_mapping": {"USDC": "USD"},
    }
    _supported_trading_mode_margin_pairs = [(TradingMode.FUTURES, MarginMode.CROSS)]

    @property
    def _ccxt_config(self) -> dict:
        # freqtrade looks its stake (USD, the markets' quote) up in the balance: report the USDC collateral there too.
        config = dict(super()._ccxt_config)
        config["options"] = {**config.get("options", {}), "balanceUsdAlias": True}
        return config

    def get_max_leverage(self, pair: str, stake_amount: float | None) -> float:
        if self.trading_mode != TradingMode.FUTURES:
            return 1.0
        return float(self.markets[pair]["limits"]["leverage"]["max"] or 1.0)


def install() -> type[Paradex]:
    """Register the ccxt classes and make ``"name": "paradex"`` resolve to :class:`Paradex` in freqtrade."""
    register()
    freqtrade.exchange.Paradex = Paradex
    return Paradex


def main(argv: Sequence[str] | None = None) -> None:
    install()
    from freqtrade.main import main as freqtrade_main

    freqtrade_main(list(argv) if argv is not None else None)


if __name__ == "__main__":
    main(sys.argv[1:])
