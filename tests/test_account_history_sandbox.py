"""Account history end to end against the local sandbox: its onboarding credit is a Paradex DEPOSIT transfer."""
from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.fixture
async def funded(make_sandbox):
    """An exchange trading as an account the sandbox onboarded with 2500 USDC."""
    from paradex_ccxt import paradex

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


async def test_onboarding_credit_is_a_transfer_into_the_account_from_no_named_source(funded):
    (transfer,) = await funded.fetch_transfers()
    assert (transfer["fromAccount"], transfer["toAccount"], transfer["amount"]) == (
        None, transfer["info"]["account"], 2500.0)


async def test_new_account_has_no_withdrawals(funded):
    assert await funded.fetch_withdrawals() == []


async def test_new_account_has_no_liquidations(funded):
    assert await funded.fetch_my_liquidations() == []
