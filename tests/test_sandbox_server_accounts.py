"""Onboarding, login, JWTs and the private account routes of the sandbox, over HTTP."""
from __future__ import annotations

import secrets
import time

import jwt as pyjwt
from eth_account import Account

from paradex_ccxt import signing
from paradex_ccxt.sandbox import SandboxAccount
from paradex_ccxt.sandbox.auth import account_address
from tests.sandbox_fixture import SandboxClient, ShiftedClock

BTC = "BTC-USD-PERP"


def new_key() -> int:
    return secrets.randbelow(signing.EC_ORDER - 1) + 1


def not_onboarded(sandbox) -> SandboxAccount:
    """A key pair and its address, unknown to the sandbox."""
    private_key = new_key()
    public_key = signing.StarkSigner(private_key).public_key
    return SandboxAccount(private_key, public_key, account_address(sandbox.state.config, public_key))


def onboarding_request(sandbox, account: SandboxAccount, sign_with: int | None = None) -> tuple[dict, dict]:
    signer = signing.StarkSigner(sign_with or account.private_key)
    r, s = signer.sign(signing.onboarding_hash(sandbox.chain_id, account.address))
    headers = {
        "PARADEX-ETHEREUM-ACCOUNT": Account.create().address,
        "PARADEX-STARKNET-ACCOUNT": hex(account.address),
        "PARADEX-STARKNET-SIGNATURE": signing.format_signature(r, s),
    }
    return headers, {"public_key": hex(account.public_key)}


# -- onboarding ------------------------------------------------------------------------------------------------------

async def test_onboarding_registers_and_funds_the_account(sandbox, http_session):
    account = not_onboarded(sandbox)
    headers, body = onboarding_request(sandbox, account)
    client = SandboxClient(sandbox, account, http_session)
    status, answer, _ = await client.request("POST", "/onboarding", body, headers=headers, private=False)
    assert (status, answer) == (200, {})
    status, balance, _ = await client.get("/balance")
    assert status == 200
    (usdc,) = balance["results"]
    assert usdc["token"] == "USDC" and usdc["size"] == str(sandbox.settings.starting_balance)


async def test_onboarding_twice_is_idempotent_and_funds_once(sandbox, http_session):
    account = not_onboarded(sandbox)
    headers, body = onboarding_request(sandbox, account)
    client = SandboxClient(sandbox, account, http_session)
    for _ in range(2):
        status, _, _ = await client.request("POST", "/onboarding", body, headers=headers, private=False)
        assert status == 200
    _, balance, _ = await client.get("/balance")
    assert balance["results"][0]["size"] == str(sandbox.settings.starting_balance)


async def test_onboarding_signed_by_another_key_is_refused(sandbox, sandbox_client):
    headers, body = onboarding_request(sandbox, not_onboarded(sandbox), sign_with=new_key())
    status, answer, _ = await sandbox_client.request("POST", "/onboarding", body, headers=headers, private=False)
    assert (status, answer["error"]) == (400, "INVALID_STARKNET_SIGNATURE")


# -- login and JWTs --------------------------------------------------------------------------------------------------

async def test_login_returns_a_jwt_with_the_configured_lifetime(make_sandbox, http_session):
    sandbox = await make_sandbox(jwt_lifetime=120)
    client = SandboxClient(sandbox, sandbox.create_account(), http_session)
    token = await client.login()
    claims = pyjwt.decode(token, options={"verify_signature": False})
    assert 119 <= claims["exp"] - time.time() <= 121


async def test_login_without_public_key_in_the_path_uses_the_main_key(sandbox_client):
    status, body, _ = await sandbox_client.request("POST", "/auth", headers=sandbox_client.auth_headers(),
                                                   private=False)
    assert status == 200 and body["jwt_token"]


async def test_login_of_an_account_never_onboarded_is_not_onboarded(sandbox, http_session):
    client = SandboxClient(sandbox, not_onboarded(sandbox), http_session)
    status, body, _ = await client.request("POST", "/auth", headers=client.auth_headers(), private=False)
    assert (status, body["error"]) == (400, "NOT_ONBOARDED")


async def test_login_with_a_stale_timestamp_is_invalid_timestamp(sandbox_client):
    stale = int(time.time()) - 3600
    status, body, _ = await sandbox_client.request("POST", "/auth", private=False,
                                                   headers=sandbox_client.auth_headers(stale, stale + 86400 * 2))
    assert (status, body["error"]) == (400, "INVALID_TIMESTAMP")


async def test_login_with_a_bad_signature_fails_verification(sandbox_client):
    headers = sandbox_client.auth_headers()
    headers["PARADEX-SIGNATURE-EXPIRATION"] = str(int(headers["PARADEX-SIGNATURE-EXPIRATION"]) + 1)
    status, body, _ = await sandbox_client.request("POST", "/auth", headers=headers, private=False)
    assert (status, body["error"]) == (401, "STARKNET_SIGNATURE_VERIFICATION_FAILED")


async def test_private_route_without_bearer_is_unauthorized(sandbox_client):
    status, body, _ = await sandbox_client.request("GET", "/account", private=False)
    assert (status, body) == (401, {"error": "UNAUTHORIZED_ERROR", "message": "missing or malformed jwt",
                                     "data": None})


async def test_private_route_with_a_forged_bearer_is_invalid_token(sandbox_client):
    status, body, _ = await sandbox_client.request("GET", "/account", private=False,
                                                   headers={"Authorization": "Bearer not.a.jwt"})
    assert (status, body["error"]) == (401, "INVALID_TOKEN")


async def test_jwt_expires_after_its_lifetime_and_a_new_login_works(make_sandbox, http_session):
    clock = ShiftedClock()
    sandbox = await make_sandbox(jwt_lifetime=300, clock=clock)
    client = SandboxClient(sandbox, sandbox.create_account(), http_session)
    assert (await client.get("/account"))[0] == 200
    clock.offset += 301
    status, body, _ = await client.get("/account")
    assert (status, body["error"]) == (401, "INVALID_TOKEN")
    await client.login()
    assert (await client.get("/account"))[0] == 200


async def test_expire_tokens_ends_every_session(sandbox, sandbox_client):
    await sandbox_client.login()
    sandbox.expire_tokens()
    status, body, _ = await sandbox_client.get("/account")
    assert (status, body["error"]) == (401, "INVALID_TOKEN")


# -- account reads ---------------------------------------------------------------------------------------------------

async def test_account_summary_shape(sandbox_client, sandbox_account):
    status, body, _ = await sandbox_client.get("/account")
    assert status == 200 and body["account"] == hex(sandbox_account.address)
    for name in ("account_value", "free_collateral", "initial_margin_requirement", "maintenance_margin_requirement",
                 "margin_cushion", "total_collateral", "settlement_asset", "status", "updated_at", "seq_no"):
        assert name in body
    assert body["settlement_asset"] == "USDC"


async def test_account_info_is_a_list_holding_the_accounts_own_row(sandbox_client, sandbox_account):
    status, body, _ = await sandbox_client.get("/account/info")
    assert status == 200 and [row["account"] for row in body["results"]] == [hex(sandbox_account.address)]
    assert body["results"][0]["kind"] == "main"


async def test_profile_of_a_new_account_has_no_username_referral_or_slippage_overrides(sandbox_client):
    status, profile, _ = await sandbox_client.get("/account/profile")
    assert status == 200
    assert (profile["username"], profile["referral_code"], profile["market_max_slippage"]) == ("", "", {})
    assert set(profile["notifications"]) == {"announcements", "fill_sound", "fills", "orders", "transfers"}


async def test_positions_fills_and_funding_payments_start_empty(sandbox_client):
    assert (await sandbox_client.get("/positions"))[1] == {"results": []}
    for path in ("/fills", "/funding/payments"):
        status, body, _ = await sandbox_client.get(path)
        assert status == 200 and body == {"next": None, "prev": None, "results": []}


async def test_every_fill_has_its_settlement_transaction_and_none_is_busted(sandbox_client):
    _, order, _ = await sandbox_client.post("/orders", sandbox_client.order("BTC-USD-PERP", "BUY", "MARKET", "0.001"))
    await sandbox_client.wait_for(order["id"], "CLOSED")
    fills = (await sandbox_client.get("/fills"))[1]["results"]
    transactions = (await sandbox_client.get("/transactions"))[1]["results"]
    assert fills and [t["id"] for t in transactions] == [f["id"] for f in fills]
    assert {(t["type"], t["state"]) for t in transactions} == {("TRANSACTION_FILL", "ACCEPTED_ON_L2")}
    assert (await sandbox_client.get("/tradebusts"))[1] == {"next": None, "prev": None, "results": []}


async def test_margin_settings_round_trip(sandbox_client):
    status, body, _ = await sandbox_client.post(f"/account/margin/{BTC}", {"leverage": 10, "margin_type": "CROSS"})
    assert status == 200 and body["leverage"] == 10
    status, body, _ = await sandbox_client.get("/account/margin", market=BTC)
    assert status == 200 and body["configs"][0]["leverage"] == 10 and body["configs"][0]["margin_type"] == "CROSS"


async def test_margin_leverage_above_the_market_maximum_is_refused(sandbox_client):
    status, body, _ = await sandbox_client.post(f"/account/margin/{BTC}", {"leverage": 1000, "margin_type": "CROSS"})
    assert (status, body["error"]) == (400, "INVALID_REQUEST_PARAMETER")


# -- subkeys ---------------------------------------------------------------------------------------------------------

async def test_registered_subkey_logs_in_and_signs_orders_for_the_main_account(sandbox, sandbox_client,
                                                                               sandbox_account, http_session):
    subkey = not_onboarded(sandbox)
    status, body, _ = await sandbox_client.post("/account/keys/subkeys",
                                                {"name": "bot", "public_key": hex(subkey.public_key)})
    assert (status, body) == (201, {})
    _, listed, _ = await sandbox_client.get("/account/keys/subkeys")
    (row,) = listed["results"]
    assert row["public_key"] == hex(subkey.public_key) and row["state"] == "active" and row["name"] == "bot"

    sub_client = SandboxClient(sandbox, sandbox_account, http_session, signer_key=subkey.private_key)
    await sub_client.login()
    price = (await sub_client.get(f"/bbo/{BTC}"))[1]["bid"]
    status, order, _ = await sub_client.post("/orders", sub_client.order(BTC, "BUY", "LIMIT", "0.001", price))
    assert status == 201 and order["account"] == hex(sandbox_account.address)


async def test_revoked_subkey_can_no_longer_log_in(sandbox, sandbox_client, sandbox_account, http_session):
    subkey = not_onboarded(sandbox)
    await sandbox_client.post("/account/keys/subkeys", {"name": "bot", "public_key": hex(subkey.public_key)})
    status, body, _ = await sandbox_client.delete(f"/account/keys/subkeys/{hex(subkey.public_key)}")
    assert (status, body) == (200, {"public_key": hex(subkey.public_key)})
    sub_client = SandboxClient(sandbox, sandbox_account, http_session, signer_key=subkey.private_key)
    status, body, _ = await sub_client.request("POST", f"/auth/{hex(subkey.public_key)}", private=False,
                                               headers=sub_client.auth_headers())
    assert (status, body["error"]) == (401, "INVALID_SUBKEY")
    _, listed, _ = await sandbox_client.get("/account/keys/subkeys", with_revoked="true")
    assert listed["results"][0]["state"] == "revoked"


async def test_subkey_can_be_renamed_until_revoked(sandbox, sandbox_client):
    key = hex(not_onboarded(sandbox).public_key)
    await sandbox_client.post("/account/keys/subkeys", {"name": "bot", "public_key": key})
    status, body, _ = await sandbox_client.put(f"/account/keys/subkeys/{key}", {"name": "grid-bot"})
    assert (status, body["name"], body["public_key"]) == (200, "grid-bot", key)
    assert (await sandbox_client.get(f"/account/keys/subkeys/{key}"))[1]["name"] == "grid-bot"
    await sandbox_client.delete(f"/account/keys/subkeys/{key}")
    status, body, _ = await sandbox_client.put(f"/account/keys/subkeys/{key}", {"name": "again"})
    assert (status, body["error"]) == (404, "INVALID_SUBKEY")
