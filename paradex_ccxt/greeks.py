"""Option greeks and implied volatilities from GET /markets/summary, in ccxt's greeks shape.

Paradex publishes `greeks` (delta, gamma, vega, rho, vanna, volga, theta when computed) and the bid / ask / mark IVs
in every market summary; a perpetual's delta is 1 and its other greeks 0. IVs are fractions (0.48 = 48 %), as Paradex
gives them.
"""
from __future__ import annotations

from .market_data import market_summary, summaries_of


class GreeksMixin:
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
