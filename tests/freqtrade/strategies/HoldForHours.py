"""Test strategy: go long whenever flat, at 3x leverage, and hold for `hold_hours` (config, default 5) hours.
`max_trades` (config) caps how many trades it ever opens."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from freqtrade.persistence import Trade
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class HoldForHours(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    can_short = False
    minimal_roi: ClassVar[dict] = {"0": 100}
    stoploss = -0.99
    startup_candle_count = 0
    order_types: ClassVar[dict] = {"entry": "market", "exit": "market", "stoploss": "market", "stoploss_on_exchange": False}

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe

    def confirm_trade_entry(self, pair: str, order_type: str, amount: float, rate: float, time_in_force: str,
                            current_time: datetime, entry_tag: str | None, side: str, **kwargs) -> bool:
        return len(Trade.get_trades_proxy()) < self.config.get("max_trades", float("inf"))

    def custom_exit(self, pair: str, trade, current_time: datetime, current_rate: float, current_profit: float,
                    **kwargs) -> str | None:
        if current_time - trade.open_date_utc >= timedelta(hours=self.config.get("hold_hours", 5)):
            return "held"
        return None

    def leverage(self, pair: str, current_time: datetime, current_rate: float, proposed_leverage: float,
                 max_leverage: float, entry_tag: str | None, side: str, **kwargs) -> float:
        return 3.0
