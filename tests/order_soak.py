"""A seeded soak of the order methods through tests/fault_proxy.py, with the truth read from the sandbox at the end.

Concurrent tasks run random order operations (create limit / market / IOC / post-only, create_orders, cancel by id,
by client id, cancel_orders, cancel_all_orders, edit_order, fetch_order) through a proxy that faults about 30% of the
requests. Every order carries a client id naming the call that sent it, so each order on the sandbox is traced to a
call. The report counts what the package promises never happens:

    duplicates      two orders on the sandbox for one client id
    lost            an order on the sandbox whose call raised, or reported it rejected / unknown / absent
    wrong_status    a final status a call returned that differs from the order's final state on the sandbox
    cancel_raised   a cancel call that raised although the sandbox cancelled its order
    untyped         an exception that is not a ccxt error

    python -m tests.order_soak --seed 1 --operations 1000        # prints the table (bench/ has the same command)
"""
from __future__ import annotations

import argparse
import asyncio
import random
from dataclasses import dataclass, field
from typing import Any

from ccxt.base.errors import BaseError, OrderNotFound

from paradex_ccxt import paradex
from paradex_ccxt.orders import unified_status
from paradex_ccxt.sandbox import Sandbox
from tests.fault_proxy import FaultProxy, random_plan

SYMBOLS = ["BTC/USD:USDC", "ETH/USD:USDC", "SOL/USD:USDC"]
FINAL = ("closed", "canceled", "expired", "rejected")
ROWS = ("duplicates", "lost", "wrong_status", "cancel_raised", "untyped")


@dataclass
class Call:
    kind: str
    client_ids: list[str]
    targets: list[str] = field(default_factory=list)  # client ids a cancel aimed at
    result: Any = None
    error: BaseException | None = None


@dataclass
class SoakReport:
    operations: int
    requests: dict[str, int]
    rows: dict[str, list[str]]

    def counts(self) -> dict[str, int]:
        return {row: len(self.rows[row]) for row in ROWS}

    def table(self) -> str:
        per = 1000 / max(1, self.operations)
        lines = [f"{self.operations} operations; requests by fault: {dict(sorted(self.requests.items()))}",
                 "| row | count | per 1000 |", "|---|---|---|"]
        lines += [f"| {row} | {len(self.rows[row])} | {len(self.rows[row]) * per:.1f} |" for row in ROWS]
        for row in ROWS:
            lines += [f"  {row}: {example}" for example in self.rows[row][:5]]
        return "\n".join(lines)


class Soak:
    def __init__(self, exchange: paradex, seed: int, prices: dict[str, float]) -> None:
        self.exchange = exchange
        self.seed = seed
        self.prices = prices
        self.calls: list[Call] = []
        self.known: list[tuple[str, str, str | None]] = []  # (symbol, client id, id)

    async def run(self, operations: int, tasks: int) -> None:
        share = [operations // tasks + (1 if t < operations % tasks else 0) for t in range(tasks)]
        await asyncio.gather(*(self._task(t, n) for t, n in enumerate(share)))

    async def _task(self, task: int, count: int) -> None:
        rng = random.Random(self.seed * 1000 + task)
        for n in range(count):
            await self._operation(rng, f"s{self.seed}-{task}-{n}")

    async def _operation(self, rng: random.Random, tag: str) -> None:
        ex = self.exchange
        kind = rng.choices(["limit", "post_only", "ioc", "market", "batch", "cancel", "cancel_cid", "cancel_many",
                            "cancel_all", "edit", "fetch"], [20, 8, 8, 6, 10, 14, 6, 6, 1, 8, 6])[0]
        symbol = rng.choice(SYMBOLS)
        market = ex.market(symbol)
        amount = market["limits"]["amount"]["min"] * rng.choice([1, 2, 3])
        mid = self.prices[symbol]
        resting = ex.price_to_precision(symbol, mid * rng.uniform(0.90, 0.97))
        call = Call(kind, [])
        self.calls.append(call)
        try:
            if kind in ("limit", "post_only", "ioc", "market"):
                call.client_ids = [tag]
                params: dict[str, Any] = {"clientOrderId": tag}
                side, price, order_type = "buy", resting, "limit"
                if kind == "post_only":
                    params["postOnly"] = True
                elif kind == "ioc":
                    params["timeInForce"] = "IOC"
                    side, price = rng.choice(["buy", "sell"]), ex.price_to_precision(symbol, mid)
                elif kind == "market":
                    side, price, order_type = rng.choice(["buy", "sell"]), None, "market"
                call.result = await ex.create_order(symbol, order_type, side, amount, price, params)
                self._remember(symbol, tag, call.result)
            elif kind == "batch":
                call.client_ids = [f"{tag}-{k}" for k in range(3)]
                call.result = await ex.create_orders([
                    {"symbol": symbol, "type": "limit", "side": "buy", "amount": amount, "price": resting,
                     "params": {"clientOrderId": cid}} for cid in call.client_ids])
                for cid, order in zip(call.client_ids, call.result, strict=True):
                    self._remember(symbol, cid, order)
            elif kind in ("cancel", "cancel_cid", "edit", "fetch") and self.known:
                symbol, cid, order_id = rng.choice(self.known)
                call.targets = [cid]
                if kind == "cancel" and order_id:
                    call.result = await ex.cancel_order(order_id, symbol)
                elif kind == "cancel_cid":
                    call.result = await ex.cancel_order(None, symbol, {"clientOrderId": cid})
                elif kind == "edit" and order_id:
                    call.result = await ex.edit_order(order_id, symbol, "limit", "buy", None,
                                                      ex.price_to_precision(symbol, mid * rng.uniform(0.9, 0.97)))
                elif kind == "fetch" and order_id:
                    call.result = await ex.fetch_order(order_id, symbol)
            elif kind == "cancel_many" and len(self.known) >= 2:
                picked = rng.sample(self.known, 2)
                ids = [order_id for _, _, order_id in picked if order_id]
                call.targets = [cid for _, cid, order_id in picked if order_id]
                if ids:
                    call.result = await ex.cancel_orders(ids)
            elif kind == "cancel_all":
                call.result = await ex.cancel_all_orders(symbol)
        except Exception as error:  # noqa: BLE001 - every failure is material for the report
            call.error = error

    def _remember(self, symbol: str, client_id: str, order: dict | None) -> None:
        if order is not None and order.get("id"):
            self.known.append((symbol, client_id, order["id"]))

    def report(self, server_orders: list[dict], requests: dict[str, int]) -> SoakReport:
        by_cid: dict[str, list[dict]] = {}
        for order in server_orders:
            by_cid.setdefault(order["client_id"], []).append(order)
        final = {cid: unified_status(o[-1]["status"], o[-1]["cancel_reason"] or None, o[-1]["size"],
                                     o[-1]["remaining_size"]) for cid, o in by_cid.items()}
        rows: dict[str, list[str]] = {row: [] for row in ROWS}
        rows["duplicates"] = [f"{cid}: {len(o)} orders" for cid, o in by_cid.items() if len(o) > 1]
        for call in self.calls:
            if call.error is not None and not isinstance(call.error, BaseError):
                rows["untyped"].append(f"{call.kind}: {type(call.error).__name__}: {call.error}")
            results = call.result if isinstance(call.result, list) else [call.result]
            if call.kind in ("limit", "post_only", "ioc", "market", "batch"):
                for n, cid in enumerate(call.client_ids):
                    if cid not in by_cid:
                        continue
                    got = results[n] if call.error is None and n < len(results) else None
                    if got is None or got.get("id") is None:
                        rows["lost"].append(f"{call.kind} {cid}: exists, call gave "
                                            f"{got and got.get('status')!r} / {call.error!r}"[:300])
            for result in results:
                if isinstance(result, dict) and result.get("status") in FINAL:
                    cid = result.get("clientOrderId")
                    if cid in final and final[cid] != result["status"]:
                        rows["wrong_status"].append(f"{call.kind} {cid}: returned {result['status']}, "
                                                    f"sandbox says {final[cid]}")
            if call.kind.startswith("cancel") and call.error is not None and \
                    not isinstance(call.error, OrderNotFound):
                cancelled = [cid for cid in call.targets if by_cid.get(cid) and
                             by_cid[cid][-1]["cancel_reason"] == "USER_CANCELED"]
                if cancelled or call.kind == "cancel_all":
                    rows["cancel_raised"].append(f"{call.kind} {cancelled}: {call.error!r}"[:300])
        return SoakReport(len(self.calls), requests, rows)


def every_order(sandbox: Sandbox, address: str) -> list[dict]:
    """Every order of an account as the sandbox holds it (its own history pages, read in-process)."""
    orders: list[dict] = []
    cursor = None
    while True:
        page = sandbox.engine.orders_history(address, cursor=cursor, page_size=1000)
        orders += page["results"]
        cursor = page["next"]
        if not cursor:
            return orders


async def run_soak(seed: int, operations: int, tasks: int = 8, rate: float = 0.3,
                   closed_order_ttl: float | None = 0.0) -> SoakReport:
    """One soak against a fresh in-process sandbox (by default serving closed orders on GET /orders/{id} not at
    all, as Paradex's API reference says)."""
    async with Sandbox(seed=seed, rate_limits=None, closed_order_ttl=closed_order_ttl) as sandbox:
        account = sandbox.create_account()
        proxy = FaultProxy(sandbox.api_url, random_plan(seed, rate), hold=1.6)
        url = await proxy.start()
        exchange = paradex({"timeout": 1500, "options": {"paradexAccount": account.paradex_account,
                                                          "recvWindowMargin": 50}})
        exchange.urls["api"] = {"v1": url + "/v1"}
        clean = paradex({"options": {"paradexAccount": account.paradex_account}})
        clean.urls["api"] = {"v1": sandbox.api_url}
        try:
            await clean.load_markets()
            exchange.markets, exchange.markets_by_id, exchange.symbols, exchange.ids = \
                clean.markets, clean.markets_by_id, clean.symbols, clean.ids
            exchange.options["systemConfig"] = await clean.load_system_config()
            prices = {s: (await clean.fetch_ticker(s))["last"] for s in SYMBOLS}
            soak = Soak(exchange, seed, prices)
            await soak.run(operations, tasks)
            await asyncio.sleep(0.3)  # let queued cancels settle before reading the truth
            server_orders = [o for o in every_order(sandbox, hex(account.address))
                             if o["client_id"].startswith(f"s{seed}-")]
            return soak.report(server_orders, dict(proxy.counts))
        finally:
            await exchange.close()
            await clean.close()
            await proxy.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, action="append")
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=8)
    parser.add_argument("--rate", type=float, default=0.3)
    parser.add_argument("--closed-order-ttl", type=float, default=0.0,
                        help="seconds GET /orders/{id} serves closed orders (default 0: never); -1: forever")
    args = parser.parse_args()
    failed = False
    for seed in args.seed or [1, 2]:
        ttl = None if args.closed_order_ttl < 0 else args.closed_order_ttl
        report = asyncio.run(run_soak(seed, args.operations, args.tasks, args.rate, ttl))
        print(f"seed {seed}: " + report.table())
        failed = failed or any(report.counts().values())
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
