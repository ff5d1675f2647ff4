"""The demo: a realistic trading session of the unified ccxt API against the embedded sandbox (or, read-only,
against Paradex testnet), printing the unified orders as they change.

    python -m paradex_ccxt demo              # local sandbox, no credentials
    python -m paradex_ccxt demo --testnet    # read-only calls against Paradex testnet; credentials from
                                             # PARADEX_L2_PRIVATE_KEY + PARADEX_L2_ADDRESS (or PARADEX_ETH_PRIVATE_KEY +
                                             # PARADEX_ETH_ADDRESS)
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from ccxt.base.decimal_to_precision import ROUND
from ccxt.base.errors import BaseError, NetworkError

from .exchange import paradex
from .sandbox import Sandbox

SYMBOL = "BTC/USD:USDC"
COLUMNS = [("step", 26), ("id", 10), ("side", 5), ("type", 12), ("price", 10), ("amount", 8), ("status", 9),
           ("filled", 8), ("remaining", 9), ("average", 10), ("reason", 22)]


class OrderTable:
    """Prints one row per unified order as the session goes, numbers at the market's precision."""

    def __init__(self, out: TextIO, exchange: paradex) -> None:
        self.out = out
        self.exchange = exchange
        self.rows: list[tuple[str, dict]] = []
        print(" ".join(name.ljust(width) for name, width in COLUMNS), file=out)
        print(" ".join("-" * width for _, width in COLUMNS), file=out)

    def row(self, step: str, order: dict) -> None:
        self.rows.append((step, order))
        precision = self.exchange.market(order.get("symbol") or SYMBOL)["precision"]
        values = {
            "step": step,
            "id": "…" + str(order.get("id") or "")[-8:],
            "side": order.get("side"),
            "type": order.get("type"),
            "price": self._number(order.get("price") or order.get("triggerPrice"), precision["price"]),
            "amount": self._number(order.get("amount"), precision["amount"]),
            "status": order.get("status"),
            "filled": self._number(order.get("filled"), precision["amount"]),
            "remaining": self._number(order.get("remaining"), precision["amount"]),
            # An average of fills at several prices need not sit on the tick: shown in full, not rounded to it.
            "average": self.exchange.number_to_string(order.get("average")),
            "reason": order.get("cancelReason") or "",
        }
        print(" ".join(_cell(values[name], width) for name, width in COLUMNS), file=self.out)

    def _number(self, value: float | None, step: float) -> str | None:
        # Not amount_to_precision: it refuses zero, which is a remaining or filled amount to show.
        return None if value is None else self.exchange.decimal_to_precision(
            value, ROUND, step, self.exchange.precisionMode, self.exchange.paddingMode)


def _cell(value: Any, width: int) -> str:
    text = "-" if value is None else str(value)
    return text[:width].ljust(width)


def _say(out: TextIO, text: str) -> None:
    print(f"\n== {text}", file=out)


async def _settled(exchange: paradex, order_id: str, want: set[str], timeout: float = 5.0) -> dict:
    """Poll until the order's status is one of `want` (the sandbox, like Paradex, decides after answering)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        order = await exchange.fetch_order(order_id, SYMBOL)
        if order["status"] in want or asyncio.get_running_loop().time() > deadline:
            return order
        await asyncio.sleep(0.05)


async def run_sandbox_session(out: TextIO = sys.stdout, seed: int = 7) -> list[tuple[str, dict]]:
    """Run the session; returns the (step, unified order) rows it printed."""
    async with Sandbox(seed=seed, cancel_delay=0.2) as sandbox:
        trader_account = sandbox.create_account()
        maker_account = sandbox.create_account()
        trader = paradex({"options": {"paradexAccount": trader_account.paradex_account}})
        maker = paradex({"options": {"paradexAccount": maker_account.paradex_account}})
        for exchange in (trader, maker):
            exchange.urls["api"] = {"v1": sandbox.api_url, "ws": sandbox.ws_url}
        try:
            return await _session(trader, maker, sandbox, out)
        finally:
            await trader.close()
            await maker.close()


async def _session(trader: paradex, maker: paradex, sandbox: Sandbox, out: TextIO) -> list[tuple[str, dict]]:
    print(f"Paradex sandbox at {sandbox.api_url}", file=out)
    markets = await trader.load_markets()
    await maker.load_markets()
    market = trader.market(SYMBOL)
    print(f"{len(markets)} markets; {SYMBOL}: tick {market['precision']['price']}, "
          f"size step {market['precision']['amount']}, min notional {market['limits']['cost']['min']}", file=out)
    balance = await trader.fetch_balance()
    print(f"balance: USDC total {balance['USDC']['total']}, free {balance['USDC']['free']}", file=out)
    ticker = await trader.fetch_ticker(SYMBOL)
    bid, ask = ticker["bid"], ticker["ask"]
    print(f"{SYMBOL}: bid {bid}, ask {ask}, mark {ticker.get('markPrice')}", file=out)

    table = OrderTable(out, trader)
    amount = float(trader.amount_to_precision(SYMBOL, max(market["limits"]["amount"]["min"] or 0, 0.01)))

    _say(out, "a resting limit buy, then edited")
    below = float(trader.price_to_precision(SYMBOL, bid * 0.95))
    resting = await trader.create_order(SYMBOL, "limit", "buy", amount, below)
    table.row("create limit buy", resting)
    resting = await _settled(trader, resting["id"], {"open"})
    table.row("resting", resting)
    edited = await trader.edit_order(resting["id"], SYMBOL, "limit", "buy", amount * 2,
                                     float(trader.price_to_precision(SYMBOL, bid * 0.96)))
    table.row("edit size and price", edited)

    _say(out, "a partial fill, then a confirmed cancel")
    # A fresh book: the maker's offer goes inside the spread, where it is the best ask the taker meets.
    book = await trader.fetch_order_book(SYMBOL, 1)
    inside = float(trader.price_to_precision(SYMBOL, (book["bids"][0][0] + book["asks"][0][0]) / 2))
    offer = await maker.create_order(SYMBOL, "limit", "sell", amount * 3, inside, {"postOnly": True})
    offer = await _settled(maker, offer["id"], {"open", "canceled", "rejected", "expired"})
    table.row("maker: post-only sell", offer)
    taker = await trader.create_order(SYMBOL, "limit", "buy", amount, inside, {"timeInForce": "IOC"})
    taker = await _settled(trader, taker["id"], {"closed", "canceled", "expired"})
    table.row("trader: IOC buy", taker)
    offer = await maker.fetch_order(offer["id"], SYMBOL)
    table.row("maker: partly filled", offer)
    offer = await maker.cancel_order(offer["id"], SYMBOL)
    table.row("maker: cancel (confirmed)", offer)

    _say(out, "batch create, batch cancel")
    prices = [float(trader.price_to_precision(SYMBOL, bid * (0.90 - 0.01 * i))) for i in range(3)]
    batch = await trader.create_orders([
        {"symbol": SYMBOL, "type": "limit", "side": "buy", "amount": amount, "price": price} for price in prices
    ])
    for order in batch:
        table.row("batch create", order)
    for order in batch:
        await _settled(trader, order["id"], {"open"})
    for order in await trader.cancel_orders([order["id"] for order in batch], SYMBOL):
        table.row("batch cancel", order)

    _say(out, "an order the account cannot afford")
    huge = float(trader.amount_to_precision(SYMBOL, float(balance["USDC"]["total"]) * 50 / ask))
    near = float(trader.price_to_precision(SYMBOL, bid * 0.99))
    rejected = await trader.create_order(SYMBOL, "limit", "buy", huge, near)
    table.row("create (too big)", rejected)
    rejected = await _settled(trader, rejected["id"], {"rejected", "canceled", "closed"})
    table.row("risk check", rejected)

    _say(out, "what is left: the edited order, cancelled with everything else")
    for order in await trader.cancel_all_orders(SYMBOL):
        table.row("cancel all", order)

    _say(out, "streams: the book and the trader's own orders; the cancel is confirmed from the order stream")
    book = await trader.watch_order_book(SYMBOL, 3)
    print(f"book (stream, seq {book['nonce']}): bids {book['bids']}, asks {book['asks']}", file=out)
    streamed: list[dict] = []

    async def follow_orders() -> None:
        while True:
            # copies: the cache updates an order's dict in place as later updates arrive
            streamed.extend(dict(order) for order in await trader.watch_orders(SYMBOL))

    follower = asyncio.ensure_future(follow_orders())
    await trader.watch_order_book(SYMBOL)  # one more book update: the order subscription is live by then
    watched = await trader.create_order(SYMBOL, "limit", "buy", amount, below)
    await _settled(trader, watched["id"], {"open"})
    table.row("cancel (from stream)", await trader.cancel_order(watched["id"], SYMBOL))
    await asyncio.sleep(0.1)
    follower.cancel()
    for order in streamed:
        if order["id"] == watched["id"]:
            table.row("stream: order update", order)

    _say(out, "positions")
    for position in await trader.fetch_positions():
        print(f"trader {position['symbol']}: {position['side']} {position['contracts']} @ {position['entryPrice']}, "
              f"unrealized {position['unrealizedPnl']}", file=out)
    for position in await maker.fetch_positions():
        print(f"maker  {position['symbol']}: {position['side']} {position['contracts']} @ {position['entryPrice']}, "
              f"unrealized {position['unrealizedPnl']}", file=out)

    _say(out, "history")
    # Each row is labelled by the order's own end: fetch_canceled_orders lists every unfilled one (canceled, expired,
    # rejected).
    history = await trader.fetch_closed_orders(SYMBOL) + await trader.fetch_canceled_orders(SYMBOL)
    for order in history:
        table.row(order["status"], order)
    for trade in await trader.fetch_my_trades(SYMBOL):
        print(f"fill {trade['side']} {trade['amount']} @ {trade['price']} ({trade['takerOrMaker']}), "
              f"fee {trade['fee']['cost']} {trade['fee']['currency']}", file=out)
    return table.rows


def credentials_from_env(env: dict[str, str]) -> dict:
    if env.get("PARADEX_L2_PRIVATE_KEY") and env.get("PARADEX_L2_ADDRESS"):
        return {"options": {"paradexAccount": {"privateKey": env["PARADEX_L2_PRIVATE_KEY"],
                                               "address": env["PARADEX_L2_ADDRESS"]}}}
    if env.get("PARADEX_ETH_PRIVATE_KEY") and env.get("PARADEX_ETH_ADDRESS"):
        return {"privateKey": env["PARADEX_ETH_PRIVATE_KEY"], "walletAddress": env["PARADEX_ETH_ADDRESS"]}
    raise SystemExit("--testnet needs PARADEX_L2_PRIVATE_KEY and PARADEX_L2_ADDRESS "
                     "(or PARADEX_ETH_PRIVATE_KEY and PARADEX_ETH_ADDRESS) in the environment")


async def run_testnet_read_only(out: TextIO = sys.stdout) -> None:
    exchange = paradex(credentials_from_env(dict(os.environ)))
    exchange.set_sandbox_mode(True)
    try:
        markets = await exchange.load_markets()
        print(f"Paradex testnet: {len(markets)} markets", file=out)
        ticker = await exchange.fetch_ticker(SYMBOL)
        print(f"{SYMBOL}: bid {ticker['bid']}, ask {ticker['ask']}", file=out)
        book = await exchange.fetch_order_book(SYMBOL, 5)
        print(f"order book: {len(book['bids'])} bids, {len(book['asks'])} asks", file=out)
        balance = await exchange.fetch_balance()
        print(f"balance: USDC total {balance.get('USDC', {}).get('total')}", file=out)
        for position in await exchange.fetch_positions():
            print(f"position {position['symbol']}: {position['side']} {position['contracts']}", file=out)
        table = OrderTable(out, exchange)
        for order in await exchange.fetch_open_orders():
            table.row("open", order)
    finally:
        await exchange.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m paradex_ccxt demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--testnet", action="store_true",
                        help="read-only session against Paradex testnet with credentials from the environment")
    parser.add_argument("--seed", type=int, default=7, help="sandbox seed (prices, liquidity; default 7)")
    args = parser.parse_args(argv)
    if not args.testnet:
        asyncio.run(run_sandbox_session(seed=args.seed))
        return
    try:
        asyncio.run(run_testnet_read_only())
    except NetworkError as error:
        raise SystemExit(f"python -m paradex_ccxt demo --testnet: cannot reach Paradex testnet "
                         f"({type(error).__name__}): {_first_line(error)}") from None
    except BaseError as error:
        raise SystemExit(f"python -m paradex_ccxt demo --testnet: {type(error).__name__}: {_first_line(error)}") \
            from None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0]
