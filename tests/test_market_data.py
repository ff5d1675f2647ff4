"""Public market data: tickers, order book, trades, OHLCV, funding and open interest, replayed from cassettes
(cassettes/market_data/) and checked with ccxt's own structure validators."""
from __future__ import annotations

import pytest
from ccxt.base.errors import ArgumentsRequired, BadRequest, BadSymbol
from ccxt.test.exchange.base import test_ohlcv as check_ohlcv
from ccxt.test.exchange.base import test_open_interest as check_open_interest
from ccxt.test.exchange.base import test_order_book as check_order_book
from ccxt.test.exchange.base import test_ticker as check_ticker
from ccxt.test.exchange.base import test_trade as check_trade


T = 1795310000000  # created_at of the summaries in the cassettes
K0 = 1795305600000  # 2026-11-22T00:00:00Z, first candle of the kline cassettes
MINUTE = 60_000


async def test_ticker_maps_the_market_summary(trader, vcr_cassette):
    with vcr_cassette("market_data/ticker.yaml"):
        ticker = await trader.fetch_ticker("BTC/USD:USDC")
    check_ticker(trader, {}, "fetchTicker", ticker, "BTC/USD:USDC")
    assert ticker["symbol"] == "BTC/USD:USDC"
    assert (ticker["bid"], ticker["ask"], ticker["last"]) == (91250.1, 91252.7, 91251.4)
    assert (ticker["markPrice"], ticker["indexPrice"]) == (91245.31830121, 91233.05321)
    assert ticker["timestamp"] == T


async def test_ticker_change_rate_becomes_percent_and_volume_is_quote(trader, vcr_cassette):
    with vcr_cassette("market_data/ticker.yaml"):
        ticker = await trader.fetch_ticker("BTC/USD:USDC")
    assert ticker["percentage"] == pytest.approx(-1.2391)
    assert ticker["quoteVolume"] == 412398127.63451
    assert ticker["baseVolume"] is None


async def test_tickers_ask_for_all_markets_and_skip_unknown_ones(trader, vcr_cassette):
    with vcr_cassette("market_data/tickers_all.yaml"):
        tickers = await trader.fetch_tickers()
    assert set(tickers) == {"BTC/USD:USDC", "ETH/USD:USDC", "SOL/USD:USDC", "BTC/USD:USDC-96000-C"}
    for symbol, ticker in tickers.items():
        check_ticker(trader, {}, "fetchTickers", ticker, symbol)


async def test_tickers_for_some_symbols_return_only_those(trader, vcr_cassette):
    with vcr_cassette("market_data/tickers_all.yaml"):
        tickers = await trader.fetch_tickers(["ETH/USD:USDC", "SOL/USD:USDC"])
    assert set(tickers) == {"ETH/USD:USDC", "SOL/USD:USDC"}


async def test_order_book_sends_the_depth_limit(trader, vcr_cassette):
    with vcr_cassette("market_data/order_book_depth_3.yaml") as cassette:
        book = await trader.fetch_order_book("BTC/USD:USDC", 3)
    assert cassette.play_count == 1
    check_order_book(trader, {}, "fetchOrderBook", book, "BTC/USD:USDC")
    assert book["bids"][0] == [91250.1, 0.6512]
    assert book["asks"][0] == [91252.7, 0.41]
    assert (book["nonce"], book["timestamp"]) == (48211837, T + 512)


async def test_trades_without_since_or_limit_are_the_latest_page(trader, vcr_cassette):
    with vcr_cassette("market_data/trades_latest.yaml"):
        trades = await trader.fetch_trades("BTC/USD:USDC")
    assert [t["timestamp"] for t in trades] == [T + 4000, T + 5000]
    for trade in trades:
        check_trade(trader, {}, "fetchTrades", trade, "BTC/USD:USDC", T + 10_000, True)


async def test_trades_parse_taker_side_price_amount_and_cost(trader, vcr_cassette):
    with vcr_cassette("market_data/trades_latest.yaml"):
        trades = await trader.fetch_trades("BTC/USD:USDC")
    sell = trades[0]
    assert (sell["side"], sell["price"], sell["amount"]) == ("sell", 91250.9, 0.5)
    assert sell["cost"] == pytest.approx(45625.45)
    assert sell["id"] == "1795310004000201703989430002"
    assert sell["fee"]["cost"] is None and sell["takerOrMaker"] is None


async def test_trades_limit_follows_cursors_until_enough_newest_trades(trader, vcr_cassette):
    with vcr_cassette("market_data/trades_limit_over_pages.yaml") as cassette:
        trades = await trader.fetch_trades("BTC/USD:USDC", limit=3)
    assert cassette.play_count == 2
    assert [t["timestamp"] for t in trades] == [T + 3000, T + 4000, T + 5000]


async def test_trades_since_reads_every_page_back_to_since(trader, vcr_cassette):
    with vcr_cassette("market_data/trades_since_all_pages.yaml") as cassette:
        trades = await trader.fetch_trades("BTC/USD:USDC", since=T + 1000)
    assert cassette.play_count == 3
    assert [t["timestamp"] for t in trades] == [T + 1000, T + 2000, T + 3000, T + 4000, T + 5000]


async def test_ohlcv_since_and_limit_in_one_call(trader, vcr_cassette):
    with vcr_cassette("market_data/ohlcv_1m_single_call.yaml"):
        candles = await trader.fetch_ohlcv("BTC/USD:USDC", "1m", since=K0, limit=5)
    assert [c[0] for c in candles] == [K0 + i * MINUTE for i in range(5)]
    assert candles[0] == [K0, 91000.0, 91004.2, 90996.9, 91001.1, 0.8]
    for candle in candles:
        check_ohlcv(trader, {}, "fetchOHLCV", candle, "BTC/USD:USDC", K0 + 10 * MINUTE)


async def test_ohlcv_long_range_is_split_into_consecutive_calls(trader, vcr_cassette):
    trader.options["klinesPerCall"] = 3
    with vcr_cassette("market_data/ohlcv_1m_three_calls.yaml") as cassette:
        candles = await trader.fetch_ohlcv("BTC/USD:USDC", "1m", since=K0, limit=7)
    assert cassette.play_count == 3
    assert [c[0] for c in candles] == [K0 + i * MINUTE for i in range(7)]


async def test_ohlcv_mark_candles_use_price_kind_mark(trader, vcr_cassette):
    with vcr_cassette("market_data/ohlcv_1h_mark.yaml") as cassette:
        candles = await trader.fetch_mark_ohlcv("BTC/USD:USDC", "1h", since=K0, limit=3)
    assert cassette.play_count == 1
    assert [c[0] for c in candles] == [K0, K0 + 60 * MINUTE, K0 + 120 * MINUTE]


async def test_ohlcv_index_candles_use_the_underlying_price(trader, vcr_cassette):
    with vcr_cassette("market_data/ohlcv_5m_index.yaml") as cassette:
        candles = await trader.fetch_index_ohlcv("ETH/USD:USDC", "5m", since=K0, limit=2)
    assert cassette.play_count == 1
    assert candles[1][1] == 3121.5


async def test_ohlcv_without_since_ends_now_with_the_latest_candles(trader, vcr_cassette, monkeypatch):
    now = K0 + 150 * MINUTE + 42_000
    monkeypatch.setattr(trader, "milliseconds", lambda: now)
    with vcr_cassette("market_data/ohlcv_15m_latest.yaml"):
        candles = await trader.fetch_ohlcv("BTC/USD:USDC", "15m", limit=4)
    assert [c[0] for c in candles] == [K0 + i * 15 * MINUTE for i in range(7, 11)]


async def test_ohlcv_unknown_timeframe_is_refused_before_any_request(trader):
    with pytest.raises(BadRequest, match="1m, 3m, 5m, 15m, 30m, 1h"):
        await trader.fetch_ohlcv("BTC/USD:USDC", "4h")


async def test_ohlcv_unknown_price_kind_is_refused(trader):
    with pytest.raises(BadRequest, match="price"):
        await trader.fetch_ohlcv("BTC/USD:USDC", "1m", params={"price": "premiumIndex"})


async def test_funding_rate_of_a_perpetual_with_its_period(trader, vcr_cassette):
    with vcr_cassette("market_data/funding_rate.yaml"):
        rate = await trader.fetch_funding_rate("ETH/USD:USDC")
    assert rate["symbol"] == "ETH/USD:USDC"
    assert rate["fundingRate"] == -0.0000183
    assert rate["interval"] == "8h"
    assert (rate["markPrice"], rate["indexPrice"]) == (3122.4457, 3121.9901)
    assert rate["timestamp"] == T + 12


async def test_funding_rates_cover_perpetuals_only(trader, vcr_cassette):
    with vcr_cassette("market_data/funding_rates_all.yaml"):
        rates = await trader.fetch_funding_rates()
    assert set(rates) == {"BTC/USD:USDC", "ETH/USD:USDC", "SOL/USD:USDC"}
    assert rates["SOL/USD:USDC"]["fundingRate"] == 0.0001025


async def test_funding_rate_of_an_option_is_refused(trader):
    with pytest.raises(BadSymbol):
        await trader.fetch_funding_rate("BTC/USD:USDC-96000-C")


async def test_funding_rate_history_needs_a_symbol(trader):
    with pytest.raises(ArgumentsRequired):
        await trader.fetch_funding_rate_history()


async def test_open_interest_in_base_and_in_usd_at_mark(trader, vcr_cassette):
    with vcr_cassette("market_data/open_interest.yaml"):
        interest = await trader.fetch_open_interest("SOL/USD:USDC")
    check_open_interest(trader, {}, "fetchOpenInterest", interest)
    assert interest["openInterestAmount"] == 511239.21
    assert interest["openInterestValue"] == pytest.approx(511239.21 * 142.18871)
    assert interest["symbol"] == "SOL/USD:USDC"
