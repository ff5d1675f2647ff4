"""`python -m paradex_ccxt.sandbox`: serve a local Paradex until interrupted.

    python -m paradex_ccxt.sandbox --host 127.0.0.1 --port 8080 --seed 7 --accounts 1

Point a client at the printed REST base (ccxt: urls['api']['v1']). With --accounts N it also creates N funded
accounts and prints their sandbox-only keys, ready for options['paradexAccount'].
"""
from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from decimal import Decimal

from . import Sandbox
from .catalog import DEFAULT_SYMBOLS


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m paradex_ccxt.sandbox", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 = any free port; default 8080)")
    parser.add_argument("--seed", type=int, default=0, help="seed of prices and background trades (default 0)")
    parser.add_argument("--markets", default=None,
                        help=f"comma-separated markets to list (default all: {','.join(DEFAULT_SYMBOLS)})")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request (default 0)")
    parser.add_argument("--jwt-lifetime", type=float, default=300.0, help="JWT lifetime in seconds (default 300)")
    parser.add_argument("--cancel-delay", type=float, default=0.05,
                        help="seconds between a cancel's 204 and the order closing (default 0.05)")
    parser.add_argument("--risk-delay", type=float, default=0.0,
                        help="seconds a new order stays NEW before its risk check (default 0)")
    parser.add_argument("--balance", default="100000", help="USDC credited to a new account (default 100000)")
    parser.add_argument("--no-rate-limits", action="store_true", help="serve without Paradex's rate limits")
    parser.add_argument("--accounts", type=int, default=0, help="create this many funded accounts and print them")
    return parser.parse_args(argv)


def sandbox_from(args: argparse.Namespace) -> Sandbox:
    settings = {
        "seed": args.seed,
        "markets": tuple(args.markets.split(",")) if args.markets else None,
        "latency": args.latency,
        "jwt_lifetime": args.jwt_lifetime,
        "cancel_delay": args.cancel_delay,
        "risk_delay": args.risk_delay,
        "starting_balance": Decimal(args.balance),
    }
    if args.no_rate_limits:
        settings["rate_limits"] = None
    return Sandbox(host=args.host, port=args.port, **settings)


async def serve(args: argparse.Namespace) -> None:
    async with sandbox_from(args) as sandbox:
        print(f"Paradex sandbox on {sandbox.url} (REST base {sandbox.api_url}, WebSocket {sandbox.ws_url})", flush=True)
        for _ in range(args.accounts):
            account = sandbox.create_account()
            print("account:", json.dumps(account.paradex_account), flush=True)
        print("Ctrl-C to stop.", flush=True)
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    try:
        asyncio.run(serve(parse_args(argv)))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
