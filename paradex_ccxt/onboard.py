"""``python -m paradex_ccxt onboard --config config.json [--testnet]``: register an Ethereum-key account with Paradex.

An account whose credentials are an Ethereum key must be onboarded once (its derived Stark key registered) before it
can log in; a bot such as freqtrade does not do it. The command reads the same freqtrade configuration the bot will
use: ``exchange.private_key`` / ``exchange.wallet_address`` and ``exchange.ccxt_config`` (e.g. a sandbox URL), so
the key never appears on a command line. Onboarding an account twice is harmless.
"""
from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

from ccxt.base.errors import BaseError

from .exchange import paradex


def exchange_settings(config: dict) -> dict:
    """ccxt settings of our paradex class from a freqtrade configuration's "exchange" section."""
    section = config.get("exchange") or {}
    missing = [name for name in ("private_key", "wallet_address") if not section.get(name)]
    if missing:
        raise SystemExit("onboard: the configuration's \"exchange\" section needs " + " and ".join(missing))
    return {**(section.get("ccxt_config") or {}), **(section.get("ccxt_async_config") or {}),
            "privateKey": section["private_key"], "walletAddress": section["wallet_address"]}


async def onboard(settings: dict, testnet: bool = False) -> str:
    """Onboard the account of `settings`; returns its Paradex address."""
    exchange = paradex(settings)
    if testnet:
        exchange.set_sandbox_mode(True)
    try:
        await exchange.onboarding()
        return hex((await exchange.load_credentials()).address)
    finally:
        await exchange.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m paradex_ccxt onboard",
                                     description="Register an Ethereum-key account with Paradex (once).")
    parser.add_argument("--config", type=Path, required=True, help="freqtrade configuration file (JSON)")
    parser.add_argument("--testnet", action="store_true", help="Paradex testnet instead of production")
    args = parser.parse_args(argv)
    settings = exchange_settings(json.loads(args.config.read_text()))
    try:
        address = asyncio.run(onboard(settings, args.testnet))
    except BaseError as error:
        raise SystemExit(f"onboard failed: {error}") from None
    print(f"onboarded Paradex account {address}")
