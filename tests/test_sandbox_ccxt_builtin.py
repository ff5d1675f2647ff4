"""Fidelity: ccxt's own built-in `paradex` class, unchanged but for its URLs, trades against the sandbox.

ccxt derives the Paradex L2 key from an Ethereum key, onboards with hex signatures, logs in with POST /v1/auth (no
public key in the path), signs orders and modifications itself and reads Paradex's fields: if the sandbox drifts
from Paradex's wire format, this breaks.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import ccxt.async_support as ccxt_async
import pytest
from eth_account import Account

from paradex_ccxt.sandbox import Sandbox

SYMBOL = "BTC/USD:USDC"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(seed=11, cancel_delay=0.3, rate_limits=None) as sb:
        yield sb


@pytest.fixture
async def builtin(sandbox: Sandbox) -> AsyncIterator[ccxt_async.paradex]:
    wallet = Account.create()
    # enableRateLimit off only to keep the test fast: ccxt's client-side throttle is not what is under test.
    exchange = ccxt_async.paradex({"privateKey": wallet.key.hex(), "walletAddress": wallet.address,
                                   "enableRateLimit": False})
    exchange.urls["api"] = {"v1": sandbox.api_url, "v2": sandbox.url + "/v2"}
    try:
        yield exchange
    finally:
        await exchange.close()


async def resting_buy_price(exchange: ccxt_async.paradex) -> float:
    """A limit price 2% under the best bid: rests on the book without filling."""
    ticker = await exchange.fetch_ticker(SYMBOL)
    return float(exchange.price_to_precision(SYMBOL, ticker["bid"] * 0.98))


async def test_builtin_loads_markets_time_and_status(builtin):
    markets = await builtin.load_markets()
    assert SYMBOL in markets
    btc = markets[SYMBOL]
    assert (btc["id"], btc["settle"], btc["swap"], btc["contract"]) == ("BTC-USD-PERP", "USDC", True, True)
    assert btc["precision"]["price"] == 0.1 and btc["precision"]["amount"] == 0.00001
    assert btc["limits"]["cost"]["min"] == 10
    assert isinstance(await builtin.fetch_time(), int)
    assert (await builtin.fetch_status())["status"] == "ok"


async def test_builtin_reads_public_market_data(builtin):
    await builtin.load_markets()
    book = await builtin.fetch_order_book(SYMBOL, 5)
    assert book["bids"] and book["asks"] and book["bids"][0][0] < book["asks"][0][0]
    ticker = await builtin.fetch_ticker(SYMBOL)
    assert ticker["bid"] == book["bids"][0][0] and ticker["ask"] == book["asks"][0][0]
    trades = await builtin.fetch_trades(SYMBOL, limit=5)
    assert trades and all(t["symbol"] == SYMBOL for t in trades)
    now = builtin.milliseconds()
    candles = await builtin.fetch_ohlcv(SYMBOL, "1m", since=now - 10 * 60_000, limit=10)
    assert candles and all(len(c) == 6 for c in candles)
    rate = await builtin.fetch_funding_rate(SYMBOL)
    assert rate["fundingRate"] is not None


async def test_builtin_onboards_with_its_ethereum_key(builtin, sandbox):
    await builtin.load_markets()
    await builtin.onboarding()
    address = builtin.options["paradexAccount"]["address"]
    assert sandbox.engine.ledger.find(address) is not None
    balance = await builtin.fetch_balance()
    assert balance["USDC"]["total"] == float(sandbox.settings.starting_balance)


async def test_builtin_creates_fetches_edits_and_cancels_an_order(builtin, sandbox):
    await builtin.load_markets()
    await builtin.onboarding()
    price = await resting_buy_price(builtin)

    created = await builtin.create_order(SYMBOL, "limit", "buy", 0.001, price, {"clientOrderId": "fidelity-1"})
    assert created["id"] and created["status"] == "open" and created["clientOrderId"] == "fidelity-1"
    assert created["info"]["status"] == "NEW"

    fetched = await builtin.fetch_order(created["id"])
    assert fetched["info"]["status"] == "OPEN" and fetched["price"] == price and fetched["amount"] == 0.001
    by_client_id = await builtin.fetch_order(None, params={"clientOrderId": "fidelity-1"})
    assert by_client_id["id"] == created["id"]
    assert [o["id"] for o in await builtin.fetch_open_orders(SYMBOL)] == [created["id"]]

    new_price = float(builtin.price_to_precision(SYMBOL, price - 10))
    edited = await builtin.edit_order(created["id"], SYMBOL, "limit", "buy", 0.002, new_price)
    assert edited["id"] == created["id"]
    assert (edited["amount"], edited["price"]) == (0.002, new_price)

    await builtin.cancel_order(created["id"])
    assert (await builtin.fetch_order(created["id"]))["info"]["status"] == "OPEN"  # the pending-cancel window
    await asyncio.sleep(sandbox.settings.cancel_delay + 0.05)
    closed = await builtin.fetch_order(created["id"])
    assert closed["status"] == "canceled" and closed["info"]["cancel_reason"] == "USER_CANCELED"
    assert await builtin.fetch_open_orders(SYMBOL) == []


async def test_builtin_market_order_fills_and_shows_in_trades_and_positions(builtin):
    await builtin.load_markets()
    await builtin.onboarding()
    await builtin.create_order(SYMBOL, "market", "buy", 0.002)
    trades = await builtin.fetch_my_trades(SYMBOL)
    assert sum(t["amount"] for t in trades) == pytest.approx(0.002)
    (position,) = await builtin.fetch_positions([SYMBOL])
    assert position["side"] == "long" and position["contracts"] == pytest.approx(0.002)


async def test_builtin_batch_create_and_batch_cancel(builtin, sandbox):
    await builtin.load_markets()
    await builtin.onboarding()
    price = await resting_buy_price(builtin)
    orders = await builtin.create_orders([
        {"symbol": SYMBOL, "type": "limit", "side": "buy", "amount": 0.001, "price": price},
        {"symbol": SYMBOL, "type": "limit", "side": "buy", "amount": 0.001, "price": price - 1},
    ])
    assert len(orders) == 2 and all(o["status"] == "open" for o in orders)
    results = await builtin.cancel_orders([o["id"] for o in orders])
    assert [r["info"]["status"] for r in results] == ["QUEUED_FOR_CANCELLATION"] * 2
    await asyncio.sleep(sandbox.settings.cancel_delay + 0.05)
    assert await builtin.fetch_open_orders(SYMBOL) == []


async def test_builtin_cancel_all_orders_of_a_market(builtin, sandbox):
    await builtin.load_markets()
    await builtin.onboarding()
    price = await resting_buy_price(builtin)
    await builtin.create_order(SYMBOL, "limit", "buy", 0.001, price)
    await builtin.cancel_all_orders(SYMBOL)
    await asyncio.sleep(sandbox.settings.cancel_delay + 0.05)
    assert await builtin.fetch_open_orders(SYMBOL) == []


async def test_builtin_cancels_by_client_order_id_and_reads_order_history(builtin, sandbox):
    await builtin.load_markets()
    await builtin.onboarding()
    price = await resting_buy_price(builtin)
    created = await builtin.create_order(SYMBOL, "limit", "buy", 0.001, price, {"clientOrderId": "by-cid"})
    await builtin.cancel_order(None, SYMBOL, {"clientOrderId": "by-cid"})
    await asyncio.sleep(sandbox.settings.cancel_delay + 0.05)
    (history,) = await builtin.fetch_orders(SYMBOL)
    assert history["id"] == created["id"] and history["status"] == "canceled"


async def test_builtin_sets_and_reads_leverage(builtin):
    await builtin.load_markets()
    await builtin.onboarding()
    await builtin.set_leverage(10, SYMBOL)
    leverage = await builtin.fetch_leverage(SYMBOL)
    assert (leverage["longLeverage"], leverage["marginMode"]) == (10, "cross")


async def test_builtin_reads_a_throttled_call_as_rate_limit_exceeded(builtin, sandbox):
    await builtin.load_markets()
    sandbox.faults.throttle(path="/v1/markets/summary")
    with pytest.raises(ccxt_async.RateLimitExceeded):
        await builtin.fetch_ticker(SYMBOL)


async def test_builtin_maps_the_sandboxs_error_codes_through_its_own_table(builtin):
    await builtin.load_markets()
    await builtin.onboarding()
    with pytest.raises(ccxt_async.InvalidOrder, match="ORDER_ID_NOT_FOUND"):
        await builtin.fetch_order("1795315430413201700000000001")
    with pytest.raises(ccxt_async.BadRequest, match="MARKET_NOT_FOUND"):
        await builtin.publicGetBboMarket({"market": "NOPE-USD-PERP"})
