"""Order entry over the WebSocket against REST, in one run against the local sandbox: create -> acknowledgement
latency and orders per second for create_order_ws and create_order, then for create_orders_ws x10 and
create_orders x10.

Run from the repository root (after `pip install -e .`):

    python bench/ws_orders.py              # about 15 s; --help for the knobs

One process, one event loop: the sandbox (rate limits off) and one funded account's client. Orders rest 10% under
the mark (no fills, so the book does not move between sections) and are cancelled with cancel_all_orders between
sections, untimed. Latency: one order at a time, from the call to its return (the acknowledgement: REST's 201, the
JSON-RPC result), p50 / p95 / max in ms. Throughput: --concurrency calls in flight. Both transports share the
client's signing and the sandbox's signature checks, so the difference is the carrying: an HTTP request with its
headers and JWT per order against one JSON frame on a socket that is already open and authenticated.

Not a test: nothing is asserted and pytest does not collect it (bench/ is outside tests/).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import paradex_ccxt
from paradex_ccxt.sandbox import Sandbox

SYMBOL = "BTC/USD:USDC"


def row(name: str, latencies: list[float] | None, per_second: float) -> str:
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        timing = f"{statistics.median(ordered):7.2f} {p95:7.2f} {ordered[-1]:7.2f}"
    else:
        timing = f"{'-':>7} {'-':>7} {'-':>7}"
    return f"{name:<34} {timing} {per_second:9.0f}"


async def one_at_a_time(call: Callable[[], Awaitable[Any]], count: int) -> list[float]:
    latencies = []
    for _ in range(count):
        began = time.perf_counter()
        await call()
        latencies.append((time.perf_counter() - began) * 1000)
    return latencies


async def in_flight(call: Callable[[], Awaitable[Any]], count: int, concurrency: int) -> float:
    """Calls per second with `concurrency` of them in flight, `count` calls in all."""
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - began)


async def main(args: argparse.Namespace) -> None:
    sandbox = await Sandbox(rate_limits=None, cancel_delay=0.01).start()
    account = sandbox.create_account()
    exchange = paradex_ccxt.paradex({"enableRateLimit": False,
                                     "options": {"paradexAccount": account.paradex_account}})
    exchange.urls["api"] = {"v1": sandbox.api_url, "ws": sandbox.ws_url}
    try:
        await exchange.load_markets()
        ticker = await exchange.fetch_ticker(SYMBOL)
        price = float(exchange.price_to_precision(SYMBOL, float(ticker["info"]["mark_price"]) * 0.9))
        batch = [{"symbol": SYMBOL, "type": "limit", "side": "buy", "amount": 0.001, "price": price}] * 10
        await exchange.create_order_ws(SYMBOL, "limit", "buy", 0.001, price)  # opens and authenticates the socket
        await exchange.cancel_all_orders(SYMBOL)
        sections: list[tuple[str, Callable[[], Awaitable[Any]], int]] = [
            ("create_order (REST)", lambda: exchange.create_order(SYMBOL, "limit", "buy", 0.001, price), 1),
            ("create_order_ws", lambda: exchange.create_order_ws(SYMBOL, "limit", "buy", 0.001, price), 1),
            ("create_orders x10 (REST)", lambda: exchange.create_orders(batch), 10),
            ("create_orders_ws x10", lambda: exchange.create_orders_ws(batch), 10),
        ]
        print(f"load average {os.getloadavg()[0]:.2f}; {args.requests} calls a section, "
              f"{args.concurrency} in flight for orders/s")
        print(f"{'':<34} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'orders/s':>9}")
        for name, call, orders in sections:
            latencies = await one_at_a_time(call, args.requests)
            await exchange.cancel_all_orders(SYMBOL)
            per_second = await in_flight(call, args.requests, args.concurrency) * orders
            await exchange.cancel_all_orders(SYMBOL)
            print(row(name, latencies, per_second))
    finally:
        await exchange.close()
        await sandbox.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="calls per section and measurement")
    parser.add_argument("--concurrency", type=int, default=8, help="calls in flight for the orders/s column")
    asyncio.run(main(parser.parse_args()))
