"""Public market data (tickers, order book, trades, OHLCV, funding, open interest) in ccxt shapes."""
from __future__ import annotations

import asyncio
from typing import Any

from ccxt.base.errors import ArgumentsRequired, BadRequest, BadSymbol
from ccxt.base.precise import Precise

from .mixin_base import ExchangeBase
from .pagination import collect_pages, time_range

# Largest page_size each list accepts, as ccxt's built-in paradex observes them (Paradex documents only the default
# of 100): 1000 for trades and fills, 5000 for funding payments.
TRADES_PAGE_MAX = 1000
FUNDING_PAGE_MAX = 5000
HOUR_MS = 3_600_000
# Hourly funding rates returned when neither `since` nor `limit` says how many.
FUNDING_HOURS_DEFAULT = 24
# Paradex samples its funding index every few seconds; an hour whose nearest sample is older than this is a gap.
FUNDING_SAMPLE_TOLERANCE_MS = 60_000
# Candles per /markets/klines call; Paradex answers about 1000 (ccxt's observation), so longer ranges are split.
# options['klinesPerCall'] overrides it should Paradex's cap change.
KLINES_PER_CALL = 1000
# ccxt's price kinds -> Paradex's price_kind (the index of a Paradex market is its underlying's spot price).
PRICE_KINDS = {"last": "last", "mark": "mark", "index": "underlying", "underlying": "underlying"}


async def market_summaries(exchange: Any, target: str, params: dict | None) -> list[dict]:
    """GET /markets/summary of one market id, or of every market with target 'ALL'."""
    response = await exchange.publicGetMarketsSummary(exchange.extend({"market": target}, params or {}))
    return exchange.safe_list(response, "results", [])


async def market_summary(exchange: Any, market: dict, params: dict | None, method: str) -> dict:
    """The summary of one loaded market; BadSymbol when Paradex has none. Tickers, funding rates, open interest and
    greeks all read it."""
    summaries = await market_summaries(exchange, market["id"], params)
    if not summaries:
        raise BadSymbol(f"{exchange.id} {method}() got no market summary for {market['id']}")
    return summaries[0]


async def summaries_of(exchange: Any, symbols: list[str] | None, params: dict | None) -> list[dict]:
    """The summaries of `symbols` (one call for a single symbol, market=ALL otherwise), dropping markets that are
    not loaded."""
    target = exchange.market(symbols[0])["id"] if symbols is not None and len(symbols) == 1 else "ALL"
    summaries = await market_summaries(exchange, target, params)
    return [s for s in summaries if exchange.safe_string(s, "symbol") in exchange.markets_by_id]


class MarketDataMixin(ExchangeBase):
    # -- tickers --------------------------------------------------------------------------------------------------

    async def fetch_ticker(self, symbol: str, params: dict | None = None) -> dict:
        """GET /markets/summary?market=<id>: bid, ask, last, mark, index (underlying), 24h USD volume, open interest."""
        await self.load_markets()
        market = self.market(symbol)
        return self.parse_ticker(await market_summary(self, market, params, "fetchTicker"), market)

    async def fetch_tickers(self, symbols: list[str] | None = None, params: dict | None = None) -> dict:
        """GET /markets/summary: one call for a single symbol, market=ALL otherwise."""
        await self.load_markets()
        symbols = self.market_symbols(symbols)
        return self.parse_tickers(await summaries_of(self, symbols, params), symbols)

    # Paradex's answer: an entry of GET /markets/summary:
    # {"symbol": "BTC-USD-PERP", "mark_price": "91245.31830121", "mark_iv": "", "delta": "1", "greeks": {"delta": "1",
    #     "gamma": "0", "vega": "0", "rho": "0", "vanna": "0", "volga": "0"}, "last_traded_price": "91251.4", "bid":
    #     "91250.1", "bid_iv": "", "ask": "91252.7", "ask_iv": "", "last_iv": "", "volume_24h": "412398127.63451",
    #     "total_volume": "98124781234.71", "created_at": 1795310000000, "underlying_price": "91233.05321",
    #     "open_interest": "1843.20791", "funding_rate": "0.0000412", "future_funding_rate": "0.0000398",
    #     "price_change_rate_24h": "-0.012391"}
    def parse_ticker(self, ticker: dict, market: dict | None = None) -> dict:
        market = self.safe_market(self.safe_string(ticker, "symbol"), market)
        timestamp = self.safe_integer(ticker, "created_at")
        rate = self.safe_string(ticker, "price_change_rate_24h")
        last = self.safe_string(ticker, "last_traded_price")
        return self.safe_ticker({
            "symbol": market["symbol"],
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "high": None,
            "low": None,
            "bid": self.safe_string(ticker, "bid"),
            "bidVolume": self.safe_string(ticker, "bid_size"),
            "ask": self.safe_string(ticker, "ask"),
            "askVolume": self.safe_string(ticker, "ask_size"),
            "vwap": None,
            "open": None,
            "close": last,
            "last": last,
            "previousClose": None,
            "change": None,
            # Paradex gives a rate (0.05 = 5 %); ccxt's percentage is in percent.
            "percentage": Precise.string_mul(rate, "100") if rate is not None else None,
            "average": None,
            "baseVolume": None,
            # volume_24h is in USD, the quote currency.
            "quoteVolume": self.safe_string(ticker, "volume_24h"),
            "markPrice": self.safe_string(ticker, "mark_price"),
            "indexPrice": self.safe_string(ticker, "underlying_price"),
            "info": ticker,
        }, market)

    # -- order book -------------------------------------------------------------------------------------------

    async def fetch_order_book(self, symbol: str, limit: int | None = None, params: dict | None = None) -> dict:
        """GET /orderbook/{market}?depth=<limit> (Paradex's default depth is 20 levels per side)."""
        await self.load_markets()
        market = self.market(symbol)
        request: dict[str, Any] = {"market": market["id"]}
        if limit is not None:
            request["depth"] = limit
        response = await self.publicGetOrderbookMarket(self.extend(request, params or {}))
        timestamp = self.safe_integer(response, "last_updated_at")
        book = self.parse_order_book(response, market["symbol"], timestamp)
        book["nonce"] = self.safe_integer(response, "seq_no")
        return book

    # -- trades -------------------------------------------------------------------------------------------------

    async def fetch_trades(self, symbol: str, since: int | None = None, limit: int | None = None,
                           params: dict | None = None) -> list[dict]:
        """GET /trades, following cursors (see `collect_pages`); params['until'] -> end_at."""
        await self.load_markets()
        market = self.market(symbol)
        request, params = time_range(self, {"market": market["id"]}, since, params)
        rows = await collect_pages(lambda r: self.publicGetTrades(self.extend(r, params)), request, since, limit,
                                   TRADES_PAGE_MAX)
        return self.parse_trades(rows, market, since, limit)

    # Paradex's answer: an entry of GET /trades; GET /fills entries carry more:
    # {"id": "1795310005000201703989430001", "market": "BTC-USD-PERP", "side": "BUY", "size": "0.0132", "price":
    #     "91251.4", "created_at": 1795310005000, "trade_type": "FILL"}
    # Paradex's answer: an entry of GET /fills:
    # {"account": "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32", "client_id": "pccxt-7f3a",
    #     "created_at": 1795309700000, "fee": "-0.22815", "fee_currency": "USDC", "fill_type": "FILL", "flags": [],
    #     "id": "1795309700000201703986670003", "liquidity": "MAKER", "market": "BTC-USD-PERP", "order_id":
    #     "1795309500000201703992340000", "price": "91260", "realized_funding": "0", "realized_pnl": "0",
    #     "remaining_size": "0", "side": "SELL", "size": "0.05", "underlying_price": "91233.05321"}
    def parse_trade(self, trade: dict, market: dict | None = None) -> dict:
        """A public trade (taker side, no fee) or a private fill from GET /fills (own side, fee, order id,
        maker/taker)."""
        market = self.safe_market(self.safe_string(trade, "market"), market)
        timestamp = self.safe_integer(trade, "created_at")
        liquidity = self.safe_string_lower(trade, "liquidity")
        fee_cost = self.safe_string(trade, "fee")
        price = self.safe_string(trade, "price")
        amount = self.safe_string(trade, "size")
        fee = None
        if fee_cost is not None:
            # The rate lets bots (freqtrade) account a fee paid in USDC on a USD-quoted market.
            notional = Precise.string_mul(price, amount) if price is not None and amount is not None else None
            rate = Precise.string_div(fee_cost, notional) if notional and not Precise.string_eq(notional, "0") \
                else None
            fee = {"cost": fee_cost, "currency": self.safe_currency_code(self.safe_string(trade, "fee_currency")),
                   "rate": rate}
        return self.safe_trade({
            "info": trade,
            "id": self.safe_string(trade, "id"),
            "order": self.safe_string(trade, "order_id"),
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "symbol": market["symbol"],
            "type": None,
            "side": self.safe_string_lower(trade, "side"),
            "takerOrMaker": liquidity if liquidity in ("taker", "maker") else None,
            "price": price,
            "amount": amount,
            "cost": None,
            "fee": fee,
        }, market)

    # -- OHLCV --------------------------------------------------------------------------------------------------

    async def fetch_ohlcv(self, symbol: str, timeframe: str = "1m", since: int | None = None, limit: int | None = None,
                          params: dict | None = None) -> list[list]:
        """GET /markets/klines over as many calls as the range needs (about 1000 candles each).

        The range is [since, since + limit candles) with `since`, the last `limit` candles before now (or before
        params['until']) without; params['until'] with `since` and no limit asks for everything in between.
        Without a limit the default is 1000 candles. Repeated timestamps across calls are kept once.
        params['price']: 'last' (default), 'mark' or 'index' (the underlying spot price), which is how ccxt's
        fetch_mark_ohlcv / fetch_index_ohlcv call this method.
        """
        await self.load_markets()
        market = self.market(symbol)
        params = params or {}
        resolution = self.safe_string(self.timeframes, timeframe)
        if resolution is None:
            raise BadRequest(self.id + " fetchOHLCV() supports timeframes " + ", ".join(self.timeframes))
        request: dict[str, Any] = {"symbol": market["id"], "resolution": resolution}
        price = self.safe_string(params, "price")
        if price is not None:
            if price not in PRICE_KINDS:
                raise BadRequest(self.id + " fetchOHLCV() price must be one of " + ", ".join(PRICE_KINDS))
            request["price_kind"] = PRICE_KINDS[price]
        until = self.safe_integer(params, "until")
        params = self.omit(params, ["price", "until", "paginate"])
        step = self.parse_timeframe(timeframe) * 1000
        per_call = self.safe_integer(self.options, "klinesPerCall", KLINES_PER_CALL)
        start, end = self._ohlcv_range(step, since, limit, until)
        candles: dict[int, list] = {}
        window = step * per_call
        for window_start in range(start, end + 1, window):
            window_request = self.extend(request, {"start_at": window_start,
                                                   "end_at": min(window_start + window - 1, end)})
            response = await self.publicGetMarketsKlines(self.extend(window_request, params))
            for row in self.safe_list(response, "results", []):
                candle = self.parse_ohlcv(row, market)
                candles[candle[0]] = candle
        ordered = [candles[t] for t in sorted(candles)]
        return self.filter_by_since_limit(ordered, since, limit, 0, since is None)

    def _ohlcv_range(self, step_ms: int, since: int | None, limit: int | None, until: int | None) -> tuple[int, int]:
        count = limit if limit is not None else KLINES_PER_CALL
        if since is not None:
            end = since + count * step_ms - 1
            if until is not None:
                end = until if limit is None else min(end, until)
            return since, end
        end = until if until is not None else self.milliseconds()
        return end - count * step_ms + 1, end

    # Paradex's answer: an entry of GET /markets/klines: [start ms, open, high, low, close, volume]:
    # [1795311000000, 91009.0, 91013.2, 91005.9, 91010.1, 0.86]
    def parse_ohlcv(self, ohlcv: list, market: dict | None = None) -> list:
        return [
            self.safe_integer(ohlcv, 0),
            self.safe_number(ohlcv, 1),
            self.safe_number(ohlcv, 2),
            self.safe_number(ohlcv, 3),
            self.safe_number(ohlcv, 4),
            self.safe_number(ohlcv, 5),
        ]

    # -- funding ------------------------------------------------------------------------------------------------

    async def fetch_funding_rate(self, symbol: str, params: dict | None = None) -> dict:
        await self.load_markets()
        market = self.market(symbol)
        if not market["swap"]:
            raise BadSymbol(self.id + " fetchFundingRate() is for perpetual markets; " + symbol + " is not one")
        return self.parse_funding_rate(await market_summary(self, market, params, "fetchFundingRate"), market)

    async def fetch_funding_rates(self, symbols: list[str] | None = None, params: dict | None = None) -> dict:
        """Current funding of every perpetual (or of `symbols`) from GET /markets/summary."""
        await self.load_markets()
        symbols = self.market_symbols(symbols)
        # The summary also lists options, whose funding_rate is empty: only perpetuals have a funding rate.
        perpetuals = [s for s in await summaries_of(self, symbols, params)
                      if self.markets_by_id[self.safe_string(s, "symbol")][0]["swap"]]
        return self.parse_funding_rates(perpetuals, symbols)

    # Paradex's answer: an entry of GET /markets/summary (see parse_ticker).
    def parse_funding_rate(self, summary: dict, market: dict | None = None) -> dict:
        """Paradex's funding_rate is the rate for one whole funding period of the market (funding_period_hours,
        8 h for perpetuals); funding accrues continuously, so there is no discrete next funding time."""
        market = self.safe_market(self.safe_string(summary, "symbol"), market)
        timestamp = self.safe_integer(summary, "created_at")
        hours = self.safe_string(market["info"], "funding_period_hours")
        return {
            "info": summary,
            "symbol": market["symbol"],
            "markPrice": self.safe_number(summary, "mark_price"),
            "indexPrice": self.safe_number(summary, "underlying_price"),
            "interestRate": self.safe_number(market["info"], "interest_rate"),
            "estimatedSettlePrice": None,
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "fundingRate": self.safe_number(summary, "funding_rate"),
            "fundingTimestamp": None,
            "fundingDatetime": None,
            # Paradex's projection of the rate the current conditions lead to.
            "nextFundingRate": self.safe_number(summary, "future_funding_rate"),
            "nextFundingTimestamp": None,
            "nextFundingDatetime": None,
            "previousFundingRate": None,
            "previousFundingTimestamp": None,
            "previousFundingDatetime": None,
            "interval": hours + "h" if hours is not None and Precise.string_gt(hours, "0") else None,
        }

    async def fetch_funding_rate_history(self, symbol: str | None = None, since: int | None = None,
                                         limit: int | None = None, params: dict | None = None) -> list[dict]:
        """One funding rate per hour, the way hourly-funding exchanges (and freqtrade) account funding.

        Paradex settles funding continuously into a funding index (USD per unit of base; a long pays
        size x index growth) and publishes 5-second samples of it at GET /funding/data. The row at hour h is the
        funding of the hour that ends at h: (index(h) - index(h - 1h)) / mark(h), mark(h) being the open of the 1h
        mark candle at h. rate x mark x size is then exactly what a position held over that hour paid, which is how
        freqtrade prices funding in backtests and dry runs. Hours whose index sample is missing are left out.

        Hours are [since, since + limit hours) with `since`; without, the last `limit` hours (default
        FUNDING_HOURS_DEFAULT) before now or params['until']; params['until'] with `since` and no limit: all hours
        in between.
        """
        if symbol is None:
            raise ArgumentsRequired(self.id + " fetchFundingRateHistory() requires a symbol (per-market data)")
        await self.load_markets()
        market = self.market(symbol)
        params = params or {}
        until = self.safe_integer(params, "until")
        params = self.omit(params, ["until", "paginate"])
        hours = self._funding_hours(since, limit, until)
        if not hours:
            return []
        samples = await asyncio.gather(*[self._funding_sample(market, t, params)
                                         for t in [hours[0] - HOUR_MS] + hours])
        marks = {c[0]: c[1] for c in await self.fetch_mark_ohlcv(symbol, "1h", hours[0], len(hours))}
        history = []
        for hour, before, after in zip(hours, samples, samples[1:], strict=False):
            mark = marks.get(hour)
            if before is None or after is None or not mark:
                continue
            growth = Precise.string_sub(self.safe_string(after, "funding_index"),
                                        self.safe_string(before, "funding_index"))
            history.append({
                "info": {"start": before, "end": after, "mark_price": mark},
                "symbol": market["symbol"],
                "fundingRate": self.parse_number(Precise.string_div(growth, self.number_to_string(mark))),
                "timestamp": hour,
                "datetime": self.iso8601(hour),
            })
        return history

    def _funding_hours(self, since: int | None, limit: int | None, until: int | None) -> list[int]:
        now = self.milliseconds()
        last = (min(until, now) if until is not None else now) // HOUR_MS * HOUR_MS
        if since is None:
            count = limit if limit is not None else FUNDING_HOURS_DEFAULT
            return list(range(last - (count - 1) * HOUR_MS, last + 1, HOUR_MS))
        first = -(-since // HOUR_MS) * HOUR_MS
        if limit is not None:
            last = min(last, first + (limit - 1) * HOUR_MS)
        return list(range(first, last + 1, HOUR_MS))

    async def _funding_sample(self, market: dict, at: int, params: dict) -> dict | None:
        """The newest GET /funding/data sample at or before `at`; None when there is none close enough."""
        response = await self.publicGetFundingData(self.extend({"market": market["id"], "end_at": at,
                                                                "page_size": 1}, params))
        rows = self.safe_list(response, "results", [])
        if not rows or at - self.safe_integer(rows[0], "created_at", 0) > FUNDING_SAMPLE_TOLERANCE_MS:
            return None
        return rows[0]

    # -- open interest ------------------------------------------------------------------------------------------

    async def fetch_open_interest(self, symbol: str, params: dict | None = None) -> dict:
        """Open interest (in base currency) from GET /markets/summary; its USD value at the mark price."""
        await self.load_markets()
        market = self.market(symbol)
        return self.parse_open_interest(await market_summary(self, market, params, "fetchOpenInterest"), market)

    # Paradex's answer: an entry of GET /markets/summary (see parse_ticker).
    def parse_open_interest(self, interest: dict, market: dict | None = None) -> dict:
        market = self.safe_market(self.safe_string(interest, "symbol"), market)
        timestamp = self.safe_integer(interest, "created_at")
        amount = self.safe_string(interest, "open_interest")
        mark = self.safe_string(interest, "mark_price")
        return self.safe_open_interest({
            "symbol": market["symbol"],
            "openInterestAmount": amount,
            "openInterestValue": Precise.string_mul(amount, mark) if amount is not None and mark is not None else None,
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "info": interest,
        }, market)
