"""Option greeks and implied volatilities from GET /markets/summary, in ccxt's greeks shape.

Paradex publishes `greeks` (delta, gamma, vega, rho, vanna, volga, theta when computed) and the bid / ask / mark IVs
in every market summary; a perpetual's delta is 1 and its other greeks 0. IVs are fractions (0.48 = 48 %), as Paradex
gives them.
"""
from __future__ import annotations

from .market_data import market_summary, summaries_of
from .mixin_base import ExchangeBase


class GreeksMixin(ExchangeBase):
    async def fetch_greeks(self, symbol: str, params: dict | None = None) -> dict:
        """GET /markets/summary?market=<id>."""
        await self.load_markets()
        market = self.market(symbol)
        return self.parse_greeks(await market_summary(self, market, params, "fetchGreeks"), market)

    async def fetch_all_greeks(self, symbols: list[str] | None = None, params: dict | None = None) -> dict:
        """GET /markets/summary (market=ALL, or the one market asked for): the greeks of every listed market that has
        them, by symbol."""
        await self.load_markets()
        symbols = self.market_symbols(symbols)
        known = [s for s in await summaries_of(self, symbols, params) if self.safe_dict(s, "greeks") is not None]
        return self.parse_all_greeks(known, symbols)

    # Paradex's answer: an entry of GET /markets/summary (an option):
    # {"symbol": "BTC-USD-96000-C", "mark_price": "1920.5512", "mark_iv": "0.4812", "delta": "0.3711", "greeks":
    #     {"delta": "0.3711203", "gamma": "0.0000402", "vega": "41.2051", "rho": "0", "vanna": "0.0000113", "volga":
    #     "2.9183"}, "last_traded_price": "1911.2", "bid": "1890.01", "bid_size": "1.25", "bid_iv": "0.47", "ask":
    #     "1951.3", "ask_size": "0.8", "ask_iv": "0.49", "last_iv": "0.475", "volume_24h": "1200391.2", "total_volume":
    #     "88123912.3", "created_at": 1795310000031, "underlying_price": "91233.05321", "open_interest": "12.881",
    #     "funding_rate": "0.0000221", "future_funding_rate": "0.0000398", "price_change_rate_24h": "0.0412"}
    def parse_greeks(self, greeks: dict, market: dict | None = None) -> dict:
        market = self.safe_market(self.safe_string(greeks, "symbol"), market, None, "option")
        values = self.safe_dict(greeks, "greeks", {})
        timestamp = self.safe_integer(greeks, "created_at")
        return {
            "symbol": market["symbol"],
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "delta": self.safe_number(values, "delta"),
            "gamma": self.safe_number(values, "gamma"),
            "theta": self.safe_number(values, "theta"),
            "vega": self.safe_number(values, "vega"),
            "rho": self.safe_number(values, "rho"),
            "vanna": self.safe_number(values, "vanna"),
            "volga": self.safe_number(values, "volga"),
            "charm": None,
            "bidSize": self.safe_number(greeks, "bid_size"),
            "askSize": self.safe_number(greeks, "ask_size"),
            "bidImpliedVolatility": self.safe_number(greeks, "bid_iv"),
            "askImpliedVolatility": self.safe_number(greeks, "ask_iv"),
            "markImpliedVolatility": self.safe_number(greeks, "mark_iv"),
            "bidPrice": self.safe_number(greeks, "bid"),
            "askPrice": self.safe_number(greeks, "ask"),
            "markPrice": self.safe_number(greeks, "mark_price"),
            "lastPrice": self.safe_number(greeks, "last_traded_price"),
            "underlyingPrice": self.safe_number(greeks, "underlying_price"),
            "info": greeks,
        }
