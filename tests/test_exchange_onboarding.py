"""Onboarding: an Ethereum-key account registers its derived Stark key once, then logs in like any other."""
from __future__ import annotations

import pytest
from ccxt.base.errors import AccountNotEnabled, AuthenticationError

from paradex_ccxt import paradex
from tests.conftest import TEST_L2_ADDRESS, load_json, system_config_testnet

VECTORS = load_json("paradex_signing.json")
ETH_KEY = VECTORS["inputs"]["eth_private_key"]  # type: ignore[index]
ETH_ADDRESS = VECTORS["inputs"]["eth_address"]  # type: ignore[index]


@pytest.fixture
async def eth_exchange(sandbox):
    exchange = paradex({"privateKey": ETH_KEY, "walletAddress": ETH_ADDRESS})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        yield exchange
    finally:
        await exchange.close()


async def test_account_that_never_onboarded_cannot_log_in(eth_exchange):
    with pytest.raises(AccountNotEnabled, match="NOT_ONBOARDED"):
        await eth_exchange.fetch_balance()


async def test_onboarded_ethereum_key_account_logs_in_and_is_funded(eth_exchange):
    await eth_exchange.onboarding()
    balance = await eth_exchange.fetch_balance()
    assert balance["USDC"]["total"] > 0


async def test_onboarding_uses_the_address_derived_for_this_environment(eth_exchange):
    await eth_exchange.onboarding()
    credentials = await eth_exchange.load_credentials()
    # The sandbox serves testnet's system config, so the key derives to the vectors' testnet account A.
    assert hex(credentials.address) == VECTORS["accounts"]["A_testnet"]["l2_address"]  # type: ignore[index]


async def test_a_subkey_cannot_onboard():
    exchange = paradex({"options": {
        "paradexAccount": {"privateKey": "0x123456789", "address": TEST_L2_ADDRESS, "subkey": True},
        "systemConfig": system_config_testnet(),
    }})
    try:
        with pytest.raises(AuthenticationError, match="subkey"):
            await exchange.onboarding()
    finally:
        await exchange.close()
