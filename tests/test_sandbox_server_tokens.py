"""Account API tokens in the sandbox: long-lived, read-only bearers (POST/GET /account/tokens, DELETE
/account/tokens/{lookup_id}), over HTTP and through our exchange class."""
from __future__ import annotations

from decimal import Decimal

import pytest
from ccxt.base.errors import PermissionDenied

from paradex_ccxt import paradex
from paradex_ccxt.sandbox.catalog import dec_str
from tests.sandbox_fixture import SandboxClient, ShiftedClock

BTC = "BTC-USD-PERP"


async def make_token(client: SandboxClient, name: str = "dashboard", token_type: str = "api_key",
                     expiry_duration: int = 86_400) -> dict:
    status, body, _ = await client.post("/account/tokens", {"name": name, "token_type": token_type,
                                                            "expiry_duration": expiry_duration})
    assert status == 200, body
    return body


def bearer(token: dict) -> dict:
    return {"Authorization": f"Bearer {token['token']}"}


async def with_token(client: SandboxClient, token: dict, method: str, path: str, body=None) -> tuple[int, dict]:
    status, answer, _ = await client.request(method, path, body, headers=bearer(token), private=False)
    return status, answer


async def resting_order(client: SandboxClient) -> dict:
    _, bbo, _ = await client.get(f"/bbo/{BTC}")
    price = dec_str((Decimal(bbo["bid"]) * Decimal("0.97")).quantize(Decimal("0.1")))
    status, order, _ = await client.post("/orders", client.order(BTC, "BUY", "LIMIT", "0.001", price))
    assert status == 201, order
    return order


async def test_a_new_token_is_a_bearer_for_the_accounts_reads(sandbox_client, sandbox_account):
    token = await make_token(sandbox_client)
    assert token["api_token"]["name"] == "dashboard" and token["api_token"]["kind"] == "api_key"
    status, summary = await with_token(sandbox_client, token, "GET", "/account")
    assert (status, summary["account"]) == (200, hex(sandbox_account.address))


async def test_a_token_lives_its_expiry_duration_in_nanoseconds(sandbox_client):
    api_token = (await make_token(sandbox_client, expiry_duration=3600))["api_token"]
    assert api_token["expiry_at"] - api_token["created_at"] == pytest.approx(3600 * 10**9, abs=10**9)
    assert api_token["revoked_at"] == 0 and api_token["allowed_cidrs"] == []


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/orders", None), ("PUT", "/orders/{id}", {}), ("DELETE", "/orders/{id}", None),
    ("DELETE", "/orders", None), ("POST", "/account/tokens", {"name": "x", "token_type": "api_key",
                                                               "expiry_duration": 600}),
    ("POST", f"/account/margin/{BTC}", {"leverage": 5, "margin_type": "CROSS"}),
])
async def test_a_token_cannot_trade_or_change_the_account(sandbox_client, method, path, body):
    token = await make_token(sandbox_client)
    order = await resting_order(sandbox_client)
    if method == "POST" and path == "/orders":
        _, bbo, _ = await sandbox_client.get(f"/bbo/{BTC}")
        body = sandbox_client.order(BTC, "BUY", "LIMIT", "0.001", dec_str(Decimal(bbo["bid"]) - 100))
    status, error = await with_token(sandbox_client, token, method, path.format(id=order["id"]), body)
    assert (status, error["error"]) == (403, "INVALID_TOKEN_SCOPE")
    await sandbox_client.wait_for(order["id"], "OPEN")
    assert [o["id"] for o in (await sandbox_client.get("/orders"))[1]["results"]] == [order["id"]]


async def test_a_revoked_token_is_an_invalid_bearer_and_cannot_be_revoked_twice(sandbox_client):
    token = await make_token(sandbox_client)
    lookup_id = token["api_token"]["lookup_id"]
    status, revoked, _ = await sandbox_client.delete(f"/account/tokens/{lookup_id}")
    assert (status, revoked) == (200, {"lookup_id": lookup_id})
    status, error = await with_token(sandbox_client, token, "GET", "/balance")
    assert (status, error["error"]) == (401, "INVALID_TOKEN")
    status, error, _ = await sandbox_client.delete(f"/account/tokens/{lookup_id}")
    assert (status, error["error"]) == (404, "NOT_FOUND")


async def test_an_expired_token_is_refused_and_listed_only_with_the_invalid_ones(make_sandbox, http_session):
    clock = ShiftedClock()
    sandbox = await make_sandbox(clock=clock, jwt_lifetime=3600)
    client = SandboxClient(sandbox, sandbox.create_account(), http_session)
    token = await make_token(client, expiry_duration=60)
    clock.offset += 61
    status, error = await with_token(client, token, "GET", "/balance")
    assert (status, error["error"]) == (401, "INVALID_TOKEN")
    assert (await client.get("/account/tokens"))[1] == {"results": []}
    listed = (await client.get("/account/tokens", with_invalid="true"))[1]["results"]
    assert [t["lookup_id"] for t in listed] == [token["api_token"]["lookup_id"]]


async def test_the_listing_filters_by_kind_and_shows_only_this_accounts_tokens(sandbox, sandbox_client,
                                                                               http_session):
    await make_token(sandbox_client, "a", "api_key")
    await make_token(sandbox_client, "b", "jwt")
    other = SandboxClient(sandbox, sandbox.create_account(), http_session)
    await make_token(other, "c", "api_key")
    names = [t["name"] for t in (await sandbox_client.get("/account/tokens"))[1]["results"]]
    api_keys = [t["name"] for t in (await sandbox_client.get("/account/tokens", kind="api_key"))[1]["results"]]
    assert (names, api_keys) == (["a", "b"], ["a"])


@pytest.mark.parametrize("change", [{"expiry_duration": 59}, {"expiry_duration": 365 * 24 * 3600 + 1},
                                    {"expiry_duration": "3600"}, {"name": ""}, {"token_type": None}])
async def test_a_token_needs_a_name_a_type_and_one_minute_to_one_year(sandbox_client, change):
    body = {"name": "dashboard", "token_type": "api_key", "expiry_duration": 3600} | change
    status, error, _ = await sandbox_client.post("/account/tokens", body)
    assert (status, error["error"]) == (400, "VALIDATION_ERROR")


async def test_a_token_outlives_the_expire_jwt_fault_that_ends_login_sessions(sandbox, sandbox_client):
    token = await make_token(sandbox_client)
    sandbox.expire_tokens()
    assert (await sandbox_client.get("/balance"))[0] == 401
    assert (await with_token(sandbox_client, token, "GET", "/balance"))[0] == 200


async def test_our_exchange_reads_with_a_token_and_a_signed_order_on_it_is_permission_denied(sandbox, sandbox_client,
                                                                                             sandbox_account):
    token = await make_token(sandbox_client)
    exchange = paradex({"options": {"apiToken": token["token"], "paradexAccount": sandbox_account.paradex_account}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        balance = await exchange.fetch_balance()
        assert balance["USDC"]["total"] > 0
        await exchange.load_markets()
        with pytest.raises(PermissionDenied, match="read-only Paradex API token"):
            await exchange.create_order("BTC/USD:USDC", "limit", "buy", 0.001, 50000)
    finally:
        await exchange.close()
    assert (await sandbox_client.get("/orders"))[1] == {"results": []}
