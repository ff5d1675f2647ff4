"""What the engine answers, read by ccxt's built-in paradex parsers and checked with ccxt's own structure validators
(ccxt/test/exchange/base): the shapes a third-party Paradex client will meet in the sandbox."""
from __future__ import annotations

from decimal import Decimal

import ccxt
import pytest
from ccxt.test.exchange.base.test_market import test_market as check_market
from ccxt.test.exchange.base.test_ohlcv import test_ohlcv as check_ohlcv
from ccxt.test.exchange.base.test_order import test_order as check_order
from ccxt.test.exchange.base.test_order_book import test_order_book as check_order_book
from ccxt.test.exchange.base.test_position import test_position as check_position
from ccxt.test.exchange.base.test_ticker import test_ticker as check_ticker
from ccxt.test.exchange.base.test_trade import test_trade as check_trade

from paradex_ccxt.sandbox.engine import Engine
from tests.clocks import ManualClock

BTC, SYMBOL = "BTC-USD-PERP", "BTC/USD:USDC"
ALICE = "0xa11ce"
T0 = 1_760_000_000_000


@pytest.fixture(scope="module")
def session() -> tuple[Engine, ManualClock, dict]:
    """One short trading session: a market buy, a resting bid, a partial reduce-only sell."""
    clock = ManualClock(T0)
    engine = Engine(clock=clock, seed=5)
    engine.onboard(ALICE, "0xa1")
    orders = {}
    orders["market"] = engine.submit(ALICE, {"market": BTC, "side": "BUY", "type": "MARKET", "size": "0.02"})
    bid = Decimal(engine.bbo(BTC)["bid"])
    clock.now += 5
    orders["resting"] = engine.submit(ALICE, {"market": BTC, "side": "BUY", "type": "LIMIT", "size": "0.01",
                                              "price": str(bid - 100), "client_id": "rest-1"})
    clock.now += 5
    orders["reduce"] = engine.submit(ALICE, {"market": BTC, "side": "SELL", "type": "MARKET", "size": "0.01",
                                             "flags": ["REDUCE_ONLY"]})
    clock.now += 60_000
    return engine, clock, {k: engine.get_order(ALICE, o["id"]) for k, o in orders.items()}


@pytest.fixture(scope="module")
def exchange(session) -> ccxt.paradex:
    engine, _, _ = session
    ex = ccxt.paradex()
    markets = [ex.parse_market(row) for row in engine.markets()["results"]]
    codes = {m[k] for m in markets for k in ("base", "quote", "settle")}
    ex.set_markets(markets, {c: ex.safe_currency_structure({"id": c, "code": c, "precision": 1e-8}) for c in codes})
    return ex


def test_markets_pass_ccxt_market_validator(exchange: ccxt.paradex):
    # ccxt's parser reads no active flag from Paradex; its market validator expects every option to expire, which
    # a perpetual option does not, so the option is checked by the catalog tests instead
    for market in exchange.markets.values():
        if not market["option"]:
            check_market(exchange, {"active": True}, "fetchMarkets", market)


@pytest.mark.parametrize("name, status", [("market", "closed"), ("resting", "open"), ("reduce", "closed")])
def test_orders_pass_ccxt_order_validator(exchange: ccxt.paradex, session, name: str, status: str):
    _, clock, orders = session
    parsed = exchange.parse_order(orders[name])
    check_order(exchange, {}, "fetchOrder", parsed, SYMBOL, clock.now)
    assert parsed["status"] == status


def test_fills_pass_ccxt_trade_validator(exchange: ccxt.paradex, session):
    engine, clock, _ = session
    fills = engine.fills(ALICE)["results"]
    assert len(fills) >= 2
    for fill in fills:
        check_trade(exchange, {}, "fetchMyTrades", exchange.parse_trade(fill), SYMBOL, clock.now, False)


def test_public_trades_pass_ccxt_trade_validator(exchange: ccxt.paradex, session):
    engine, clock, _ = session
    for trade in engine.trades(BTC, page_size=20)["results"]:
        check_trade(exchange, {}, "fetchTrades", exchange.parse_trade(trade), SYMBOL, clock.now, True)


def test_position_passes_ccxt_position_validator(exchange: ccxt.paradex, session):
    engine, clock, _ = session
    [row] = engine.positions(ALICE)["results"]
    parsed = exchange.parse_position(row)
    # Paradex's position row has no mark price, no margin mode and, under cross margin, no collateral of its own:
    # ccxt's built-in parser leaves those empty
    skipped = {"markPrice": True, "collateral": True, "marginMode": True}
    check_position(exchange, skipped, "fetchPositions", parsed, SYMBOL, clock.now)
    assert (parsed["side"], parsed["contracts"]) == ("long", 0.01)


def test_ticker_passes_ccxt_ticker_validator(exchange: ccxt.paradex, session):
    engine, _, _ = session
    for row in engine.markets_summary("ALL")["results"]:
        ticker = exchange.parse_ticker(row)
        check_ticker(exchange, {}, "fetchTicker", ticker, ticker["symbol"])


def test_order_book_passes_ccxt_order_book_validator(exchange: ccxt.paradex, session):
    engine, _, _ = session
    book = engine.orderbook(BTC, 10)
    parsed = exchange.parse_order_book(book, SYMBOL, book["last_updated_at"])
    check_order_book(exchange, {}, "fetchOrderBook", parsed, SYMBOL)
    assert len(parsed["bids"]) == len(parsed["asks"]) == 10


def test_klines_pass_ccxt_ohlcv_validator(exchange: ccxt.paradex, session):
    engine, clock, _ = session
    rows = engine.klines(BTC, 1, clock.now - 30 * 60_000, clock.now)["results"]
    for row in rows:
        check_ohlcv(exchange, {}, "fetchOHLCV", exchange.parse_ohlcv(row), SYMBOL, clock.now)


def test_balance_row_parses_as_usdc_total(exchange: ccxt.paradex, session):
    # ccxt's balance validator wants free/used, which Paradex's /balance rows do not carry (GET /account does)
    engine, _, _ = session
    balance = exchange.parse_balance(engine.balance(ALICE)["results"])
    assert 99_000 < balance["USDC"]["total"] < 100_000
