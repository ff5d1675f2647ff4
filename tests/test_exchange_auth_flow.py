"""Private calls through the exchange: signed login, one login for concurrent callers, 401 -> re-login once."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from ccxt.base.errors import AuthenticationError

from paradex_ccxt import paradex, signing
from tests.conftest import TEST_L2_ADDRESS, TEST_L2_PRIVATE_KEY, system_config_testnet

TEST_PUBLIC_KEY = signing.StarkSigner(int(TEST_L2_PRIVATE_KEY, 16)).public_key


class FakeParadex:
    """Just enough of Paradex's auth contract to observe the client: it checks the Stark-signed login headers."""

    def __init__(self) -> None:
        self.logins = 0
        self.rejected_tokens: set[str] = set()
        self.balance_calls: list[str] = []
        self.always_reject = False

    async def auth(self, request: web.Request) -> web.Response:
        assert request.match_info["public_key"] == hex(TEST_PUBLIC_KEY)
        headers = request.headers
        r, s = signing.parse_signature(headers["PARADEX-STARKNET-SIGNATURE"])
        msg_hash = signing.auth_hash(
            "PRIVATE_SN_POTC_SEPOLIA", int(headers["PARADEX-STARKNET-ACCOUNT"], 16),
            int(headers["PARADEX-TIMESTAMP"]), int(headers["PARADEX-SIGNATURE-EXPIRATION"]),
        )
        if not signing.verify(TEST_PUBLIC_KEY, msg_hash, r, s):
            return web.json_response({"error": "INVALID_STARKNET_SIGNATURE", "message": "bad"}, status=400)
        self.logins += 1
        await asyncio.sleep(0.01)
        return web.json_response({"jwt_token": f"token-{self.logins}"})

    async def balance(self, request: web.Request) -> web.Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        self.balance_calls.append(token)
        if self.always_reject or token in self.rejected_tokens:
            return web.json_response({"error": "INVALID_TOKEN", "message": "token is expired"}, status=401)
        return web.json_response({"results": [{"token": "USDC", "size": "100", "last_updated_at": 1}]})


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeParadex, str]]:
    server = FakeParadex()
    app = web.Application()
    app.router.add_post("/v1/auth/{public_key}", server.auth)
    app.router.add_get("/v1/balance", server.balance)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield server, f"http://127.0.0.1:{port}/v1"
    finally:
        await runner.cleanup()


@pytest.fixture
async def client(fake) -> AsyncIterator[paradex]:
    _, url = fake
    ex = paradex({
        "urls": {"api": {"v1": url}},
        "options": {
            "paradexAccount": {"privateKey": TEST_L2_PRIVATE_KEY, "address": TEST_L2_ADDRESS},
            "systemConfig": system_config_testnet(),
        },
    })
    try:
        yield ex
    finally:
        await ex.close()


async def test_login_is_signed_with_the_account_key_and_yields_a_bearer(fake, client):
    server, _ = fake
    await client.privateGetBalance()
    assert server.logins == 1
    assert server.balance_calls == ["token-1"]


async def test_concurrent_private_calls_cause_exactly_one_login(fake, client):
    server, _ = fake
    await asyncio.gather(*(client.privateGetBalance() for _ in range(10)))
    assert server.logins == 1
    assert server.balance_calls == ["token-1"] * 10


async def test_rejected_token_causes_one_relogin_and_one_retry(fake, client):
    server, _ = fake
    await client.privateGetBalance()
    server.rejected_tokens.add("token-1")
    response = await client.privateGetBalance()
    assert response["results"][0]["token"] == "USDC"
    assert server.logins == 2
    assert server.balance_calls == ["token-1", "token-1", "token-2"]


async def test_token_rejected_twice_raises_authentication_error(fake, client):
    server, _ = fake
    server.always_reject = True
    with pytest.raises(AuthenticationError, match="INVALID_TOKEN"):
        await client.privateGetBalance()
    assert server.logins == 2
    assert len(server.balance_calls) == 2


async def test_an_api_token_is_the_bearer_without_a_signed_login(fake):
    server, url = fake
    reader = paradex({"urls": {"api": {"v1": url}}, "options": {"apiToken": "api-token-1"}})
    try:
        await reader.privateGetBalance()
    finally:
        await reader.close()
    assert (server.logins, server.balance_calls) == (0, ["api-token-1"])


async def test_an_api_token_alone_cannot_sign_orders(fake):
    _, url = fake
    reader = paradex({"urls": {"api": {"v1": url}}, "options": {"apiToken": "api-token-1",
                                                                 "systemConfig": system_config_testnet()}})
    try:
        with pytest.raises(AuthenticationError, match="privateKey"):
            await reader.load_credentials()
    finally:
        await reader.close()


async def test_short_lived_jwts_are_reused_not_fetched_for_every_call(make_sandbox):
    sandbox = await make_sandbox(jwt_lifetime=6)
    exchange = paradex({"timeout_on_exit": 0, "options": {"paradexAccount": sandbox.create_account().paradex_account}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        for _ in range(5):
            await exchange.privateGetBalance()
    finally:
        await exchange.close()
    assert exchange.jwt_session.logins == 1
