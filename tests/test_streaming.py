"""Our class's watch_* methods against the sandbox's WebSocket endpoint: every channel, reconnects, gaps, JWT expiry."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from ccxt.base.errors import (
    AuthenticationError,
    BadRequest,
    ExchangeError,
    NetworkError,
    OperationRejected,
    PermissionDenied,
    RateLimitExceeded,
    UnsubscribeError,
)

from paradex_ccxt import paradex
from paradex_ccxt.sandbox import Sandbox, SandboxAccount, WsSettings
from paradex_ccxt.sandbox.ws import HUB
from paradex_ccxt.ws_connection import ws_error

from .stream_support import (
    MARKET, SYMBOL, first_update, sandbox_levels, settle, streaming_exchange, until_subscribed, within,
)

# (sandbox private channels in SBE, client asks for SBE): Paradex's documented setup (public SBE, private JSON),
# the JSON feed, and the harsher reading where private channels are SBE too (PARADEX-WS.md §5.5).
ENCODINGS = {"public-sbe": (False, True), "json": (False, False), "all-sbe": (True, True)}


@pytest.fixture(params=list(ENCODINGS))
def encoding(request: pytest.FixtureRequest) -> tuple[bool, bool]:
    return ENCODINGS[request.param]


@pytest.fixture
async def sandbox(make_sandbox, encoding) -> Sandbox:
    return await make_sandbox(ws=WsSettings(private_sbe=encoding[0]))


@pytest.fixture
async def streamer(sandbox: Sandbox, sandbox_account: SandboxAccount, encoding) -> AsyncIterator[paradex]:
    exchange = streaming_exchange(sandbox, sandbox_account, sbe=encoding[1])
    await exchange.load_markets()
    try:
        yield exchange
    finally:
        await exchange.close()


async def book_matches_sandbox(exchange: paradex, sandbox: Sandbox) -> bool:
    """Whether the local book equals the sandbox's, allowing the frames in flight a moment to arrive."""
    for _ in range(40):
        await settle(0.05)
        book = exchange.orderbooks.get(SYMBOL)
        if book is not None and book["nonce"] is not None and (book["bids"], book["asks"]) == tuple(
                sandbox_levels(sandbox)) and book["nonce"] == sandbox.engine.books[MARKET].seq_no:
            return True
    return False


async def resting_bid(exchange: paradex) -> float:
    """A price 1% under the best bid: an order there rests without filling."""
    book = await exchange.fetch_order_book(SYMBOL, 1)
    return float(exchange.price_to_precision(SYMBOL, book["bids"][0][0] * 0.99))


# -- public channels ---------------------------------------------------------------------------------------------------

async def test_watch_order_book_starts_from_the_full_snapshot(streamer, sandbox):
    book = await within(streamer.watch_order_book(SYMBOL))
    bids, asks = sandbox_levels(sandbox)
    assert book["bids"] == bids and book["asks"] == asks
    assert book["nonce"] == sandbox.engine.books[MARKET].seq_no
    assert book["symbol"] == SYMBOL


async def test_watch_order_book_limit_cuts_the_result_not_the_local_book(streamer, sandbox):
    book = await within(streamer.watch_order_book(SYMBOL, 5))
    assert len(book["bids"]) == 5 and len(book["asks"]) == 5
    assert len(streamer.orderbooks[SYMBOL]["bids"]) == len(sandbox_levels(sandbox)[0])


async def test_watch_order_book_follows_deltas_of_orders_and_trades(streamer, sandbox):
    await within(streamer.watch_order_book(SYMBOL))
    price = await resting_bid(streamer)
    await streamer.create_order(SYMBOL, "limit", "buy", 0.01, price)
    await streamer.create_order(SYMBOL, "market", "sell", 0.3)
    assert await book_matches_sandbox(streamer, sandbox)
    assert [price, 0.01] in streamer.orderbooks[SYMBOL]["bids"]


async def test_a_sequence_gap_drops_the_book_and_resubscribes_for_a_new_snapshot(streamer, sandbox):
    await within(streamer.watch_order_book(SYMBOL))
    sandbox.stream_faults.reorder = True
    for _ in range(3):
        await streamer.create_order(SYMBOL, "market", "buy", 0.3)
    await settle(0.3)
    sandbox.stream_faults.reorder = False
    await streamer.create_order(SYMBOL, "market", "sell", 0.3)
    assert await book_matches_sandbox(streamer, sandbox)


async def test_watch_trades_reports_the_taker_side_of_each_trade(streamer, sandbox):
    pending = asyncio.ensure_future(streamer.watch_trades(SYMBOL))
    await until_subscribed(sandbox, "trades.BTC-USD-PERP")
    await streamer.create_order(SYMBOL, "market", "sell", 0.01)
    trades = await within(pending)
    trade = trades[-1]
    assert (trade["symbol"], trade["side"], trade["amount"]) == (SYMBOL, "sell", 0.01)
    assert trade["id"] == sandbox.engine._trades[MARKET][-1]["id"]


async def test_watch_trades_for_symbols_resolves_on_any_of_the_symbols(streamer, sandbox):
    pending = asyncio.ensure_future(streamer.watch_trades_for_symbols([SYMBOL, "ETH/USD:USDC"]))
    await until_subscribed(sandbox, "trades.ETH-USD-PERP")
    await streamer.create_order("ETH/USD:USDC", "market", "buy", 0.1)
    trades = await within(pending)
    assert trades[-1]["symbol"] == "ETH/USD:USDC"


async def test_watch_bids_asks_gives_the_top_of_book(streamer, sandbox):
    tops = await within(streamer.watch_bids_asks([SYMBOL]))
    bids, asks = sandbox_levels(sandbox)
    top = tops[SYMBOL]
    assert (top["bid"], top["bidVolume"], top["ask"], top["askVolume"]) == (*bids[0], *asks[0])


async def test_watch_bids_asks_pushes_a_new_best_bid(streamer, sandbox):
    await within(streamer.watch_bids_asks([SYMBOL]))
    bids, asks = sandbox_levels(sandbox)
    inside = float(streamer.price_to_precision(SYMBOL, (bids[0][0] + asks[0][0]) / 2))
    await streamer.create_order(SYMBOL, "limit", "buy", 0.01, inside, {"timeInForce": "PO"})
    # Frames come only when the top changes; the liquidity provider may have changed it first.
    top = await first_update(lambda: streamer.watch_bids_asks([SYMBOL]),
                             lambda update: (update[SYMBOL]["bid"], update[SYMBOL]["bidVolume"]) == (inside, 0.01))
    assert top[SYMBOL]["symbol"] == SYMBOL


async def test_watch_ticker_reads_the_markets_summary(streamer, sandbox):
    def matches_the_book(ticker: dict) -> bool:
        bids, asks = sandbox_levels(sandbox)
        return (ticker["bid"], ticker["ask"]) == (bids[0][0], asks[0][0])

    # A summary is built every second; the book may move between one and the test's read of the sandbox.
    ticker = await first_update(lambda: streamer.watch_ticker(SYMBOL), matches_the_book)
    assert ticker["symbol"] == SYMBOL
    assert ticker["markPrice"] == pytest.approx(float(sandbox.engine.mark_price(MARKET)), rel=1e-3)


async def test_watch_tickers_without_symbols_streams_every_market(streamer, sandbox):
    await within(streamer.watch_tickers())
    await settle()
    assert set(streamer.tickers) == set(streamer.symbols)


async def test_watch_funding_rate_reads_the_funding_data_channel(streamer, sandbox):
    rate = await within(streamer.watch_funding_rate(SYMBOL))
    expected = sandbox.engine.funding_data(MARKET, page_size=1)["results"][0]
    assert rate["symbol"] == SYMBOL
    assert rate["fundingRate"] == float(expected["funding_rate"])
    assert rate["interval"] == "8h"


async def test_watch_funding_rates_returns_the_updated_symbol(streamer):
    rates = await within(streamer.watch_funding_rates([SYMBOL, "ETH/USD:USDC"]))
    assert set(rates) <= {SYMBOL, "ETH/USD:USDC"} and len(rates) == 1


# -- private channels --------------------------------------------------------------------------------------------------

async def streamed_state(exchange: paradex, order_id: str, status: str) -> dict:
    """The order as the stream last reported it, once that is `status` (updates that arrived while nobody was
    waiting are in the cache, so it is read before each wait)."""
    async def wait() -> dict:
        while True:
            current = exchange.orders.hashmap.get(SYMBOL, {}).get(order_id) if exchange.orders else None
            if current is not None and current["status"] == status:
                return current
            await exchange.watch_orders(SYMBOL)

    return await within(wait())


async def test_watch_orders_sees_a_cancel_with_its_reason(streamer, sandbox):
    await within(streamer.watch_bids_asks([SYMBOL]))  # a first public stream, then the private one on the same socket
    watching = asyncio.ensure_future(streamer.watch_orders(SYMBOL))
    await until_subscribed(sandbox, "orders.BTC-USD-PERP")
    order = await streamer.create_order(SYMBOL, "limit", "buy", 0.01, await resting_bid(streamer))
    await within(watching)
    await streamer.cancel_order(order["id"], SYMBOL, {"confirmTimeout": 0})
    streamed = await streamed_state(streamer, order["id"], "canceled")
    assert streamed["cancelReason"] == "USER_CANCELED"
    assert streamed == {**await streamer.fetch_order(order["id"]), "info": streamed["info"]}


async def test_watch_orders_reports_a_post_only_that_would_cross_as_rejected(streamer, sandbox):
    watching = asyncio.ensure_future(streamer.watch_orders())
    await until_subscribed(sandbox, "orders.ALL")
    _, asks = sandbox_levels(sandbox)
    # well through the best ask, so it crosses even if the liquidity provider re-quotes meanwhile
    price = float(streamer.price_to_precision(SYMBOL, asks[0][0] * 1.002))
    order = await streamer.create_order(SYMBOL, "limit", "buy", 0.01, price, {"timeInForce": "PO"})
    await within(watching)
    streamed = await streamed_state(streamer, order["id"], "rejected")
    assert (streamed["cancelReason"], streamed["filled"]) == ("POST_ONLY_WOULD_CROSS", 0)


async def test_watch_orders_reports_an_ioc_remainder_as_expired(streamer, sandbox):
    watching = asyncio.ensure_future(streamer.watch_orders())
    await until_subscribed(sandbox, "orders.ALL")
    order = await streamer.create_order(SYMBOL, "limit", "buy", 0.01, await resting_bid(streamer),
                                        {"timeInForce": "IOC"})
    await within(watching)
    streamed = await streamed_state(streamer, order["id"], "expired")
    assert streamed["cancelReason"] == "REMAINING_IOC_CANCEL"


async def test_watch_orders_drops_an_update_older_than_one_seen(streamer, sandbox):
    watching = asyncio.ensure_future(streamer.watch_orders())
    await until_subscribed(sandbox, "orders.ALL")
    order = await streamer.create_order(SYMBOL, "market", "buy", 0.01)
    await watching
    await streamed_state(streamer, order["id"], "closed")
    stale = {**streamer.orders.hashmap[SYMBOL][order["id"]]["info"], "status": "OPEN", "remaining_size": "0.01",
             "seq_no": 1}
    streamer.handle_order(streamer.client(streamer.ws_base_url()), stale)
    assert streamer.orders.hashmap[SYMBOL][order["id"]]["status"] == "closed"


async def test_watch_my_trades_reports_the_fill_with_fee_and_liquidity(streamer, sandbox):
    watching = asyncio.ensure_future(streamer.watch_my_trades(SYMBOL))
    await until_subscribed(sandbox, "fills.BTC-USD-PERP")
    order = await streamer.create_order(SYMBOL, "market", "buy", 0.01)
    fill = (await within(watching))[-1]
    assert (fill["order"], fill["side"], fill["amount"], fill["takerOrMaker"]) == (order["id"], "buy", 0.01, "taker")
    assert fill["fee"]["currency"] == "USDC" and fill["fee"]["cost"] > 0


async def test_watch_positions_follows_a_fill(streamer, sandbox):
    watching = asyncio.ensure_future(streamer.watch_positions([SYMBOL]))
    await until_subscribed(sandbox, "positions")
    await streamer.create_order(SYMBOL, "market", "sell", 0.02)
    position = (await within(watching))[-1]
    assert (position["symbol"], position["side"], position["contracts"]) == (SYMBOL, "short", 0.02)


async def test_watch_balance_reports_the_account_after_a_fill(streamer, sandbox):
    watching = asyncio.ensure_future(streamer.watch_balance())
    await until_subscribed(sandbox, "account")
    await streamer.create_order(SYMBOL, "market", "buy", 0.01)
    balance = await within(watching)
    rest = await streamer.fetch_balance()
    assert balance["USDC"]["total"] == pytest.approx(rest["USDC"]["total"], rel=1e-4)
    assert 0 < balance["USDC"]["used"]


async def test_a_cancel_is_confirmed_from_the_live_order_stream_without_look_ups(streamer, monkeypatch, sandbox):
    watching = asyncio.ensure_future(streamer.watch_orders())
    await until_subscribed(sandbox, "orders.ALL")
    order = await streamer.create_order(SYMBOL, "limit", "buy", 0.01, await resting_bid(streamer))
    await within(watching)

    async def no_look_up(*args: object) -> None:
        raise AssertionError("the cancel was confirmed by a look-up, not by the stream")

    monkeypatch.setattr(streamer, "_lookup", no_look_up)
    canceled = await within(streamer.cancel_order(order["id"], SYMBOL))
    assert (canceled["status"], canceled["cancelReason"], canceled["cancelPending"]) == (
        "canceled", "USER_CANCELED", False)


async def test_without_an_order_stream_a_cancel_is_confirmed_by_look_ups(streamer):
    order = await streamer.create_order(SYMBOL, "limit", "buy", 0.01, await resting_bid(streamer))
    canceled = await within(streamer.cancel_order(order["id"], SYMBOL))
    assert (canceled["status"], canceled["cancelPending"]) == ("canceled", False)
    assert streamer.closed_on_stream == {}


# -- connections -------------------------------------------------------------------------------------------------------

async def test_a_dropped_connection_fails_the_watch_and_the_next_call_resubscribes(streamer, sandbox):
    await within(streamer.watch_order_book(SYMBOL))
    assert sandbox.stream_faults.drop_connections() == 1
    with pytest.raises(NetworkError):
        while True:  # updates already received may still resolve a watch or two
            await within(streamer.watch_order_book(SYMBOL))
    await streamer.create_order(SYMBOL, "market", "buy", 0.3)
    book = await within(streamer.watch_order_book(SYMBOL))
    assert book["nonce"] == sandbox.engine.books[MARKET].seq_no
    assert await book_matches_sandbox(streamer, sandbox)


async def test_an_expired_jwt_ends_the_stream_and_the_reconnect_logs_in_again(streamer, sandbox):
    watching = asyncio.ensure_future(streamer.watch_orders())
    await until_subscribed(sandbox, "orders.ALL")
    logins = streamer.jwt_session.logins
    assert sandbox.stream_faults.expire_jwt() == 1
    with pytest.raises(AuthenticationError, match="40111"):
        await within(watching)
    watching = asyncio.ensure_future(streamer.watch_orders())
    await until_subscribed(sandbox, "orders.ALL")
    order = await streamer.create_order(SYMBOL, "market", "buy", 0.01)
    assert order["id"] in [o["id"] for o in await within(watching)]
    assert streamer.jwt_session.logins == logins + 1


async def test_a_reconnect_after_the_jwt_expired_logs_in_again_instead_of_reusing_it(streamer, sandbox):
    watching = asyncio.ensure_future(streamer.watch_orders())
    await until_subscribed(sandbox, "orders.ALL")
    logins = streamer.jwt_session.logins
    sandbox.expire_tokens()  # the live connection keeps streaming (Paradex: one auth lasts the connection)
    sandbox.stream_faults.drop_connections()
    with pytest.raises(NetworkError):
        await within(watching)
    watching = asyncio.ensure_future(streamer.watch_orders())
    for _ in range(100):  # the reconnect's auth, refused with the cached JWT, logs in again (no REST call made)
        if streamer.jwt_session.logins > logins:
            break
        await settle(0.05)
    assert streamer.jwt_session.logins == logins + 1
    await until_subscribed(sandbox, "orders.ALL")
    order = await streamer.create_order(SYMBOL, "market", "buy", 0.01)
    assert order["id"] in [o["id"] for o in await within(watching)]


async def test_a_connection_that_misses_pongs_is_abandoned(sandbox, sandbox_account):
    exchange = streaming_exchange(sandbox, sandbox_account, ws={"keepAlive": 100})
    try:
        await within(exchange.watch_bids_asks([SYMBOL]))
        sandbox.stream_faults.ignore_pings = True
        with pytest.raises(NetworkError):
            while True:
                await within(exchange.watch_order_book(SYMBOL))
    finally:
        await exchange.close()


async def test_channels_past_the_per_connection_cap_open_another_connection(make_sandbox):
    sandbox = await make_sandbox(ws=WsSettings(max_subscriptions=2))
    exchange = streaming_exchange(sandbox, wsMaxSubscriptionsPerConnection=2)
    try:
        await exchange.load_markets()
        symbols = exchange.symbols[:3]
        for symbol in symbols:
            await within(exchange.watch_bids_asks([symbol]))
        await within(exchange.watch_order_book(symbols[0]))
        assert len(exchange.clients) == 2
        assert sorted(len(session.channels) for session in sandbox.app[HUB].sessions) == [2, 2]
    finally:
        await exchange.close()


async def test_an_invalid_channel_raises_bad_request_with_paradex_code(streamer):
    with pytest.raises(BadRequest, match="-32600.*invalid channel"):
        await within(streamer.ws_subscribe("order_book.NOPE-USD-PERP.deltas"))


async def test_un_watch_order_book_ends_pending_watches_and_the_subscription(streamer, sandbox):
    await within(streamer.watch_order_book(SYMBOL))
    await settle(0.3)  # past the liquidity provider's first re-quote, which would resolve the watch below
    pending = asyncio.ensure_future(streamer.watch_order_book(SYMBOL))
    await settle(0.05)
    await within(streamer.un_watch_order_book(SYMBOL))
    with pytest.raises(UnsubscribeError):
        await within(pending)
    assert SYMBOL not in streamer.orderbooks
    assert [s.channels for s in sandbox.app[HUB].sessions] == [{}]


async def test_close_leaves_no_connection_behind(streamer, sandbox):
    await within(streamer.watch_order_book(SYMBOL))
    await within(streamer.watch_bids_asks([SYMBOL]))
    await streamer.close()
    await settle()
    assert not streamer.clients
    assert not sandbox.app[HUB].sessions


def test_has_lists_every_stream():
    has = paradex().has
    for name in ("watchOrderBook", "watchTicker", "watchTickers", "watchTrades", "watchTradesForSymbols",
                 "watchBidsAsks", "watchFundingRate", "watchFundingRates", "watchOrders", "watchMyTrades",
                 "watchPositions", "watchBalance", "unWatchOrderBook", "unWatchOrders"):
        assert has[name] is True, name
    assert has["watchOHLCV"] is False


async def test_order_updates_whose_seq_no_differ_beyond_float_precision_are_both_kept():
    exchange = paradex()
    exchange.markets = {}
    exchange.markets_by_id = {}
    client = exchange.client("ws://127.0.0.1:1/v1")
    base = {"id": "1796100701835201700000000483", "market": "BTC-USD-PERP", "side": "BUY", "type": "MARKET",
            "size": "0.01", "price": "0", "cancel_reason": "", "created_at": 1796100701835}
    exchange.handle_order(client, {**base, "status": "NEW", "remaining_size": "0", "seq_no": 1796100701899000000})
    exchange.handle_order(client, {**base, "status": "CLOSED", "remaining_size": "0", "seq_no": 1796100701899000006})
    assert [order["status"] for order in exchange.orders] == ["closed"]
    await exchange.close()


@pytest.mark.parametrize(("code", "exception"), [
    (-32600, BadRequest), (40110, AuthenticationError), (40111, AuthenticationError), (40300, AuthenticationError),
    (40112, PermissionDenied), (42900, OperationRejected), (42901, RateLimitExceeded), (-32603, ExchangeError),
])
def test_paradex_ws_error_codes_map_to_ccxt_exceptions_with_the_code_in_the_message(code, exception):
    error = ws_error("paradex", {"code": code, "message": "text", "data": "detail"})
    assert type(error) is exception
    assert str(error) == f"paradex {code}: text (detail)"
    assert error.paradex_error == {"error": str(code), "message": "text"}


UNWATCH_CASES = {
    "trades": ("watch_trades", "un_watch_trades", (SYMBOL,), "trades.BTC-USD-PERP"),
    "bids_asks": ("watch_bids_asks", "un_watch_bids_asks", ([SYMBOL],), "bbo.BTC-USD-PERP"),
    "ticker": ("watch_ticker", "un_watch_ticker", (SYMBOL,), "markets_summary.BTC-USD-PERP"),
    "funding_rate": ("watch_funding_rate", "un_watch_funding_rate", (SYMBOL,), "funding_data.BTC-USD-PERP"),
    "orders": ("watch_orders", "un_watch_orders", (SYMBOL,), "orders.BTC-USD-PERP"),
    "my_trades": ("watch_my_trades", "un_watch_my_trades", (), "fills.ALL"),
    "positions": ("watch_positions", "un_watch_positions", (), "positions"),
    "balance": ("watch_balance", "un_watch_balance", (), "account"),
}


@pytest.mark.parametrize("case", list(UNWATCH_CASES))
async def test_un_watch_unsubscribes_the_channel(streamer, sandbox, case):
    watch, un_watch, args, channel = UNWATCH_CASES[case]
    pending = asyncio.ensure_future(getattr(streamer, watch)(*args))
    await until_subscribed(sandbox, channel)
    await within(getattr(streamer, un_watch)(*args))
    assert all(channel not in s.channels for s in sandbox.app[HUB].sessions)
    pending.cancel()
    await asyncio.gather(pending, return_exceptions=True)
