"""`python -m paradex_ccxt.sandbox`: serve a local Paradex until interrupted.

    python -m paradex_ccxt.sandbox --port 8080                       # one funded account, fixed by --seed
    python -m paradex_ccxt.sandbox --port 8080 --accounts 3 --state sandbox.json

Each account is printed ready to paste: as a ccxt config, as freqtrade "exchange" keys, and as environment variables
for the README's "Use" example (PARADEX_CCXT_API_URL points this package's class at the sandbox). The accounts'
keys follow from --seed: the same command gives the same accounts after a restart. With --state FILE, every
account onboarded while the sandbox ran (including Ethereum keys that onboarded themselves) is saved there on exit
and restored, with its USDC balance, on the next start. Any Ethereum key can onboard: POST /onboarding (this
package's exchange.onboarding(), or ccxt's built-in paradex on its own) credits it --balance USDC.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..exchange import API_URL_VARIABLE
from . import Sandbox, SandboxAccount
from .accounts import StateFileError, create_seeded_accounts, load_state, save_state
from .catalog import DEFAULT_SYMBOLS

PROG = "python -m paradex_ccxt.sandbox"


class CommandError(Exception):
    """A problem the command reports in one line (exit status 1)."""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 = any free port; default 8080)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of prices, background trades and the accounts' keys (default 0)")
    parser.add_argument("--markets", default=None,
                        help=f"comma-separated markets to list (default all: {','.join(DEFAULT_SYMBOLS)})")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request (default 0)")
    parser.add_argument("--jwt-lifetime", type=float, default=300.0, help="JWT lifetime in seconds (default 300)")
    parser.add_argument("--cancel-delay", type=float, default=0.05,
                        help="seconds between a cancel's 204 and the order closing (default 0.05)")
    parser.add_argument("--risk-delay", type=float, default=0.0,
                        help="seconds a new order stays NEW before its risk check (default 0)")
    parser.add_argument("--closed-order-ttl", type=float, default=None,
                        help="seconds GET /orders/{id} still serves a closed order (default: always, as testnet was "
                             "seen doing; 0: never, as Paradex's API reference says)")
    parser.add_argument("--balance", default="100000", help="USDC credited to a new account (default 100000)")
    parser.add_argument("--no-rate-limits", action="store_true", help="serve without Paradex's rate limits")
    parser.add_argument("--accounts", type=int, default=1,
                        help="funded accounts to create and print, fixed by --seed (default 1)")
    parser.add_argument("--state", type=Path, default=None,
                        help="JSON file the onboarded accounts are restored from at start and saved to on exit")
    return parser.parse_args(argv)


def sandbox_from(args: argparse.Namespace) -> Sandbox:
    markets = tuple(args.markets.split(",")) if args.markets else None
    unknown = [market for market in markets or () if market not in DEFAULT_SYMBOLS]
    if unknown:
        raise CommandError(f"unknown market {', '.join(unknown)} (--markets takes: {','.join(DEFAULT_SYMBOLS)})")
    try:
        balance = Decimal(args.balance)
    except InvalidOperation:
        raise CommandError(f"--balance {args.balance!r} is not a number") from None
    settings = {
        "seed": args.seed,
        "markets": markets,
        "latency": args.latency,
        "jwt_lifetime": args.jwt_lifetime,
        "cancel_delay": args.cancel_delay,
        "risk_delay": args.risk_delay,
        "closed_order_ttl": args.closed_order_ttl,
        "starting_balance": balance,
    }
    if args.no_rate_limits:
        settings["rate_limits"] = None
    return Sandbox(host=args.host, port=args.port, **settings)


def credentials_text(number: int, account: SandboxAccount, api_url: str, balance: Decimal) -> str:
    """One account as a ccxt config, freqtrade "exchange" keys and environment variables, ready to paste."""
    key, address = hex(account.private_key), hex(account.address)
    urls = {"api": {"v1": api_url}}
    ccxt_config = {"options": {"paradexAccount": {"privateKey": key, "address": address}}, "urls": urls}
    freqtrade = {"name": "paradex", "private_key": key, "wallet_address": address, "ccxt_config": {"urls": urls}}
    return "\n".join([
        f"Account {number}: {address}, balance {balance} USDC (sandbox-only key)",
        "  ccxt config:",
        "    " + json.dumps(ccxt_config),
        '  freqtrade config, "exchange":',
        "    " + json.dumps(freqtrade),
        '  environment for the README "Use" example:',
        f"    export {API_URL_VARIABLE}={api_url} PARADEX_L2_PRIVATE_KEY={key} PARADEX_L2_ADDRESS={address}",
    ])


async def serve(args: argparse.Namespace) -> None:
    sandbox = sandbox_from(args)
    if args.state is not None and not args.state.parent.is_dir():
        raise CommandError(f"--state {args.state}: folder {args.state.parent} does not exist")
    restored = load_state(sandbox, args.state) if args.state is not None and args.state.exists() else 0
    try:
        await sandbox.start()
    except OSError as error:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None
    try:
        print(f"Paradex sandbox on {sandbox.url} (REST base {sandbox.api_url}, WebSocket {sandbox.ws_url})",
              flush=True)
        if restored:
            print(f"{restored} accounts restored from {args.state}", flush=True)
        ledger = sandbox.engine.ledger
        for number, account in enumerate(create_seeded_accounts(sandbox, args.seed, args.accounts), 1):
            balance = ledger.get(hex(account.address)).balance
            print("\n" + credentials_text(number, account, sandbox.api_url, balance), flush=True)
        print(f"\nAny Ethereum key can onboard (exchange.onboarding(), or ccxt's built-in paradex on its own) and is "
              f"credited {args.balance} USDC.\nCtrl-C to stop.", flush=True)
        await asyncio.Event().wait()
    finally:
        if args.state is not None:
            save_state(sandbox, args.state)
        await sandbox.stop()


def main(argv: Sequence[str] | None = None) -> None:
    try:
        asyncio.run(serve(parse_args(argv)))
    except KeyboardInterrupt:
        pass
    except (CommandError, StateFileError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
