"""The Paradex signing vectors (tests/data/paradex_signing.json, made by paradex-py 0.8.2 and ccxt 4.5.90), indexed
for the signing and credential tests."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from paradex_ccxt import signing

VECTORS = json.loads((Path(__file__).resolve().parent / "data" / "paradex_signing.json").read_text())
TESTNET_CONFIG: dict = VECTORS["inputs"]["system_config_testnet"]
ETH_PRIVATE_KEY: str = VECTORS["inputs"]["eth_private_key"]
ETH_ADDRESS: str = VECTORS["inputs"]["eth_address"]
ACCOUNT_A: dict = VECTORS["accounts"]["A_testnet"]  # derived from the Ethereum key on testnet
ACCOUNT_B: dict = VECTORS["accounts"]["B_fixed"]  # fixed Stark key
PRIVATE_KEYS = {int(a["l2_public_key"], 16): int(a["l2_private_key"], 16) for a in (ACCOUNT_A, ACCOUNT_B)}

STRUCTS = {"Constant": signing.CONSTANT, "Request": signing.REQUEST, "Order": signing.ORDER,
           "ModifyOrder": signing.MODIFY_ORDER}
KINDS = ("onboarding", "auth", "orders", "modify_orders")
ALL = [vector for kind in KINDS for vector in VECTORS[kind]]


def params(vectors: list[dict]) -> list:
    return [pytest.param(vector, id=vector["id"]) for vector in vectors]


def hexint(text: str) -> int:
    return int(text, 16)


def our_hash(vector: dict) -> int:
    """The vector's message hash computed by our public API from the vector's own inputs."""
    chain, account = vector["chain"], hexint(vector["account_address"])
    message = vector["typed_data"]["message"]
    if vector["id"].startswith("onboarding"):
        return signing.onboarding_hash(chain, account)
    if vector["id"].startswith("auth"):
        return signing.auth_hash(chain, account, vector["timestamp_s"], vector["expiration_s"])
    order = vector["order_input"]
    # The chain values the SDK signed (for the >8-decimal vector: truncated, which chain_units refuses to do).
    size, price = int(message["size"]), int(message["price"])
    if vector["id"].startswith("modify"):
        return signing.modify_order_hash(chain, account, order["signature_timestamp_ms"], order["market"],
                                         order["side"], order["type"], size, price, order["id"])
    return signing.order_hash(chain, account, order["signature_timestamp_ms"], order["market"], order["side"],
                              order["type"], size, price)
