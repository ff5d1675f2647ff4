"""What a misconfigured exchange is told: before any request when the configuration alone shows the problem, and
with the reason Paradex does not give when a login fails because the key belongs to another account."""
from __future__ import annotations

import pytest
from ccxt.base.errors import AccountNotEnabled, AuthenticationError, PermissionDenied

from paradex_ccxt import paradex

# Nothing listens here: a request would fail with ExchangeNotAvailable, not with the credential error expected.
NOWHERE = "http://127.0.0.1:9/v1"
ETHEREUM_KEY = "0x" + "f1" * 32  # above the Stark curve order, as most Ethereum keys are


async def private_call_error(config: dict) -> Exception:
    exchange = paradex({**config, "urls": {"api": {"v1": NOWHERE}}})
    try:
        with pytest.raises(AuthenticationError) as caught:
            await exchange.fetch_balance()
    finally:
        await exchange.close()
    return caught.value


async def test_missing_credentials_are_reported_before_any_request():
    error = await private_call_error({})
    assert str(error).startswith("paradex requires privateKey")


async def test_missing_account_address_is_reported_before_any_request():
    error = await private_call_error({"options": {"paradexAccount": {"privateKey": "0x1234"}}})
    assert "options['paradexAccount']['address']" in str(error)


async def test_ethereum_key_in_the_l2_key_slot_is_reported_before_any_request():
    error = await private_call_error({"options": {"paradexAccount": {"privateKey": ETHEREUM_KEY,
                                                                     "address": "0x1234"}}})
    assert "may be an Ethereum private key" in str(error)


async def login_refusal(sandbox, paradex_account: dict) -> str:
    """The message of the AccountNotEnabled a private call raises when the login is refused."""
    exchange = paradex({"options": {"paradexAccount": paradex_account}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        with pytest.raises(AccountNotEnabled) as caught:
            await exchange.fetch_balance()
    finally:
        await exchange.close()
    return str(caught.value)


async def test_key_of_another_account_names_the_address_mismatch(sandbox):
    account = sandbox.create_account()
    mistyped = hex(account.address ^ 0xff)
    message = await login_refusal(sandbox, {"privateKey": hex(account.private_key), "address": mistyped})
    assert "NOT_ONBOARDED" in message
    assert f"the key's own account is {hex(account.address)}, not the configured address {mistyped}" in message


async def test_declared_subkey_login_failure_is_left_as_paradex_said(sandbox):
    account = sandbox.create_account()
    message = await login_refusal(sandbox, {"privateKey": hex(account.private_key),
                                            "address": hex(account.address ^ 0xff), "subkey": True})
    assert "own account" not in message


async def test_api_token_without_a_key_placing_an_order_is_told_the_token_is_read_only(sandbox):
    exchange = paradex({"options": {"apiToken": "any-token"}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        await exchange.load_markets()
        with pytest.raises(AuthenticationError, match="apiToken'] is a read-only Paradex API token"):
            await exchange.create_order("BTC/USD:USDC", "limit", "buy", 0.001, 50000)
    finally:
        await exchange.close()


async def test_api_token_with_a_key_cancelling_is_refused_before_sending(sandbox, sandbox_account):
    exchange = paradex({"options": {"apiToken": "any-token", "paradexAccount": sandbox_account.paradex_account}})
    exchange.urls["api"] = {"v1": NOWHERE}
    try:
        with pytest.raises(PermissionDenied, match="read-only Paradex API token .GET requests only.: DELETE"):
            await exchange.privateDeleteOrders({})
    finally:
        await exchange.close()


async def test_address_mismatch_also_says_where_an_ethereum_key_goes(sandbox):
    # An Ethereum key below the Stark curve order passes as an L2 key and derives some other account.
    account = sandbox.create_account()
    exchange = paradex({"options": {"paradexAccount": {"privateKey": hex(account.private_key),
                                                        "address": hex(account.address ^ 0xff)}}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        with pytest.raises(AccountNotEnabled, match="Ethereum private key goes in privateKey with walletAddress"):
            await exchange.fetch_balance()
    finally:
        await exchange.close()
