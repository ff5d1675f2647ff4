"""Paradex's rate limits as a client meets them: 429s, x-ratelimit-* headers, per-IP and per-account buckets."""
from __future__ import annotations

from decimal import Decimal

from paradex_ccxt.sandbox.catalog import dec_str
from paradex_ccxt.sandbox.ratelimit import Limit, RateLimitPolicy
from tests.sandbox_fixture import SandboxClient


async def test_public_requests_beyond_the_limit_get_429_with_headers(make_sandbox, http_session):
    sandbox = await make_sandbox(rate_limits=RateLimitPolicy(public=(Limit(3, 60),)))
    statuses = []
    for _ in range(4):
        async with http_session.get(sandbox.api_url + "/system/time") as response:
            statuses.append(response.status)
            last = (response.headers, await response.json())
    assert statuses == [200, 200, 200, 429]
    headers, body = last
    assert set(body) == {"message"} and body["message"].startswith("rate limit exceeded")
    assert headers["x-ratelimit-limit"] == "3" and headers["x-ratelimit-remaining"] == "0"
    assert headers["x-ratelimit-window"] == "60" and int(headers["retry-after"]) >= 1


async def test_successful_responses_carry_the_remaining_budget(make_sandbox, http_session):
    sandbox = await make_sandbox(rate_limits=RateLimitPolicy(public=(Limit(10, 60),)))
    async with http_session.get(sandbox.api_url + "/markets") as response:
        assert response.headers["x-ratelimit-limit"] == "10"
        assert response.headers["x-ratelimit-remaining"] == "9"


async def test_private_gets_are_limited_per_account(make_sandbox, http_session):
    sandbox = await make_sandbox(rate_limits=RateLimitPolicy(private_get=(Limit(2, 60),)))
    first = SandboxClient(sandbox, sandbox.create_account(), http_session)
    second = SandboxClient(sandbox, sandbox.create_account(), http_session)
    assert [(await first.get("/balance"))[0] for _ in range(3)] == [200, 200, 429]
    assert (await second.get("/balance"))[0] == 200


async def test_order_entry_has_its_own_bucket(make_sandbox, http_session):
    sandbox = await make_sandbox(rate_limits=RateLimitPolicy(orders=(Limit(1, 60),), private_get=(Limit(100, 60),)))
    client = SandboxClient(sandbox, sandbox.create_account(), http_session)
    _, bbo, _ = await client.get("/bbo/BTC-USD-PERP")
    price = dec_str((Decimal(bbo["bid"]) * Decimal("0.98")).quantize(Decimal("0.1")))
    assert (await client.post("/orders", client.order("BTC-USD-PERP", "BUY", "LIMIT", "0.001", price)))[0] == 201
    status, body, _ = await client.post("/orders", client.order("BTC-USD-PERP", "BUY", "LIMIT", "0.001", price))
    assert status == 429 and "error" not in body
    assert (await client.get("/orders"))[0] == 200


async def test_login_is_limited_per_ip(make_sandbox, http_session):
    sandbox = await make_sandbox(rate_limits=RateLimitPolicy(signed=(Limit(1, 60),)))
    client = SandboxClient(sandbox, sandbox.create_account(), http_session)
    await client.login()
    status, body, _ = await client.request("POST", "/auth", headers=client.auth_headers(), private=False)
    assert status == 429 and "error" not in body
