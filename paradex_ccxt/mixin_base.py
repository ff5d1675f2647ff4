"""What the mixins build on, told to type checkers: ccxt's async Exchange with Paradex's implicit API.

At run time it is `object`: the mixins only become an exchange combined with the real Exchange in
exchange.paradex, and a mixin class must not bring a second copy of ccxt's base into that class's MRO.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from ccxt.async_support.base.exchange import Exchange
    from ccxt.async_support.base.ws.cache import ArrayCache, ArrayCacheBySymbolById, ArrayCacheBySymbolBySide
    from ccxt.async_support.base.ws.client import Client
    from ccxt.async_support.base.ws.future import Future
    from ccxt.async_support.base.ws.order_book import OrderBook

    from .auth import JwtSession
    from .implicit_api import ImplicitAPI

    class ExchangeBase(Exchange, ImplicitAPI):
        # Attributes the mixins assign: ccxt declares them untyped in its __init__.
        currencies: dict[str, Any]
        currencies_by_id: dict[str, Any]
        codes: list[str]
        # Set in exchange.paradex.__init__.
        clock_lead: tuple[int, int] | None
        ws_pending: dict[int, tuple[str, str]]
        funding_rates_streamed: dict[str, dict]
        order_seq_nos: dict[str, int]
        closed_on_stream: dict[str, dict]
        close_waiters: dict[str, asyncio.Future]
        jwt_session: JwtSession

        # ccxt.pro's streaming state (ccxt.async_support.base.exchange), untyped there. The caches of the private
        # channels start as None and are created by the first update.
        newUpdates: bool
        clients: dict[str, Client]
        orderbooks: dict[str, OrderBook]
        tickers: dict[str, dict]
        bidsasks: dict[str, dict]
        trades: dict[str, ArrayCache]
        orders: ArrayCacheBySymbolById | None
        myTrades: ArrayCacheBySymbolById | None
        positions: ArrayCacheBySymbolBySide | None
        balance: dict

        # ccxt.pro's streaming methods, untyped there.
        def client(self, url: str) -> Client: ...

        def watch(self, url: str, message_hash: str, message: Any = None, subscribe_hash: str | None = None,
                  subscription: Any = None) -> Future: ...

        def spawn(self, method: Callable[..., Awaitable[Any]], *args: Any) -> Future: ...

        def order_book(self, snapshot: dict = ..., depth: int | None = None) -> OrderBook: ...
else:
    ExchangeBase = object
