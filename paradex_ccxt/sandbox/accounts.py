"""Sandbox accounts that outlive a restart.

- ``seeded_private_key(seed, index)``: the Stark key of account `index` of a seed, so ``--seed S --accounts N`` gives
  the same N accounts (same keys, same addresses) on every start; ``create_seeded_accounts`` onboards them.
- ``save_state(sandbox, path)`` / ``load_state(sandbox, path)``: a JSON file of every onboarded account (its public
  key, Ethereum address and USDC balance, never a private key), so accounts that onboarded themselves with an
  Ethereum key keep existing, funded as they were, after a restart. Open orders, positions, fills and subkeys are
  not kept: a restored account starts flat, its balance credited back as one deposit.
"""
from __future__ import annotations

import hashlib
import json
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .. import signing
from . import Sandbox, SandboxAccount

STATE_VERSION = 1


class StateFileError(ValueError):
    """A state file that cannot be read back: says which file and why."""


def seeded_private_key(seed: int, index: int) -> int:
    digest = hashlib.sha256(f"paradex sandbox account {seed}/{index}".encode()).digest()
    return int.from_bytes(digest, "big") % (signing.EC_ORDER - 1) + 1


def create_seeded_accounts(sandbox: Sandbox, seed: int, count: int) -> list[SandboxAccount]:
    """Onboard (idempotently: a restored account keeps its balance) accounts 0..count-1 of `seed`."""
    return [sandbox.create_account(seeded_private_key(seed, index)) for index in range(count)]


def save_state(sandbox: Sandbox, path: Path) -> int:
    """Write every onboarded account but the built-in liquidity provider; returns how many."""
    accounts = [{"public_key": account.public_key, "eth_address": account.eth_address,
                 "balance": str(account.balance)}
                for account in sandbox.engine.ledger.accounts() if not account.unlimited]
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"version": STATE_VERSION, "accounts": accounts}, indent=1))
    os.replace(temporary, path)
    return len(accounts)


def load_state(sandbox: Sandbox, path: Path) -> int:
    """Onboard the accounts of a state file with their balances; returns how many."""
    accounts = read_state(path)
    for public_key, eth_address, balance in accounts:
        sandbox.state.onboard(public_key, eth_address, balance)
    return len(accounts)


def read_state(path: Path) -> list[tuple[int, str | None, Decimal]]:
    """(public key, Ethereum address or None, balance) of each account in a state file."""
    try:
        state = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StateFileError(f"{path}: cannot read a sandbox state ({error})") from None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        raise StateFileError(f"{path}: not a sandbox state file (version {STATE_VERSION})")
    try:
        return [(int(saved["public_key"], 16), saved["eth_address"] or None, Decimal(saved["balance"]))
                for saved in state["accounts"]]
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise StateFileError(f"{path}: malformed account in the sandbox state ({error!r})") from None
