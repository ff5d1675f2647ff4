"""Sandbox throughput: signed orders per second one sandbox process sustains, by signature verifier.

    python bench/sandbox.py [--clients 4] [--orders 300] [--concurrency 4]

For each verifier (crypto-cpp, the fallback; fast-stark-crypto, the default) it starts
`python -m paradex_ccxt.sandbox` in its own process (rate limits off) and as many client processes, each with its own
account. A client logs in, signs its orders before the clock starts (IOC limit buys 5% under the mark price: each
goes through verification, risk and matching, then closes, so no account reaches its open-order limit), and then
posts them `--concurrency` at a time. Orders/s is all clients' orders over the time from the common start to the
last answer. Client processes share the machine's cores with the sandbox, as real bots on one box would.

Then the cost of one GET /orders-history page (100 orders, the engine's index without HTTP) at several history
sizes: it should not grow with the size.

Not a test: nothing is asserted and pytest does not collect it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import subprocess
import sys
import time
import timeit
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import aiohttp

from paradex_ccxt import signing
from paradex_ccxt.sandbox.history import OrderHistory

VERIFIERS = ("crypto-cpp", "fast-stark-crypto")
MARKET = "BTC-USD-PERP"

# Runs the sandbox CLI with the ECDSA provider named by argv[1] (the Pedersen provider stays the fastest).
SERVE = """
import sys
from paradex_ccxt import signing
from paradex_ccxt.sandbox.history import OrderHistory
signing.use_backend(signing.make_backend(signing.backend().pedersen, sys.argv[1]))
from paradex_ccxt.sandbox.__main__ import main
main(sys.argv[2:])
"""


def start_sandbox(verifier: str, clients: int) -> tuple[subprocess.Popen, str, list[dict]]:
    process = subprocess.Popen([sys.executable, "-c", SERVE, verifier, "--port", "0", "--no-rate-limits",
                                "--accounts", str(clients), "--markets", MARKET], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url, accounts = "", []
    for line in process.stdout:
        if line.startswith("Paradex sandbox on "):
            url = line.split("REST base ")[1].rstrip(")\n")
        elif line.startswith("account: "):
            accounts.append(json.loads(line.removeprefix("account: ")))
        elif line.startswith("Ctrl-C"):
            return process, url, accounts
    raise RuntimeError("the sandbox exited before it was ready")


async def login(http: aiohttp.ClientSession, api: str, chain_id: str, address: int,
                signer: signing.StarkSigner) -> str:
    now = int(time.time())
    msg_hash = signing.auth_hash(chain_id, address, now, now + 300)
    headers = {"PARADEX-STARKNET-ACCOUNT": hex(address), "PARADEX-TIMESTAMP": str(now),
               "PARADEX-SIGNATURE-EXPIRATION": str(now + 300),
               "PARADEX-STARKNET-SIGNATURE": signing.format_signature(*signer.sign(msg_hash))}
    async with http.post(f"{api}/auth", headers=headers) as response:
        return (await response.json())["jwt_token"]


def signed_orders(chain_id: str, address: int, signer: signing.StarkSigner, price: Decimal, count: int) -> list[dict]:
    clock = signing.MonotonicMillis()
    orders = []
    for _ in range(count):
        timestamp = clock.next()
        msg_hash = signing.order_hash(chain_id, address, timestamp, MARKET, "BUY", "LIMIT",
                                      signing.chain_units("0.001"), signing.chain_units(str(price)))
        orders.append({"market": MARKET, "side": "BUY", "type": "LIMIT", "size": "0.001", "price": str(price),
                       "instruction": "IOC", "signature_timestamp": timestamp,
                       "signature": signing.format_signature(*signer.sign(msg_hash))})
    return orders


async def client_run(api: str, account: dict, count: int, concurrency: int, start: Any) -> tuple[int, float]:
    signer = signing.StarkSigner(int(account["privateKey"], 16))
    address = int(account["address"], 16)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{api}/system/config") as response:
            chain_id = (await response.json())["starknet_chain_id"]
        async with http.get(f"{api}/markets/summary", params={"market": MARKET}) as response:
            mark = Decimal((await response.json())["results"][0]["mark_price"])
        jwt = await login(http, api, chain_id, address, signer)
        orders = signed_orders(chain_id, address, signer, (mark * Decimal("0.95")).quantize(Decimal(1)), count)
        headers = {"Authorization": f"Bearer {jwt}"}
        queue = iter(orders)
        placed = 0

        async def worker() -> None:
            nonlocal placed
            for order in queue:
                async with http.post(f"{api}/orders", json=order, headers=headers) as response:
                    await response.read()
                    placed += response.status == 201

        start.wait()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return placed, time.time()


def client_process(api: str, account: dict, count: int, concurrency: int, start: Any, results: Any) -> None:
    results.put(asyncio.run(client_run(api, account, count, concurrency, start)))


def measure(verifier: str, clients: int, orders: int, concurrency: int) -> tuple[int, float]:
    sandbox, api, accounts = start_sandbox(verifier, clients)
    try:
        start = multiprocessing.Barrier(clients + 1)
        results: Any = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=client_process, args=(api, account, orders, concurrency, start,
                                                                          results)) for account in accounts]
        for worker in workers:
            worker.start()
        start.wait()
        began = time.time()
        answers = [results.get() for _ in workers]
        for worker in workers:
            worker.join()
        return sum(placed for placed, _ in answers), max(ended for _, ended in answers) - began
    finally:
        sandbox.terminate()
        sandbox.wait()


@dataclass
class HistoricOrder:
    id: str
    account: str
    client_id: str
    created_at: int
    status: str


def history_page_ms(size: int) -> float:
    history: OrderHistory[HistoricOrder] = OrderHistory()
    for i in range(size):
        history.add(HistoricOrder(str(i), "0xa", f"c{i}", 1_790_000_000_000 + i, "CLOSED"))
    middle = history.page("0xa", lambda order: True, None, None, None, 100)["next"]
    runs = 200
    return timeit.timeit(lambda: history.page("0xa", lambda order: True, None, None, middle, 100), number=runs) \
        / runs * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--orders", type=int, default=300, help="orders per client (default 300)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight per client (default 4)")
    args = parser.parse_args()
    rates = {}
    print(f"{args.clients} clients x {args.orders} orders, {args.concurrency} in flight each")
    for verifier in VERIFIERS:
        placed, seconds = measure(verifier, args.clients, args.orders, args.concurrency)
        rates[verifier] = placed / seconds
        print(f"  verifier {verifier:<18} {placed:>6} orders placed in {seconds:6.2f} s: {rates[verifier]:7.1f} "
              f"orders/s")
    print(f"  fast-stark-crypto / crypto-cpp: {rates[VERIFIERS[1]] / rates[VERIFIERS[0]]:.2f}x")
    print("orders-history page of 100")
    for size in (1_000, 50_000, 500_000):
        print(f"  {size:>7} orders in the account: {history_page_ms(size):.3f} ms a page")


if __name__ == "__main__":
    main()
