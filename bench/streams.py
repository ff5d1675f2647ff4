"""Stream latency: from the sandbox's event (the engine publishing a trade, an order transition, a book change) to
the unified structure a bot's watch_* call returns, for paradex_ccxt and, where it has the channel, ccxt's built-in
ccxt.pro.paradex, in the same run against the local sandbox.

Run from the repository root (after `pip install -e .`):

    python bench/streams.py                # about 20 s; --help for the knobs

One process, one event loop: the sandbox, a driver placing market orders (alternately buys and sells, every
--interval ms) for two funded accounts, and the watchers. The time of each engine event is taken by a listener on the
engine's event bus (`sandbox.engine.events`); the time it reached the bot is taken when the watch_* call returns
with it. Both clients ask for SBE schema version 2 (public channels as SBE frames; private channels JSON).

Rows: trades (both clients, `trades.{market}`), own orders (both, `orders.ALL`; every transition: NEW, fill,
CLOSED), bbo (ours only: ccxt's built-in has no watch_bids_asks), order book (ours: every delta, `deltas` feed;
ccxt's built-in: `snapshot@15@100ms`, so its latency includes waiting for the next 100 ms snapshot). Latencies are
p50 / p95 / max in ms over the events seen; n says how many. Event-loop lag: how late a 5 ms sleep wakes up while
the seven subscriptions are busy (the whole process shares one loop, sandbox included).

Then cancel confirmation: --cancels resting orders are placed and cancelled one at a time with cancel_order's
default confirmation, by an instance whose order stream is live (the CLOSED update confirms it) and by one without
a stream (it looks the order up until CLOSED; the sandbox closes a cancelled order 10 ms after its 204).

Not a test: nothing is asserted and pytest does not collect it (bench/ is outside tests/).
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import ccxt.pro as ccxt_pro
from eth_account import Account

import paradex_ccxt
from paradex_ccxt.sandbox import Sandbox
from paradex_ccxt.sandbox.events import Event

SYMBOL = "BTC/USD:USDC"
MARKET = "BTC-USD-PERP"


class Clock:
    """When each engine event happened (perf_counter seconds), by a key a watcher can find again."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.at: dict[tuple, float] = {}

    def __call__(self, event: Event) -> None:
        now = time.perf_counter()
        payload = event.payload
        if event.kind == "trade":
            self.at[("trade", payload["id"])] = now
        elif event.kind == "order":
            self.at[("order", payload["id"], payload["seq_no"])] = now
        elif event.kind == "book" and payload == MARKET:
            self.at.setdefault(("book", self.book.seq_no), now)


async def watch(name: str, call: Callable[[], Awaitable[Any]], keys: Callable[[Any], list[tuple]], clock: Clock,
                samples: dict[str, list[float]], stop: asyncio.Event) -> None:
    seen: set[tuple] = set()
    while not stop.is_set():
        try:
            result = await asyncio.wait_for(call(), 1.0)
        except TimeoutError:
            continue
        now = time.perf_counter()
        for key in keys(result):
            if key in clock.at and key not in seen:
                seen.add(key)
                samples.setdefault(name, []).append((now - clock.at[key]) * 1000)


def trade_keys(trades: list[dict]) -> list[tuple]:
    return [("trade", t["id"]) for t in trades]


def order_keys(orders: list[dict]) -> list[tuple]:
    return [("order", o["id"], o["info"].get("seq_no")) for o in orders]


def book_keys(book: dict) -> list[tuple]:
    return [("book", book["nonce"])]


def bbo_keys(tops: dict) -> list[tuple]:
    return [("book", t["info"]["seq_no"]) for t in tops.values()]


async def loop_lag(samples: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.005)
        samples.append((time.perf_counter() - started - 0.005) * 1000)


async def drive(clients: list[Any], interval: float, count: int) -> None:
    for n in range(count):
        side = "buy" if n % 2 == 0 else "sell"
        await asyncio.gather(*(c.create_order(SYMBOL, "market", side, 0.01) for c in clients))
        await asyncio.sleep(interval)


async def main(interval_ms: int, count: int) -> None:
    async with Sandbox(seed=3, rate_limits=None, cancel_delay=0.01) as sb:
        clock = Clock(sb.engine.books[MARKET])
        sb.engine.events.subscribe(clock)
        ours = paradex_ccxt.paradex({"options": {"paradexAccount": sb.create_account().paradex_account},
                                     "enableRateLimit": False})
        ours.urls["api"] = {"v1": sb.api_url, "ws": sb.ws_url}
        wallet = Account.create()
        builtin = ccxt_pro.paradex({"privateKey": wallet.key.hex(), "walletAddress": wallet.address,
                                    "enableRateLimit": False})
        builtin.urls["api"] = {"v1": sb.api_url, "v2": sb.url + "/v2", "ws": sb.ws_url}
        builtin.options["sbeSchemaVersion"] = "2"
        # Each call returns only what is new since the previous one.
        ours.newUpdates = builtin.newUpdates = True
        samples: dict[str, list[float]] = {}
        lag: list[float] = []
        stop = asyncio.Event()
        try:
            await asyncio.gather(ours.load_markets(), builtin.load_markets())
            await builtin.onboarding()
            watchers = [
                watch("trades  ours", lambda: ours.watch_trades(SYMBOL), trade_keys, clock, samples, stop),
                watch("trades  ccxt", lambda: builtin.watch_trades(SYMBOL), trade_keys, clock, samples, stop),
                watch("orders  ours", lambda: ours.watch_orders(), order_keys, clock, samples, stop),
                watch("orders  ccxt", lambda: builtin.watch_orders(), order_keys, clock, samples, stop),
                watch("bbo     ours", lambda: ours.watch_bids_asks([SYMBOL]), bbo_keys, clock, samples, stop),
                watch("book    ours", lambda: ours.watch_order_book(SYMBOL), book_keys, clock, samples, stop),
                watch("book    ccxt", lambda: builtin.watch_order_book(SYMBOL), book_keys, clock, samples, stop),
            ]
            tasks = [asyncio.ensure_future(w) for w in watchers]
            await asyncio.sleep(1.0)  # every subscription acknowledged and its first data in
            tasks.append(asyncio.ensure_future(loop_lag(lag, stop)))
            await drive([ours, builtin], interval_ms / 1000, count)
            await asyncio.sleep(0.5)
            stop.set()
            await asyncio.gather(*tasks)
        finally:
            await asyncio.gather(ours.close(), builtin.close())
    print(f"{count} market orders per client, one every {interval_ms} ms; event -> unified dict, ms")
    print(f"{'stream':14} {'n':>5} {'p50':>8} {'p95':>8} {'max':>8}")
    for name in sorted(samples):
        values = sorted(samples[name])
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"{name:14} {len(values):5d} {statistics.median(values):8.2f} {p95:8.2f} {values[-1]:8.2f}")
    lag.sort()
    print(f"{'loop lag':14} {len(lag):5d} {statistics.median(lag):8.2f} {lag[int(len(lag) * 0.95)]:8.2f} "
          f"{lag[-1]:8.2f}")
    missing = {"bbo     ccxt": "no watch_bids_asks in ccxt's built-in"}
    for name, why in missing.items():
        print(f"{name:14} {'-':>5}  ({why})")


async def cancel_latency(sb: Sandbox, streamed: bool, count: int) -> tuple[list[float], int]:
    """cancel_order latencies (ms) and the look-up requests they cost, with or without a live order stream."""
    exchange = paradex_ccxt.paradex({"options": {"paradexAccount": sb.create_account().paradex_account},
                                     "enableRateLimit": False})
    exchange.urls["api"] = {"v1": sb.api_url, "ws": sb.ws_url}
    look_ups = 0
    lookup = exchange._lookup

    async def counted(*args: Any) -> Any:
        nonlocal look_ups
        look_ups += 1
        return await lookup(*args)

    exchange._lookup = counted
    latencies = []
    try:
        await exchange.load_markets()
        if streamed:
            watcher = asyncio.ensure_future(exchange.watch_orders())
            await asyncio.sleep(0.3)
        for _ in range(count):
            bid = (await exchange.fetch_order_book(SYMBOL, 1))["bids"][0][0]
            price = float(exchange.price_to_precision(SYMBOL, bid * 0.98))
            order = await exchange.create_order(SYMBOL, "limit", "buy", 0.01, price)
            started = time.perf_counter()
            await exchange.cancel_order(order["id"], SYMBOL)
            latencies.append((time.perf_counter() - started) * 1000)
        if streamed:
            watcher.cancel()
    finally:
        await exchange.close()
    return latencies, look_ups


async def cancels(count: int) -> None:
    async with Sandbox(seed=3, rate_limits=None, cancel_delay=0.01) as sb:
        print(f"\ncancel_order confirmation, {count} cancels, ms")
        print(f"{'confirmed by':14} {'p50':>8} {'p95':>8} {'look-ups':>9}")
        for streamed in (True, False):
            values, look_ups = await cancel_latency(sb, streamed, count)
            values.sort()
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            print(f"{'order stream' if streamed else 'look-ups':14} {statistics.median(values):8.2f} {p95:8.2f} "
                  f"{look_ups:9d}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interval", type=int, default=50, help="ms between market orders (default 50)")
    parser.add_argument("--count", type=int, default=200, help="market orders per client (default 200)")
    parser.add_argument("--cancels", type=int, default=50, help="cancels timed each way (default 50)")
    args = parser.parse_args()
    asyncio.run(main(args.interval, args.count))
    asyncio.run(cancels(args.cancels))
