"""Fidelity of the sandbox's WebSocket endpoint: ccxt's own built-in ``ccxt.pro.paradex``, unchanged but for its URLs,
streams from it (its SBE decoder on the public channels, its JSON-RPC auth and private channels).

The one setting changed besides the URLs: ccxt asks for SBE schema version 3 by default, which Paradex has not
published (PARADEX-WS.md §5.1) and the sandbox does not serve (HTTP 400, as Paradex answers an unserved version);
it is pointed at version 2, the published one.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import ccxt.pro as ccxt_pro
import pytest
from eth_account import Account

from paradex_ccxt.sandbox import Sandbox

SYMBOL = "BTC/USD:USDC"


@pytest.fixture
async def builtin(sandbox: Sandbox) -> AsyncIterator[ccxt_pro.paradex]:
    wallet = Account.create()
    exchange = ccxt_pro.paradex({"privateKey": wallet.key.hex(), "walletAddress": wallet.address,
                                 "enableRateLimit": False})
    exchange.urls["api"] = {"v1": sandbox.api_url, "v2": sandbox.url + "/v2", "ws": sandbox.ws_url}
    exchange.options["sbeSchemaVersion"] = "2"
    try:
        yield exchange
    finally:
        await exchange.close()


async def within(awaitable, seconds: float = 5.0):
    return await asyncio.wait_for(awaitable, seconds)


async def test_builtin_watch_order_book_reads_the_sbe_snapshots(builtin, sandbox):
    await builtin.load_markets()
    engine_book = sandbox.engine.books["BTC-USD-PERP"]
    book = await within(builtin.watch_order_book(SYMBOL))
    while book["nonce"] != engine_book.seq_no:  # the liquidity provider re-quoted since that snapshot
        book = await within(builtin.watch_order_book(SYMBOL))
    assert book["bids"] == [[float(p), float(s)] for p, s in engine_book.depth("BUY", 15)]
    assert book["asks"] == [[float(p), float(s)] for p, s in engine_book.depth("SELL", 15)]


async def test_builtin_watch_trades_sees_a_trade(builtin):
    await builtin.load_markets()
    await builtin.onboarding()
    watching = asyncio.ensure_future(builtin.watch_trades(SYMBOL))
    await asyncio.sleep(0.2)
    await builtin.create_order(SYMBOL, "market", "sell", 0.002)
    trades = await within(watching)
    assert trades[-1]["symbol"] == SYMBOL and trades[-1]["side"] == "sell" and trades[-1]["amount"] == 0.002


async def test_builtin_watch_ticker_and_funding_rate(builtin):
    await builtin.load_markets()
    ticker = await within(builtin.watch_ticker(SYMBOL))
    assert ticker["symbol"] == SYMBOL and ticker["last"] > 0
    rate = await within(builtin.watch_funding_rate(SYMBOL))
    assert rate["symbol"] == SYMBOL and rate["fundingRate"] is not None


async def test_builtin_private_streams_follow_a_market_order(builtin):
    await builtin.load_markets()
    await builtin.onboarding()
    streams = [asyncio.ensure_future(c) for c in (builtin.watch_orders(), builtin.watch_my_trades(),
                                                  builtin.watch_positions(), builtin.watch_balance())]
    await asyncio.sleep(0.3)
    order = await builtin.create_order(SYMBOL, "market", "buy", 0.002)
    orders, fills, positions, balance = await within(asyncio.gather(*streams))
    assert order["id"] in [o["id"] for o in orders]
    assert fills[-1]["order"] == order["id"] and fills[-1]["amount"] == 0.002
    assert positions[-1]["symbol"] == SYMBOL and positions[-1]["contracts"] == 0.002
    assert balance["USDC"]["total"] > 0
