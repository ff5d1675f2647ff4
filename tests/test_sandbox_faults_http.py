"""What each injected fault does to a client over HTTP, and whether the request took effect."""
from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import aiohttp
import pytest

from paradex_ccxt.sandbox.catalog import dec_str
from tests.sandbox_fixture import SandboxClient

BTC = "BTC-USD-PERP"


async def order_body(client: SandboxClient, client_id: str) -> dict:
    _, bbo, _ = await client.get(f"/bbo/{BTC}")
    price = dec_str((Decimal(bbo["bid"]) * Decimal("0.98")).quantize(Decimal("0.1")))
    return client.order(BTC, "BUY", "LIMIT", "0.001", price, client_id=client_id)


async def raw_post_order(client: SandboxClient, body: dict) -> tuple[int, bytes]:
    """POST /orders reading the raw body, for faults that break it."""
    headers = {"Authorization": f"Bearer {client.jwt}", "Content-Type": "application/json"}
    async with client.session.post(client.sandbox.api_url + "/orders", data=json.dumps(body),
                                   headers=headers) as response:
        return response.status, await response.read()


async def exists(client: SandboxClient, client_id: str) -> bool:
    status, _, _ = await client.get(f"/orders/by_client_id/{client_id}")
    return status == 200


@pytest.fixture
async def client(sandbox_client: SandboxClient) -> SandboxClient:
    await sandbox_client.login()
    return sandbox_client


# -- before processing: nothing happens on the exchange --------------------------------------------------------------

async def test_latency_delays_the_answer_past_a_short_client_timeout(sandbox, client):
    sandbox.faults.latency(0.5, path="/v1/system/time")
    with pytest.raises(asyncio.TimeoutError):
        async with client.session.get(sandbox.api_url + "/system/time",
                                      timeout=aiohttp.ClientTimeout(total=0.05)) as response:
            await response.read()
    assert (await client.get("/system/time"))[0] == 200


async def test_sandbox_wide_latency_applies_to_every_request(make_sandbox, http_session):
    sandbox = await make_sandbox(latency=0.5)
    with pytest.raises(asyncio.TimeoutError):
        async with http_session.get(sandbox.api_url + "/markets",
                                    timeout=aiohttp.ClientTimeout(total=0.05)) as response:
            await response.read()


async def test_error_fault_answers_5xx_and_places_nothing(sandbox, client):
    sandbox.faults.error(503, method="POST", path="/v1/orders")
    status, body, _ = await client.post("/orders", await order_body(client, "e1"))
    assert status == 503 and body["error"] == "SERVICE_UNAVAILABLE" and body["message"]
    assert not await exists(client, "e1")
    status, _, _ = await client.post("/orders", await order_body(client, "e1"))
    assert status == 201  # fired once


async def test_error_fault_with_a_raw_proxy_page(sandbox, client):
    sandbox.faults.error(502, body="<html><body>502 Bad Gateway</body></html>", path="/v1/markets")
    async with client.session.get(sandbox.api_url + "/markets") as response:
        assert response.status == 502 and "Bad Gateway" in await response.text()


async def test_throttle_fault_answers_429_and_places_nothing(sandbox, client):
    sandbox.faults.throttle(method="POST", path="/v1/orders")
    status, body, headers = await client.post("/orders", await order_body(client, "t1"))
    assert (status, body) == (429, {"message": "rate limit exceeded"}) and headers["retry-after"] == "1"
    assert not await exists(client, "t1")


async def test_drop_before_closes_the_connection_and_places_nothing(sandbox, client):
    sandbox.faults.drop_before(method="POST", path="/v1/orders")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.post("/orders", await order_body(client, "d1"))
    assert not await exists(client, "d1")


async def test_expire_jwt_fault_ends_the_session_and_a_new_login_works(sandbox, client):
    sandbox.faults.expire_jwt(path="/v1/account")
    status, body, _ = await client.get("/account")
    assert (status, body["error"]) == (401, "INVALID_TOKEN")
    assert (await client.get("/balance"))[0] == 401  # the token stays dead
    await client.login()
    assert (await client.get("/account"))[0] == 200


# -- after processing: the order exists, the client cannot tell ------------------------------------------------------

async def test_drop_after_places_the_order_but_the_client_sees_a_dropped_connection(sandbox, client):
    sandbox.faults.drop_after(method="POST", path="/v1/orders")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.post("/orders", await order_body(client, "d2"))
    assert await exists(client, "d2")


async def test_malformed_body_after_the_order_is_placed(sandbox, client):
    sandbox.faults.malformed(method="POST", path="/v1/orders")
    status, raw = await raw_post_order(client, await order_body(client, "m1"))
    assert status == 201 and raw
    with pytest.raises(ValueError):
        json.loads(raw)
    assert await exists(client, "m1")


async def test_empty_body_after_the_order_is_placed(sandbox, client):
    sandbox.faults.empty(method="POST", path="/v1/orders")
    status, raw = await raw_post_order(client, await order_body(client, "x1"))
    assert (status, raw) == (201, b"")
    assert await exists(client, "x1")


# -- scope -----------------------------------------------------------------------------------------------------------

async def test_count_and_skip_choose_which_requests_fail(sandbox, client):
    sandbox.faults.error(500, path="/v1/system/time", skip=1, count=2)
    statuses = [(await client.get("/system/time"))[0] for _ in range(4)]
    assert statuses == [200, 500, 500, 200]


async def test_faults_leave_other_routes_alone(sandbox, client):
    sandbox.faults.error(503, path="/v1/orders*", count=None)
    assert (await client.get("/markets"))[0] == 200
    assert (await client.get("/orders"))[0] == 503


# -- the admin endpoint ----------------------------------------------------------------------------------------------

async def admin(http_session, sandbox, method: str, path: str, body: dict | None = None):
    async with http_session.request(method, sandbox.url + "/_sandbox" + path,
                                    data=None if body is None else json.dumps(body)) as response:
        text = await response.text()
        return response.status, (json.loads(text) if text else None)


async def test_admin_endpoint_adds_lists_and_clears_faults(sandbox, client, http_session):
    status, fault = await admin(http_session, sandbox, "POST", "/faults",
                                {"kind": "error", "method": "GET", "path": "/v1/markets", "status": 500,
                                 "count": None})
    assert status == 201 and fault["kind"] == "error" and fault["id"]
    assert (await client.get("/markets"))[0] == 500
    _, listed = await admin(http_session, sandbox, "GET", "/faults")
    assert [(f["id"], f["hits"]) for f in listed["results"]] == [(fault["id"], 1)]
    assert (await admin(http_session, sandbox, "DELETE", "/faults"))[0] == 204
    assert (await client.get("/markets"))[0] == 200


async def test_admin_endpoint_removes_one_fault(sandbox, http_session):
    kept = sandbox.faults.latency(0.01, count=None)
    _, dropped = await admin(http_session, sandbox, "POST", "/faults", {"kind": "drop_before", "path": "/v1/x"})
    assert (await admin(http_session, sandbox, "DELETE", f"/faults/{dropped['id']}"))[0] == 204
    assert [f.id for f in sandbox.faults.rules] == [kept.id]
    status, error = await admin(http_session, sandbox, "DELETE", f"/faults/{dropped['id']}")
    assert (status, error["error"]) == (404, "NOT_FOUND")


async def test_admin_endpoint_refuses_an_invalid_fault(sandbox, http_session):
    status, error = await admin(http_session, sandbox, "POST", "/faults", {"kind": "meteor"})
    assert (status, error["error"]) == (400, "VALIDATION_ERROR")


async def test_admin_endpoint_is_never_faulted(sandbox, http_session):
    sandbox.faults.error(503, count=None)
    assert (await admin(http_session, sandbox, "GET", "/faults"))[0] == 200


async def test_admin_endpoint_sets_the_system_state(sandbox, client, http_session):
    status, body = await admin(http_session, sandbox, "POST", "/system/state", {"status": "post_only"})
    assert (status, body) == (200, {"status": "post_only"})
    assert (await client.get("/system/state"))[1] == {"status": "post_only"}


async def test_admin_endpoint_creates_a_funded_account(sandbox, http_session):
    status, body = await admin(http_session, sandbox, "POST", "/accounts",
                               {"public_key": hex(0x1234567), "balance": "250"})
    assert status == 201 and body["public_key"] == hex(0x1234567)
    assert sandbox.engine.ledger.get(body["address"]).balance == Decimal(250)
