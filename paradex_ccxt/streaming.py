"""ccxt.pro's watch_* / un_watch_* methods on Paradex's channels, and the handlers that turn channel data into
unified structures with the same parsers as REST (orders through the same status table).

Channels (PARADEX-WS.md §4): ``order_book.{market}.deltas`` (one full snapshot, then deltas whose ``seq_no`` grows by
exactly one; a gap drops the local book and resubscribes for a new snapshot), ``bbo.{market}``,
``trades.{market|ALL}``, ``markets_summary[.{market}]``, ``funding_data[.{market}]``, private ``orders.{market|ALL}``,
``fills.{market|ALL}``, ``positions``, ``account``. Every update is resolved under the channel of its market and
under the ALL / bare channel, because SBE frames do not name the channel they were sent for.
"""
from __future__ import annotations

import asyncio
from typing import Any

from ccxt.async_support.base.ws.cache import ArrayCache, ArrayCacheBySymbolById, ArrayCacheBySymbolBySide

from .ws_connection import WsConnectionMixin

PER_MARKET = ("trades", "bbo", "orders", "fills", "markets_summary", "funding_data")
HAS: dict[str, bool] = {
    "ws": True,
    "watchOrderBook": True,
    "watchTicker": True,
    "watchTickers": True,
    "watchTrades": True,
    "watchTradesForSymbols": True,
    "watchBidsAsks": True,
    "watchFundingRate": True,
    "watchFundingRates": True,
    "watchOrders": True,
    "watchMyTrades": True,
    "watchPositions": True,
    "watchBalance": True,
    "watchOHLCV": False,  # Paradex streams no candles
    "unWatchOrderBook": True,
    "unWatchTicker": True,
    "unWatchTickers": True,
    "unWatchTrades": True,
    "unWatchTradesForSymbols": True,
    "unWatchBidsAsks": True,
    "unWatchFundingRate": True,
    "unWatchFundingRates": True,
    "unWatchOrders": True,
    "unWatchMyTrades": True,
    "unWatchPositions": True,
    "unWatchBalance": True,
}


def exact_integer(value: Any) -> int | None:
    """An integer read without a float on the way: Paradex's order seq_no has 19 digits, beyond a double's 53 bits
    (ccxt's safe_integer would round it, and a later update could then look older than an earlier one)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


# Orders whose last seq_no is remembered (to drop stale updates); the oldest are forgotten first.
SEQ_NOS_KEPT = 10_000


class StreamingMixin(WsConnectionMixin):
    def describe(self) -> dict:
        return self.deep_extend(super().describe(), {
            "pro": True,
            "has": HAS,
            "urls": {
                "api": {"ws": "wss://ws.api.prod.paradex.trade/v1"},
                "test": {"ws": "wss://ws.api.testnet.paradex.trade/v1"},
            },
            "options": {
                # SBE frames on public channels (Paradex's only encoding for them since 2026-09-21); the schema
                # version asked for at connect (Paradex answers a version it does not serve with HTTP 400).
                "sbe": True,
                "sbeSchemaVersion": 2,
                # SBE frames must reach handle_message as bytes.
                "decompressBinary": False,
                # Paradex refuses the 201st subscription of a connection (42900); more go on further connections.
                "wsMaxSubscriptionsPerConnection": 200,
                "tradesLimit": 1000,
                "ordersLimit": 1000,
            },
        })

    # -- helpers -------------------------------------------------------------------------------------------------

    async def _markets(self, symbols: list[str] | None, all_when_none: bool = False) -> list[dict]:
        """The markets of `symbols`; an empty list for None when `all_when_none` (the channel's ALL form)."""
        await self.load_markets()
        if symbols is None and all_when_none:
            return []
        return [self.market(symbol) for symbol in self.market_symbols(symbols, None, False) or []]

    @staticmethod
    def _market_channels(kind: str, markets: list[dict]) -> list[str]:
        """`kind`.<market> for each market; with none, the channel of every market (`kind`.ALL, or the bare name
        for the summary channels, as ccxt subscribes them)."""
        if markets:
            return [f"{kind}.{m['id']}" for m in markets]
        return [kind] if kind in ("markets_summary", "funding_data") else [f"{kind}.ALL"]

    def _resolve(self, client: Any, result: Any, kind: str, market_id: str | None) -> None:
        """Resolve the per-market channel, the ALL channel and the bare channel of `kind`."""
        client.resolve(result, kind)
        if market_id is not None:
            client.resolve(result, f"{kind}.{market_id}")
            client.resolve(result, f"{kind}.ALL")

    def handle_channel_data(self, client: Any, channel: str, data: dict) -> None:
        kind = channel.split(".", 1)[0]
        handler = {
            "order_book": self.handle_order_book,
            "bbo": self.handle_bid_ask,
            "trades": self.handle_trade,
            "markets_summary": self.handle_ticker,
            "funding_data": self.handle_funding_rate,
            "orders": self.handle_order,
            "fills": self.handle_my_trade,
            "positions": self.handle_position,
            "account": self.handle_balance,
        }.get(kind)
        if handler is not None:
            handler(client, data)

    # -- order book ------------------------------------------------------------------------------------------------

    def order_book_channel(self, market_id: str) -> str:
        return f"order_book.{market_id}.deltas"

    async def watch_order_book(self, symbol: str, limit: int | None = None, params: dict | None = None) -> dict:
        """The full book of `symbol` kept from Paradex's deltas feed; `limit` levels a side in the result."""
        market = (await self._markets([symbol]))[0]
        orderbook = await self.ws_subscribe(self.order_book_channel(market["id"]))
        if limit is None:
            return orderbook.limit()
        # The local book keeps every level (deltas may touch any); the caller gets a copy cut to `limit`.
        return self.order_book(self.extend(orderbook, {"bids": orderbook["bids"][:limit],
                                                       "asks": orderbook["asks"][:limit]}), limit)

    async def un_watch_order_book(self, symbol: str, params: dict | None = None) -> None:
        market = (await self._markets([symbol]))[0]
        await self.ws_unsubscribe([self.order_book_channel(market["id"])])
        self.orderbooks.pop(market["symbol"], None)

    def handle_order_book(self, client: Any, data: dict) -> None:
        market_id = self.safe_string(data, "market")
        market = self.safe_market(market_id)
        symbol = market["symbol"]
        seq = exact_integer(data.get("seq_no"))
        changes = self.safe_list(data, "inserts", []) + self.safe_list(data, "updates", []) + \
            self.safe_list(data, "deletes", [])
        if self.safe_string(data, "update_type") == "s":
            book = self.orderbooks[symbol] = self.order_book({"symbol": symbol})
        else:
            book = self.orderbooks.get(symbol)
            if book is None or book["nonce"] is None:
                return  # deltas before the first snapshot (or during a resync) describe a book we do not have
            if seq != book["nonce"] + 1:
                self._resync_order_book(client, market_id, symbol)
                return
        for change in changes:
            side = book["bids"] if self.safe_string(change, "side") == "BUY" else book["asks"]
            side.store(self.safe_number(change, "price"), self.safe_number(change, "size"))
        timestamp = self.safe_integer(data, "last_updated_at")
        book["nonce"] = seq
        book["timestamp"] = timestamp
        book["datetime"] = self.iso8601(timestamp)
        client.resolve(book, self.order_book_channel(market_id))

    def _resync_order_book(self, client: Any, market_id: str, symbol: str) -> None:
        """A missed delta: the local book is wrong. It is dropped, and the channel is subscribed again on the same
        connection, which makes Paradex send a fresh snapshot; watchers wait for it."""
        self.orderbooks[symbol]["nonce"] = None
        channel = self.order_book_channel(market_id)
        self.spawn(self._resubscribe, client.url, channel)

    async def _resubscribe(self, url: str, channel: str) -> None:
        client = self.client(url)
        try:
            await self.ws_request(url, "unsubscribe", {"channel": channel})
            _, message = self._rpc_message("subscribe", {"channel": channel}, channel)
            await client.send(message)
        except Exception as error:  # noqa: BLE001 - the book's watchers get the failure
            client.reject(error, channel)

    # -- best bid / ask --------------------------------------------------------------------------------------------


    async def watch_bids_asks(self, symbols: list[str] | None = None, params: dict | None = None) -> dict:
        """Paradex's BBO channel: {symbol: {bid, bidVolume, ask, askVolume, ...}} of the symbol(s) just updated."""
        markets = await self._markets(symbols, all_when_none=True)
        ticker = await self.ws_subscribe_any(self._market_channels("bbo", markets))
        if self.newUpdates:
            return {ticker["symbol"]: ticker}
        return self.filter_by_array(self.bidsasks, "symbol", [m["symbol"] for m in markets] or None)

    async def un_watch_bids_asks(self, symbols: list[str] | None = None, params: dict | None = None) -> None:
        markets = await self._markets(symbols, all_when_none=True)
        await self.ws_unsubscribe(self._market_channels("bbo", markets))
        for market in markets:
            self.bidsasks.pop(market["symbol"], None)

    def handle_bid_ask(self, client: Any, data: dict) -> None:
        market_id = self.safe_string(data, "market")
        market = self.safe_market(market_id)
        timestamp = self.safe_integer(data, "last_updated_at")
        ticker = self.safe_ticker({
            "symbol": market["symbol"],
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "bid": self.omit_zero(self.safe_string(data, "bid")),
            "bidVolume": self.omit_zero(self.safe_string(data, "bid_size")),
            "ask": self.omit_zero(self.safe_string(data, "ask")),
            "askVolume": self.omit_zero(self.safe_string(data, "ask_size")),
            "info": data,
        }, market)
        self.bidsasks[market["symbol"]] = ticker
        self._resolve(client, ticker, "bbo", market_id)

    # -- trades ----------------------------------------------------------------------------------------------------

    async def watch_trades(self, symbol: str, since: int | None = None, limit: int | None = None,
                           params: dict | None = None) -> list[dict]:
        return await self.watch_trades_for_symbols([symbol], since, limit, params)

    async def watch_trades_for_symbols(self, symbols: list[str], since: int | None = None, limit: int | None = None,
                                       params: dict | None = None) -> list[dict]:
        markets = await self._markets(symbols, all_when_none=True)
        trades = await self.ws_subscribe_any(self._market_channels("trades", markets))
        if self.newUpdates:
            limit = trades.getLimit(trades[-1]["symbol"], limit)
        return self.filter_by_since_limit(trades, since, limit, "timestamp", True)

    async def un_watch_trades(self, symbol: str, params: dict | None = None) -> None:
        await self.un_watch_trades_for_symbols([symbol], params)

    async def un_watch_trades_for_symbols(self, symbols: list[str], params: dict | None = None) -> None:
        markets = await self._markets(symbols, all_when_none=True)
        await self.ws_unsubscribe(self._market_channels("trades", markets))
        for market in markets:
            self.trades.pop(market["symbol"], None)

    def handle_trade(self, client: Any, data: dict) -> None:
        trade = self.parse_trade(data)
        stored = self.trades.get(trade["symbol"])
        if stored is None:
            stored = self.trades[trade["symbol"]] = ArrayCache(self.safe_integer(self.options, "tradesLimit", 1000))
        stored.append(trade)
        self._resolve(client, stored, "trades", self.safe_string(data, "market"))

    # -- channels with one newest entry per market (tickers, funding rates) ----------------------------------------

    async def _watch_newest(self, kind: str, symbols: list[str] | None, newest: dict) -> dict:
        """The next update of `kind` among `symbols` (every market when None), or, without newUpdates, the newest
        entry of each of them (`newest`: symbol -> entry, kept by the channel's handler)."""
        markets = await self._markets(symbols, all_when_none=True)
        entry = await self.ws_subscribe_any(self._market_channels(kind, markets))
        if self.newUpdates:
            return {entry["symbol"]: entry}
        return self.filter_by_array(newest, "symbol", [m["symbol"] for m in markets] or None)

    async def _un_watch_markets(self, kind: str, symbols: list[str] | None) -> None:
        markets = await self._markets(symbols, all_when_none=True)
        await self.ws_unsubscribe(self._market_channels(kind, markets))

    # -- tickers ---------------------------------------------------------------------------------------------------

    async def watch_ticker(self, symbol: str, params: dict | None = None) -> dict:
        tickers = await self.watch_tickers([symbol], params)
        return tickers[self.symbol(symbol)]

    async def watch_tickers(self, symbols: list[str] | None = None, params: dict | None = None) -> dict:
        """Paradex's markets summary: every market when `symbols` is None."""
        return await self._watch_newest("markets_summary", symbols, self.tickers)

    async def un_watch_ticker(self, symbol: str, params: dict | None = None) -> None:
        await self.un_watch_tickers([symbol], params)

    async def un_watch_tickers(self, symbols: list[str] | None = None, params: dict | None = None) -> None:
        await self._un_watch_markets("markets_summary", symbols)

    def handle_ticker(self, client: Any, data: dict) -> None:
        ticker = self.parse_ticker(data)
        self.tickers[ticker["symbol"]] = ticker
        self._resolve(client, ticker, "markets_summary", self.safe_string(data, "symbol"))

    # -- funding ---------------------------------------------------------------------------------------------------

    async def watch_funding_rate(self, symbol: str, params: dict | None = None) -> dict:
        rates = await self.watch_funding_rates([symbol], params)
        return rates[self.symbol(symbol)]

    async def watch_funding_rates(self, symbols: list[str] | None = None, params: dict | None = None) -> dict:
        """Paradex's funding_data channel: every market when `symbols` is None."""
        return await self._watch_newest("funding_data", symbols, self.funding_rates_streamed)

    async def un_watch_funding_rate(self, symbol: str, params: dict | None = None) -> None:
        await self.un_watch_funding_rates([symbol], params)

    async def un_watch_funding_rates(self, symbols: list[str] | None = None, params: dict | None = None) -> None:
        await self._un_watch_markets("funding_data", symbols)

    def handle_funding_rate(self, client: Any, data: dict) -> None:
        market_id = self.safe_string(data, "market")
        # The funding_data row carries the summary's funding fields under the same names; the market's own
        # funding period comes from the market, as in fetch_funding_rate.
        rate = self.parse_funding_rate({**data, "symbol": market_id})
        rate["info"] = data
        self.funding_rates_streamed[rate["symbol"]] = rate
        self._resolve(client, rate, "funding_data", market_id)

    # -- orders ----------------------------------------------------------------------------------------------------

    def _private_channel(self, kind: str, market: dict | None) -> str:
        return f"{kind}.{market['id'] if market is not None else 'ALL'}"

    async def _market_or_none(self, symbol: str | None) -> dict | None:
        await self.load_markets()
        return self.market(symbol) if symbol is not None else None

    async def watch_orders(self, symbol: str | None = None, since: int | None = None, limit: int | None = None,
                           params: dict | None = None) -> list[dict]:
        """Every state an order of the account passes through, parsed by the same parse_order (and status table)
        as REST; an update older than one already seen (Paradex's per-order seq_no) is dropped."""
        market = await self._market_or_none(symbol)
        orders = await self.ws_subscribe(self._private_channel("orders", market), private=True)
        if self.newUpdates:
            limit = orders.getLimit(symbol, limit)
        return self.filter_by_symbol_since_limit(orders, symbol, since, limit, True)

    async def un_watch_orders(self, symbol: str | None = None, params: dict | None = None) -> None:
        await self.ws_unsubscribe([self._private_channel("orders", await self._market_or_none(symbol))])


    def handle_order(self, client: Any, data: dict) -> None:
        order_id = self.safe_string(data, "id")
        seq = exact_integer(data.get("seq_no"))
        if seq is not None and order_id is not None:
            if seq <= self.order_seq_nos.get(order_id, -1):
                return
            self.order_seq_nos[order_id] = seq
            if len(self.order_seq_nos) > SEQ_NOS_KEPT:
                del self.order_seq_nos[next(iter(self.order_seq_nos))]  # the oldest order's: long closed
        if self.orders is None:
            self.orders = ArrayCacheBySymbolById(self.safe_integer(self.options, "ordersLimit", 1000))
        order = self.parse_order(data)
        self.orders.append(order)
        if self.safe_string(data, "status") == "CLOSED":
            closed = self.closed_on_stream
            closed[order_id] = data
            if len(closed) > self.safe_integer(self.options, "ordersLimit", 1000):
                del closed[next(iter(closed))]
            waiter = self.close_waiters.pop(order_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(data)
        self._resolve(client, self.orders, "orders", self.safe_string(data, "market"))

    # -- cancels confirmed from the stream -------------------------------------------------------------------------



    def order_stream_live(self, market_id: str | None) -> bool:
        """Whether an authenticated, open connection streams the orders of `market_id` (orders.ALL or its own)."""
        wanted = {"orders.ALL"} | ({f"orders.{market_id}"} if market_id else set())
        for client in (self.clients or {}).values():
            auth = client.subscriptions.get("authenticated")
            logged_in = auth is not None and auth.done() and not auth.cancelled() and not auth.exception()
            if wanted & set(client.subscriptions) and logged_in and not client.closed():
                return True
        return False

    async def wait_closed_on_stream(self, refs: list[dict], timeout_ms: int) -> dict[str, dict] | None:
        """The CLOSED updates the order stream delivers within `timeout_ms` for the orders of `refs` (id, market);
        None unless a live order stream covers every one of them (then the caller polls as before)."""
        ids = [ref["id"] for ref in refs if ref.get("id")]
        if not ids or len(ids) < len(refs) or not all(self.order_stream_live(ref.get("market")) for ref in refs):
            return None
        loop = asyncio.get_running_loop()
        waiters = {}
        for order_id in ids:
            if order_id not in self.closed_on_stream:
                waiters[order_id] = self.close_waiters.setdefault(order_id, loop.create_future())
        if waiters:
            await asyncio.wait(list(waiters.values()), timeout=timeout_ms / 1000)
        for order_id, waiter in waiters.items():
            if not waiter.done() and self.close_waiters.get(order_id) is waiter:
                del self.close_waiters[order_id]
        return {order_id: self.closed_on_stream[order_id] for order_id in ids if order_id in self.closed_on_stream}

    # -- fills -----------------------------------------------------------------------------------------------------

    async def watch_my_trades(self, symbol: str | None = None, since: int | None = None, limit: int | None = None,
                              params: dict | None = None) -> list[dict]:
        market = await self._market_or_none(symbol)
        trades = await self.ws_subscribe(self._private_channel("fills", market), private=True)
        if self.newUpdates:
            limit = trades.getLimit(symbol, limit)
        return self.filter_by_symbol_since_limit(trades, symbol, since, limit, True)

    async def un_watch_my_trades(self, symbol: str | None = None, params: dict | None = None) -> None:
        await self.ws_unsubscribe([self._private_channel("fills", await self._market_or_none(symbol))])

    def handle_my_trade(self, client: Any, data: dict) -> None:
        if self.myTrades is None:
            self.myTrades = ArrayCacheBySymbolById(self.safe_integer(self.options, "tradesLimit", 1000))
        self.myTrades.append(self.parse_trade(data))
        self._resolve(client, self.myTrades, "fills", self.safe_string(data, "market"))

    # -- positions and balance -------------------------------------------------------------------------------------

    async def watch_positions(self, symbols: list[str] | None = None, since: int | None = None,
                              limit: int | None = None, params: dict | None = None) -> list[dict]:
        """Positions as they change (a closed one arrives with contracts 0)."""
        await self.load_markets()
        symbols = self.market_symbols(symbols)
        position = await self.ws_subscribe("positions", private=True)
        if self.newUpdates:
            updated = [position] if symbols is None or position["symbol"] in symbols else []
            return self.filter_by_since_limit(updated, since, limit, "timestamp", True)
        return self.filter_by_since_limit(self.filter_by_array_positions(self.positions, "symbol", symbols), since,
                                          limit, "timestamp", True)

    async def un_watch_positions(self, symbols: list[str] | None = None, params: dict | None = None) -> None:
        await self.ws_unsubscribe(["positions"])

    def handle_position(self, client: Any, data: dict) -> None:
        if self.positions is None:
            self.positions = ArrayCacheBySymbolBySide()
        position = self.parse_position(data)
        self.positions.append(position)
        client.resolve(position, "positions")

    async def watch_balance(self, params: dict | None = None) -> dict:
        """The USDC collateral from Paradex's account channel, as fetch_balance reports it."""
        await self.load_markets()
        return await self.ws_subscribe("account", private=True)

    async def un_watch_balance(self, params: dict | None = None) -> None:
        await self.ws_unsubscribe(["account"])

    def handle_balance(self, client: Any, data: dict) -> None:
        self.balance = self.parse_balance({"account": data, "balance": {"results": []}})
        client.resolve(self.balance, "account")
