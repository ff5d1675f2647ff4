"""public market data (tickers, order book, trades, OHLCV, funding) in ccxt shapes."""
from __future__ import annotations


class MarketDataMixin:
    pass
