"""freqtrade's exchange class for Paradex perpetuals (imported by paradex_ccxt.freqtrade once freqtrade is there)."""
from __future__ import annotations

from typing import ClassVar

from freqtrade.enums import MarginMode, TradingMode
from freqtrade.exchange import Exchange

from .margin import CrossMarginParams, liquidation_price


class Paradex(Exchange):
    """What freqtrade needs to know of Paradex beyond ccxt's unified API."""

    _ft_has: ClassVar[dict] = {
        "order_time_in_force": ["GTC", "IOC", "PO"],
        "stoploss_on_exchange": False,
    }
    _ft_has_futures: ClassVar[dict] = {
        # Stop losses rest on Paradex as STOP_LOSS_MARKET / STOP_LOSS_LIMIT orders (createOrder's stopLossPrice).
        "stoploss_on_exchange": True,
        "stoploss_order_types": {"limit": "limit", "market": "market"},
        "stop_price_param": "stopLossPrice",
        "stop_price_prop": "stopLossPrice",
        # Paradex margins by a continuous formula, not tiers; the market's leverage limit is the cap.
        "uses_leverage_tiers": False,
        # Fees are charged in USDC on markets quoted in USD: one money for freqtrade's fee accounting.
        "proxy_coin_mapping": {"USDC": "USD"},
        # fetch_balance's total is Paradex's account value, unrealised PnL included.
        "balance_includes_unrealized_pnl": True,
        # Funding is accounted hourly (fetch_funding_rate_history gives one rate per hour, against 1h mark candles).
        "funding_fee_timeframe": "1h",
        "mark_ohlcv_timeframe": "1h",
    }
    _supported_trading_mode_margin_pairs: ClassVar[list] = [(TradingMode.FUTURES, MarginMode.CROSS)]

    @property
    def _ccxt_config(self) -> dict:
        # freqtrade looks its stake (USD, the markets' quote) up in the balance: report the USDC collateral there too.
        config = dict(super()._ccxt_config)
        config["options"] = {**config.get("options", {}), "balanceUsdAlias": True}
        return config

    def get_balances(self, params: dict | None = None) -> dict:
        """The collateral once, under the stake currency: its USDC original is the same money (proxy_coin_mapping),
        and freqtrade's totals (/balance, the UI, Telegram) would otherwise add it twice."""
        balances = super().get_balances(params)
        for coin, proxy in self._ft_has["proxy_coin_mapping"].items():
            if proxy in balances:
                balances.pop(coin, None)
        return balances

    def get_max_leverage(self, pair: str, stake_amount: float | None) -> float:
        if self.trading_mode != TradingMode.FUTURES:
            return 1.0
        return float(self.markets[pair]["limits"]["leverage"]["max"] or 1.0)

    def _get_funding_fees_from_exchange(self, pair: str, since) -> float:
        """Funding since the trade's last fill, which is the position's accrued funding: Paradex moves funding into
        the balance (a funding payment) only when a fill changes the position, and freqtrade asks at the exit
        before the exit fills. The funding payments list would say 0 there."""
        return sum(float(position["info"].get("unrealized_funding_pnl") or 0)
                   for position in self.fetch_positions(pair))

    def dry_run_liquidation_price(self, pair: str, open_rate: float, is_short: bool, amount: float,
                                  stake_amount: float, leverage: float, wallet_balance: float,
                                  open_trades: list) -> float | None:
        """Cross margin from Paradex's formula (paradex_ccxt.margin). Backtests know no marks: the other trades
        count at their open rates (no PnL), with their maintenance requirement."""
        if self.margin_mode != MarginMode.CROSS:
            return super().dry_run_liquidation_price(pair, open_rate, is_short, amount, stake_amount, leverage,
                                                     wallet_balance, open_trades)
        others = 0.0
        for trade in open_trades:
            if trade.pair != pair:
                others -= self._cross_params(trade.pair).maintenance_requirement(
                    trade.amount, trade.open_rate, self._fee_rate(trade.pair))
        return liquidation_price(self._cross_params(pair), size=-amount if is_short else amount, entry=open_rate,
                                 fee_rate=self._fee_rate(pair), balance=wallet_balance, others=others)

    def _cross_params(self, pair: str) -> CrossMarginParams:
        return CrossMarginParams.from_market(self.markets[pair]["info"])

    def _fee_rate(self, pair: str) -> float:
        return float(self.markets[pair]["taker"] or 0)

