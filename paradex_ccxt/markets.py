"""/v1/markets -> ccxt markets.

Symbols follow ccxt's built-in paradex so existing bot configs keep working:
  perpetual            BTC-USD-PERP               -> BTC/USD:USDC
  perpetual option     BTC-USD-96000-C            -> BTC/USD:USDC-96000-C
  dated option         BTC-USD-27NOV26-100000-P   -> BTC/USD:USDC-261127-100000-P
  dated future         (asset_kind FUTURE)        -> BTC/USD:USDC-261127
  spot                 (asset_kind SPOT)          -> BTC/USD
"""
from __future__ import annotations

from typing import Any

from ccxt.base.precise import Precise

from .mixin_base import ExchangeBase

# asset_kind -> ccxt market type
MARKET_TYPES = {
    "PERP": "swap",
    "PERP_OPTION": "option",
    "OPTION": "option",
    "FUTURE": "future",
    "SPOT": "spot",
}
# market_kind values Paradex uses for markets traded on isolated margin only.
ISOLATED_MARKET_KINDS = ("isolated", "isolated_margin")


def market_fees(exchange: Any, market: dict, market_type: str) -> tuple[Any, Any]:
    """The API (non-interactive) order-flow (maker, taker) rates of a Paradex market's fee_config; the exchange
    default otherwise. Markets and the account's fees read them alike."""
    api_fee = exchange.safe_dict(exchange.safe_dict(market, "fee_config", {}), "api_fee", {})
    default = exchange.safe_dict(exchange.fees, market_type, exchange.safe_dict(exchange.fees, "swap", {}))
    maker = exchange.safe_number(exchange.safe_dict(api_fee, "maker_fee", {}), "fee",
                                 exchange.safe_number(default, "maker"))
    taker = exchange.safe_number(exchange.safe_dict(api_fee, "taker_fee", {}), "fee",
                                 exchange.safe_number(default, "taker"))
    return maker, taker


class MarketsMixin(ExchangeBase):
    async def fetch_markets(self, params: dict | None = None) -> list[dict]:
        """GET /markets: every listed market (optional `market` param narrows it to one)."""
        response = await self.publicGetMarkets(params or {})
        return self.parse_markets(self.safe_list(response, "results", []))

    def set_markets(self, markets: Any, currencies: Any = None) -> Any:
        """Every asset a market names resolves with self.currency(): ccxt derives base and quote currencies only when
        it was given no currencies, and never the settlement currency (USDC, that of balances, fees and funding).
        Assets fetch_currencies did not return (those never held: BTC, USD, ...) get ccxt's market-derived entry."""
        result = super().set_markets(markets, currencies)
        derived: dict[str, dict] = {}
        for market in self.markets.values():
            precision = market.get("precision") or {}
            for side, precision_key in (("base", "amount"), ("quote", "price"), ("settle", None)):
                code = market.get(side)
                if code is None or code in self.currencies or code in derived:
                    continue
                derived[code] = self.safe_currency_structure({
                    "id": market.get(side + "Id") or code,
                    "code": code,
                    "precision": precision.get(precision_key) or self.parse_number("1e-8"),
                })
        if derived:
            self.currencies = self.map_to_safe_map(self.deep_extend(self.currencies, derived))
            self.currencies_by_id = self.index_by_safe(self.currencies, "id")
            self.codes = sorted(self.currencies.keys())
        return result

    # Paradex's answer: an entry of GET /markets (`chain_details`, contract addresses not read here, left out):
    # {"symbol": "SOL-USD-PERP", "base_currency": "SOL", "quote_currency": "USD", "settlement_currency": "USDC",
    #     "order_size_increment": "0.01", "price_tick_size": "0.001", "min_notional": "10", "open_at": 1706090000000,
    #     "expiry_at": 0, "asset_kind": "PERP", "market_kind": "cross", "position_limit": "100000", "price_bands_width":
    #     "0.05", "max_slippage": "0.05", "max_open_orders": 100, "max_funding_rate": "0.05",
    #     "delta1_cross_margin_params": {"imf_base": "0.05", "imf_shift": "0", "imf_factor": "0", "mmf_factor": "0.5"},
    #     "price_feed_id": "H6ARHf6YXhGYeQfUzQNGk6rDNnLBQKrenN712K4AQJEG", "oracle_ewma_factor": "0.20000046249626113",
    #     "max_order_size": "20000", "max_funding_rate_change": "0.0005", "max_tob_spread": "0.2", "interest_rate":
    #     "0.0001", "clamp_rate": "0.05", "funding_period_hours": 8, "funding_multiplier": "1", "tags": ["DEFI"],
    #     "fee_config": {"api_fee": {"maker_fee": {"fee": "-0.00005", "fee_cap": "0.125", "fee_floor": "-0.125"},
    #     "taker_fee": {"fee": "0.0002", "fee_cap": "0.125", "fee_floor": "-0.125"}}}}
    def parse_market(self, market: dict) -> dict:
        market_id = self.safe_string(market, "symbol")
        asset_kind = self.safe_string(market, "asset_kind")
        market_type = MARKET_TYPES.get(asset_kind, "swap")
        base_id = self.safe_string(market, "base_currency")
        quote_id = self.safe_string(market, "quote_currency")
        settle_id = self.safe_string(market, "settlement_currency")
        base = self.safe_currency_code(base_id)
        quote = self.safe_currency_code(quote_id)
        spot = market_type == "spot"
        settle = None if spot else self.safe_currency_code(settle_id)
        option = market_type == "option"
        expiry = self._positive_timestamp(market, "expiry_at")
        strike = self.safe_string(market, "strike_price") if option else None
        option_type = self.safe_string_lower(market, "option_type") if option else None
        symbol = self._unified_symbol(base, quote, settle, expiry, strike, option_type)
        maker, taker = market_fees(self, market, market_type)
        size_step = self.safe_string(market, "order_size_increment")
        market_kind = self.safe_string(market, "market_kind")
        isolated_only = market_kind in ISOLATED_MARKET_KINDS
        max_leverage = self._max_leverage(market)
        return self.safe_market_structure({
            "id": market_id,
            "symbol": symbol,
            "base": base,
            "quote": quote,
            "settle": settle,
            "baseId": base_id,
            "quoteId": quote_id,
            "settleId": None if spot else settle_id,
            "type": market_type,
            "subType": None if spot else "linear",
            "spot": spot,
            "margin": False if spot else None,
            "swap": market_type == "swap",
            "future": market_type == "future",
            "option": option,
            "active": self._market_is_open(market, expiry),
            "contract": not spot,
            "linear": None if spot else True,
            "inverse": None if spot else False,
            "taker": taker,
            "maker": maker,
            "contractSize": None if spot else self.parse_number("1"),
            "expiry": expiry,
            "expiryDatetime": self.iso8601(expiry) if expiry is not None else None,
            "strike": self.parse_number(strike) if strike is not None else None,
            "optionType": option_type,
            "precision": {
                "amount": self.parse_number(size_step),
                "price": self.safe_number(market, "price_tick_size"),
            },
            "limits": {
                "leverage": {"min": self.parse_number("1") if max_leverage is not None else None, "max": max_leverage},
                # The smallest order Paradex accepts is one size increment (and min_notional in USD).
                "amount": {"min": self.parse_number(size_step), "max": self.safe_number(market, "max_order_size")},
                "price": {"min": None, "max": None},
                "cost": {"min": self.safe_number(market, "min_notional"), "max": None},
            },
            "marginModes": {"cross": not isolated_only and not spot, "isolated": isolated_only},
            "created": self._positive_timestamp(market, "open_at"),
            "info": market,
        })

    def _unified_symbol(self, base: str, quote: str, settle: str | None, expiry: int | None, strike: str | None,
                        option_type: str | None) -> str:
        if settle is None:
            return base + "/" + quote
        symbol = base + "/" + quote + ":" + settle
        if expiry is not None:
            symbol += "-" + self.yymmdd(expiry)
        if strike is not None:
            symbol += "-" + strike + "-" + ("C" if option_type == "call" else "P")
        return symbol

    def _positive_timestamp(self, market: dict, key: str) -> int | None:
        # Paradex writes 0 for "no such time" (perpetuals have expiry_at 0, old markets open_at 0).
        value = self.safe_integer(market, key)
        return value if value else None

    def _market_is_open(self, market: dict, expiry: int | None) -> bool:
        now = self.milliseconds()
        opens = self._positive_timestamp(market, "open_at")
        return (opens is None or opens <= now) and (expiry is None or expiry > now)

    def _max_leverage(self, market: dict) -> Any:
        """Initial margin fraction at the smallest position is imf_base, so the highest leverage is 1 / imf_base.

        Options carry option_cross_margin_params instead (premium-based margin): no leverage figure applies.
        """
        imf_base = self.safe_string(self.safe_dict(market, "delta1_cross_margin_params", {}), "imf_base")
        if imf_base is None or not Precise.string_gt(imf_base, "0"):
            return None
        # Paradex takes leverage as a whole number, so the ceiling is rounded down.
        return self.parse_number(Precise.string_div("1", imf_base, 0))
