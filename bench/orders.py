"""Order-path latency and throughput: paradex_ccxt against ccxt's built-in paradex, both against the local sandbox.

Run from the repository root (after `pip install -e .`):

    python bench/orders.py                 # 30-45 s on 2 vCPUs; --help for the knobs

Starts `paradex_ccxt.sandbox` in this process on 127.0.0.1 (rate limits off, 10 ms cancel delay), gives each client
its own funded account (ours from an L2 key, ccxt's from an Ethereum key through its own onboarding()), turns both
clients' own throttles off (enableRateLimit False), and measures in the same run:

  (a1) create_order, one at a time: resting limit buys 5% under the bid, spread over four markets;
  (a)  the same with C concurrent coroutines (default 8): latency p50/p95 and orders/s;
  (b)  create_order then cancel_order, C at a time, one market. Our cancel_order confirms the final state by
       default (it looks the order up until CLOSED), ccxt's returns at Paradex's 204: the like-for-like comparison is
       ours with confirmTimeout=0; our default is shown as its own row;
  (c)  create_orders, batches of 10 over the four markets, C at a time: batch latency and orders/s;
  (d)  fetch_open_orders of one market holding 50 open orders, C at a time.

Each section stops at its request count (--requests, default 200: 200 orders, 100 round trips, 20 batches,
200 fetches; 40 for (a1)) or at its wall-clock cap (--cap, default 12 s), whichever comes first; column n says how
many calls completed. Open orders are cleared in the sandbox between sections, untimed.

Client and sandbox share one event loop; the sandbox verifies order signatures on worker threads. A section's wall
time splits into: the client's order signing (timed around sign_order_body / sign_order_request), the CPU of the
sandbox's signature verification (thread time around its auth.verify_order), the rest of the sandbox's request
handling (a timing middleware, less the time its handlers awaited verification), the rest of the process's CPU
(client request building and parsing, aiohttp on both sides), and idle time (waiting, e.g. cancel-confirmation
sleeps). That split is printed after the results; with verification beside the loop, shares can add up past 100%.

Not a test: nothing is asserted and pytest does not collect it (bench/ is outside tests/).
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

import ccxt.async_support as ccxt_async
from aiohttp import web
from eth_account import Account

import paradex_ccxt
from paradex_ccxt.sandbox import Sandbox
from paradex_ccxt.sandbox import auth as sandbox_auth
from paradex_ccxt.sandbox import server as sandbox_server
from paradex_ccxt.cancel_confirmation import FIRST_RECHECK_MS

# unified symbol -> Paradex market: the sandbox lists only these
MARKETS = {"BTC/USD:USDC": "BTC-USD-PERP", "ETH/USD:USDC": "ETH-USD-PERP", "SOL/USD:USDC": "SOL-USD-PERP",
           "DOGE/USD:USDC": "DOGE-USD-PERP"}
SYMBOLS = tuple(MARKETS)
ROUND_TRIP_MARKET = OPEN_ORDERS_MARKET = SYMBOLS[0]
OPEN_ORDERS = 50
BATCH = 10
SERIAL_REQUESTS = 40
CANCEL_DELAY = 0.01  # seconds the sandbox keeps a cancelled order open (Paradex's pending-cancel window)


# -- where the time goes -----------------------------------------------------------------------------------------------

@dataclass
class Probe:
    """CPU seconds of the event loop's thread spent in the instrumented steps since the last reset (one section of
    one client at a time). CPU time, not wall time: under load the process is descheduled inside a step, and wall
    time would count that against the step, adding up to more than the CPU the section used."""

    sign: float = 0.0
    signed: int = 0
    verify: float = 0.0  # CPU seconds of the worker threads that verified
    verify_wait: float = 0.0  # wall seconds the sandbox's handlers spent awaiting those threads
    verified: int = 0
    server: float = 0.0

    def reset(self) -> None:
        self.sign = self.verify = self.verify_wait = self.server = 0.0
        self.signed = self.verified = 0


PROBE = Probe()


@web.middleware
async def time_sandbox(request: web.Request,
                       handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    start = time.thread_time()
    try:
        return await handler(request)
    finally:
        PROBE.server += time.thread_time() - start


@contextmanager
def timed_verification() -> Iterator[None]:
    """Count the sandbox's order-signature checks: the CPU of auth.verify_order on its worker thread, and the time
    the routes' verify_signed awaits it (both looked up by module attribute at each call)."""
    verify_order, verify_signed = sandbox_auth.verify_order, sandbox_server.verify_signed

    def timed_verify_order(*args: Any, **kwargs: Any) -> int:
        cpu = time.thread_time()
        try:
            return verify_order(*args, **kwargs)
        finally:
            PROBE.verify += time.thread_time() - cpu
            PROBE.verified += 1

    async def timed_verify_signed(*args: Any, **kwargs: Any) -> None:
        start = time.perf_counter()
        try:
            await verify_signed(*args, **kwargs)
        finally:
            PROBE.verify_wait += time.perf_counter() - start

    sandbox_auth.verify_order, sandbox_server.verify_signed = timed_verify_order, timed_verify_signed
    try:
        yield
    finally:
        sandbox_auth.verify_order, sandbox_server.verify_signed = verify_order, verify_signed


def time_signing(exchange: Any, method: str) -> None:
    """Wrap the client's per-order signing coroutine (it does not suspend once credentials are loaded)."""
    original = getattr(exchange, method)

    async def signing(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return await original(*args, **kwargs)
        finally:
            PROBE.sign += time.thread_time() - start
            PROBE.signed += 1

    setattr(exchange, method, signing)


# -- one measured section --------------------------------------------------------------------------------------------

@dataclass
class Result:
    latencies: list[float]
    wall: float
    cpu: float
    items_per_call: int
    probe: Probe
    errors: Counter = field(default_factory=Counter)

    @property
    def n(self) -> int:
        return len(self.latencies)

    def percentile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]

    @property
    def rate(self) -> float:
        return self.n * self.items_per_call / self.wall


async def measure(call: Callable[[int], Awaitable[object]], count: int, concurrency: int, cap: float,
                  items_per_call: int = 1) -> Result:
    """`count` calls of call(i) by `concurrency` workers; no new call starts after `cap` seconds."""
    indexes = itertools.count()
    latencies: list[float] = []
    errors: Counter = Counter()
    PROBE.reset()
    start, cpu_start = time.perf_counter(), time.thread_time()

    async def worker() -> None:
        while time.perf_counter() - start < cap:
            i = next(indexes)
            if i >= count:
                return
            began = time.perf_counter()
            try:
                await call(i)
            except Exception as error:  # noqa: BLE001 - counted and printed: the run goes on
                errors[f"{type(error).__name__}: {str(error)[:120]}"] += 1
            else:
                latencies.append(time.perf_counter() - began)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - start, time.thread_time() - cpu_start
    return Result(latencies, wall, cpu, items_per_call, Probe(**vars(PROBE)), errors)


# -- the two clients -------------------------------------------------------------------------------------------------

@dataclass
class Client:
    label: str
    exchange: Any
    address: str
    cancel_params: dict = field(default_factory=dict)


async def our_client(sb: Sandbox) -> Client:
    account = sb.create_account()
    exchange = paradex_ccxt.paradex({"options": {"paradexAccount": account.paradex_account},
                                     "enableRateLimit": False})
    exchange.urls["api"] = {"v1": sb.api_url}
    time_signing(exchange, "sign_order_body")
    return Client("paradex_ccxt", exchange, hex(account.address))


async def builtin_client(sb: Sandbox) -> Client:
    wallet = Account.create()
    exchange = ccxt_async.paradex({"privateKey": wallet.key.hex(), "walletAddress": wallet.address,
                                   "enableRateLimit": False})
    exchange.urls["api"] = {"v1": sb.api_url, "v2": sb.url + "/v2"}
    await exchange.load_markets()
    await exchange.onboarding()
    time_signing(exchange, "sign_order_request")
    return Client(f"ccxt {ccxt_async.__version__} built-in", exchange, exchange.options["paradexAccount"]["address"])


@dataclass(frozen=True)
class Quote:
    symbol: str
    amount: float
    price: float


async def resting_quotes(exchange: Any) -> dict[str, Quote]:
    """Per market: a buy 5% under the bid (rests, never fills) worth about 1.2x the minimum notional."""
    quotes = {}
    for symbol in SYMBOLS:
        market = exchange.market(symbol)
        price = float(exchange.price_to_precision(symbol, (await exchange.fetch_ticker(symbol))["bid"] * 0.95))
        step = Decimal(str(market["precision"]["amount"]))
        notional = Decimal(str(market["limits"]["cost"]["min"] or 10)) * Decimal("1.2")
        steps = (notional / Decimal(str(price)) / step).to_integral_value(ROUND_CEILING)
        quotes[symbol] = Quote(symbol, float(steps * step), price)
    return quotes


# -- the sections ----------------------------------------------------------------------------------------------------

@dataclass
class Section:
    title: str
    unit: str
    rows: list[tuple[str, Result]]  # the first two rows are compared in the "ours better by" line
    note: str = ""


@dataclass
class Bench:
    sb: Sandbox
    ours: Client
    builtin: Client
    quotes: dict[str, Quote]
    requests: int
    concurrency: int
    cap: float

    @property
    def clients(self) -> tuple[Client, Client]:
        return self.ours, self.builtin

    def spread(self, i: int) -> Quote:
        return self.quotes[SYMBOLS[i % len(SYMBOLS)]]

    def clear(self, client: Client) -> None:
        self.sb.engine.cancel_all(client.address)

    def creator(self, client: Client) -> Callable[[int], Awaitable[object]]:
        def call(i: int) -> Awaitable[object]:
            q = self.spread(i)
            return client.exchange.create_order(q.symbol, "limit", "buy", q.amount, q.price)
        return call

    async def create_serial(self) -> Section:
        rows = []
        for client in self.clients:
            rows.append((client.label, await measure(self.creator(client), SERIAL_REQUESTS, 1, self.cap)))
            self.clear(client)
        return Section("(a1) create_order, 1 at a time", "orders/s", rows)

    async def create_concurrent(self) -> Section:
        rows, left = [], []
        for client in self.clients:
            rows.append((client.label, await measure(self.creator(client), self.requests, self.concurrency,
                                                     self.cap)))
            left.append(f"{client.label} {len(self.sb.engine.open_orders(client.address)['results'])}")
            self.clear(client)
        return Section(f"(a) create_order, {self.concurrency} at a time", "orders/s", rows,
                       note="orders resting afterwards: " + ", ".join(left))

    async def round_trip(self) -> Section:
        q = self.quotes[ROUND_TRIP_MARKET]

        def create_cancel(client: Client, cancel_params: dict) -> Callable[[int], Awaitable[object]]:
            async def call(i: int) -> None:
                order = await client.exchange.create_order(q.symbol, "limit", "buy", q.amount, q.price)
                await client.exchange.cancel_order(order["id"], q.symbol, dict(cancel_params))
            return call

        variants = [(f"{self.ours.label} (confirmTimeout=0)", self.ours, {"confirmTimeout": 0}),
                    (self.builtin.label, self.builtin, {}),
                    (f"{self.ours.label} (confirmed, default)", self.ours, {})]
        rows = []
        for label, client, params in variants:
            rows.append((label, await measure(create_cancel(client, params), self.requests // 2, self.concurrency,
                                              self.cap)))
            await asyncio.sleep(CANCEL_DELAY * 3)  # let the last queued cancels land before clearing
            self.clear(client)
        interval = self.ours.exchange.options["cancelOrderConfirmInterval"]
        return Section(f"(b) create_order + cancel_order, {self.concurrency} at a time", "round trips/s", rows,
                       note=f"sandbox cancel delay {CANCEL_DELAY * 1000:g} ms; our confirmation re-checks after "
                            f"{FIRST_RECHECK_MS} ms, backing off to {interval} ms; the ratio compares the first "
                            f"two rows")

    async def batch(self) -> Section:
        def create_batch(client: Client) -> Callable[[int], Awaitable[object]]:
            def call(i: int) -> Awaitable[object]:
                entries = [self.spread(i * BATCH + k) for k in range(BATCH)]
                return client.exchange.create_orders([
                    {"symbol": e.symbol, "type": "limit", "side": "buy", "amount": e.amount, "price": e.price}
                    for e in entries])
            return call

        rows = []
        for client in self.clients:
            rows.append((client.label, await measure(create_batch(client), self.requests // BATCH,
                                                     self.concurrency, self.cap, BATCH)))
            self.clear(client)
        return Section(f"(c) create_orders x{BATCH}, {self.concurrency} at a time", "orders/s", rows)

    async def open_orders(self) -> Section:
        q = self.quotes[OPEN_ORDERS_MARKET]
        exchange = self.ours.exchange
        body = {"market": MARKETS[q.symbol], "side": "BUY", "type": "LIMIT", "instruction": "GTC",
                "size": exchange.amount_to_precision(q.symbol, q.amount),
                "price": exchange.price_to_precision(q.symbol, q.price)}
        rows, seen = [], []
        for client in self.clients:
            for _ in range(OPEN_ORDERS):  # placed in the engine directly: the same book for both clients, untimed
                self.sb.engine.submit(client.address, dict(body))
            seen.append(f"{client.label} {len(await client.exchange.fetch_open_orders(q.symbol))}")

            def fetch(i: int, client: Client = client) -> Awaitable[object]:
                return client.exchange.fetch_open_orders(q.symbol)

            rows.append((client.label, await measure(fetch, self.requests, self.concurrency, self.cap)))
            self.clear(client)
        return Section(f"(d) fetch_open_orders ({OPEN_ORDERS} open), {self.concurrency} at a time", "calls/s",
                       rows, note="orders returned: " + ", ".join(seen))

    async def run(self) -> list[Section]:
        return [await self.create_serial(), await self.create_concurrent(), await self.round_trip(),
                await self.batch(), await self.open_orders()]


# -- output ----------------------------------------------------------------------------------------------------------

def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:7.1f}x" if denominator else f"{'-':>8s}"


def print_results(sections: list[Section]) -> None:
    print(f"\n{'section':44s} {'client':38s} {'n':>4s} {'p50 ms':>8s} {'p95 ms':>8s} {'rate':>9s}")
    for section in sections:
        title = section.title
        for label, r in section.rows:
            print(f"{title:44s} {label:38s} {r.n:4d} {ms(r.percentile(50))} {ms(r.percentile(95))} "
                  f"{r.rate:9.1f} {section.unit}")
            for message, times in r.errors.items():
                print(f"{'':44s}   error x{times}: {message}")
            title = ""
        a, b = (result for _, result in section.rows[:2])
        print(f"{'':44s} {'ours better by':38s} {'':4s} {ratio(b.percentile(50), a.percentile(50))}"
              f"{ratio(b.percentile(95), a.percentile(95))}  {ratio(a.rate, b.rate)}")
        if section.note:
            print(f"{'':44s} {section.note}")


def print_breakdown(sections: list[Section]) -> None:
    print("\nwhere the wall time went (client and sandbox share one event loop, the sandbox verifies signatures on "
          "worker threads), % of the section's wall time:")
    print(f"{'section':6s} {'client':38s} {'wall s':>6s} {'cpu':>5s} {'sign':>5s} {'verify':>6s} {'server':>6s} "
          f"{'client+http':>11s} {'idle':>5s}  {'sign ms/order':>13s} {'verify ms/order':>15s}  dominant")
    for section in sections:
        tag = section.title.split()[0]
        for label, r in section.rows:
            p = r.probe
            shares = {
                "client signing": p.sign,
                "sandbox signature verification": p.verify,
                "sandbox request handling (engine, JSON, JWT)": max(0.0, p.server - p.verify_wait),
                # Probes of handlers that suspend can overlap: a share is never shown below zero.
                "client library + HTTP (ccxt, aiohttp both sides)":
                    max(0.0, r.cpu - p.sign - p.verify - (p.server - p.verify_wait)),
                "idle (waiting, or descheduled by other processes)": max(0.0, r.wall - r.cpu),
            }
            pct = [f"{round(100 * v / r.wall):5d}" for v in shares.values()]
            sign_each = f"{1000 * p.sign / p.signed:13.2f}" if p.signed else f"{'-':>13s}"
            verify_each = f"{1000 * p.verify / p.verified:15.2f}" if p.verified else f"{'-':>15s}"
            print(f"{tag:6s} {label:38s} {r.wall:6.2f} {100 * r.cpu / r.wall:4.0f}% {pct[0]} {pct[1]:>6s} "
                  f"{pct[2]:>6s} {pct[3]:>11s} {pct[4]}  {sign_each} {verify_each}  {max(shares, key=shares.get)}")
            tag = ""


# -- main ------------------------------------------------------------------------------------------------------------

def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per section (default 200)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent coroutines (default 8)")
    parser.add_argument("--cap", type=float, default=12.0, help="wall-clock cap per section and client, s (12)")
    return parser.parse_args()


async def main(args: argparse.Namespace) -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    began = time.perf_counter()
    sb = Sandbox(seed=7, rate_limits=None, cancel_delay=CANCEL_DELAY, markets=tuple(MARKETS.values()))
    sb.app.middlewares.insert(0, time_sandbox)  # outermost: the sandbox's whole handling of each request
    with timed_verification():
        async with sb:
            ours, builtin = await our_client(sb), await builtin_client(sb)
            try:
                await ours.exchange.load_markets()
                bench = Bench(sb, ours, builtin, await resting_quotes(ours.exchange), args.requests,
                              args.concurrency, args.cap)
                for client in bench.clients:  # warm up: login (JWT), credentials, connection pool
                    await bench.creator(client)(0)
                    bench.clear(client)
                print(f"sandbox {sb.url} (in-process, rate limits off), setup {time.perf_counter() - began:.1f} s; "
                      f"client throttles off; requests per section {args.requests}, cap {args.cap:g} s")
                sections = await bench.run()
            finally:
                await ours.exchange.close()
                await builtin.exchange.close()
    print_results(sections)
    print_breakdown(sections)
    print(f"\ntotal {time.perf_counter() - began:.1f} s; load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main(arguments()))
