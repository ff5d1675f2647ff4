"""Account history end to end against the local sandbox: its onboarding credit is a Paradex DEPOSIT transfer,
bridged from Ethereum like a real one."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from ccxt.test.exchange.base import test_deposit_withdrawal as check_transaction

from paradex_ccxt import paradex


async def only_deposit(sandbox, account) -> dict:
    """The one deposit a new sandbox account has: its onboarding credit, as fetch_deposits gives it."""
    exchange = paradex({"options": {"paradexAccount": account.paradex_account}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        (deposit,) = await exchange.fetch_deposits()
    finally:
        await exchange.close()
    return deposit


@pytest.fixture
async def funded(make_sandbox):
    """An exchange trading as an account the sandbox onboarded with 2500 USDC."""
    sandbox = await make_sandbox()
    account = sandbox.create_account(balance=Decimal("2500"))
    exchange = paradex({"options": {"paradexAccount": account.paradex_account}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        await exchange.load_markets()
        yield exchange
    finally:
        await exchange.close()


async def test_onboarding_credit_is_a_completed_usdc_deposit(funded):
    deposits = await funded.fetch_deposits()
    assert [(d["type"], d["amount"], d["currency"], d["status"]) for d in deposits] == [
        ("deposit", 2500.0, "USDC", "ok")]


async def test_onboarding_credit_passes_ccxts_transaction_check(funded):
    (deposit,) = await funded.fetch_deposits("USDC")
    check_transaction(funded, {}, "fetchDeposits", deposit, "USDC", funded.milliseconds())


async def test_onboarding_credit_carries_the_ethereum_transaction_and_network(funded):
    (deposit,) = await funded.fetch_deposits()
    assert re.fullmatch(r"0x[0-9a-f]{64}", deposit["txid"])
    assert (deposit["network"], deposit["info"]["bridge"]) == ("ERC20", "STARKGATE")
    assert deposit["txid"] != deposit["info"]["txn_hash"]


async def test_onboarding_credit_comes_from_the_accounts_ethereum_address(make_sandbox):
    sandbox = await make_sandbox()
    eth_address = "0x" + "ab" * 20
    account = sandbox.create_account(eth_address=eth_address)
    deposit = await only_deposit(sandbox, account)
    assert (deposit["addressFrom"], deposit["addressTo"]) == (eth_address, hex(account.address))


async def test_onboarding_credit_is_a_transfer_into_the_account_from_its_ethereum_sender(funded):
    (transfer,) = await funded.fetch_transfers()
    assert re.fullmatch(r"0x[0-9a-f]{40}", transfer["fromAccount"])
    assert (transfer["toAccount"], transfer["amount"]) == (transfer["info"]["account"], 2500.0)


async def test_new_account_has_no_withdrawals(funded):
    assert await funded.fetch_withdrawals() == []


async def test_new_account_has_no_liquidations(funded):
    assert await funded.fetch_my_liquidations() == []


async def test_unbridged_deposit_has_no_txid_or_network_rather_than_empty_ones(make_sandbox):
    # The harsher shape: a credit that crossed no bridge, its other-chain fields "" as Paradex writes them.
    sandbox = await make_sandbox(bridged_deposits=False)
    account = sandbox.create_account()
    deposit = await only_deposit(sandbox, account)
    assert (deposit["txid"], deposit["network"], deposit["addressFrom"]) == (None, None, None)
    assert deposit["info"]["external_txn_hash"] == ""
