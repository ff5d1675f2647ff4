"""Pytest fixtures for tests that need a running sandbox (import them in conftest.py).

    async def test_something(sandbox, sandbox_account):
        ...                                   # sandbox: a running Sandbox on 127.0.0.1:<random>, rate limits off

    async def test_with_options(make_sandbox):
        sb = await make_sandbox(jwt_lifetime=2, cancel_delay=0.2)   # stopped at teardown

    async def test_trading(sandbox_exchange):
        await sandbox_exchange.load_markets()  # our paradex class, trading as sandbox_account

    async def test_raw_http(sandbox_client):
        status, body, _ = await sandbox_client.post("/orders", sandbox_client.order("BTC-USD-PERP", "BUY", "LIMIT",
                                                                                    "0.001", "90000"))

`SandboxClient` speaks Paradex's REST API directly (aiohttp, Stark signatures from paradex_ccxt.signing): for tests
of the server itself, where an exchange class would hide status codes and bodies.
"""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from paradex_ccxt import signing
from paradex_ccxt.sandbox import Sandbox, SandboxAccount

# Fixed seed: every test sees the same prices and background trades.
SEED = 7


class SandboxClient:
    """A raw Paradex REST client for one sandbox account: signs logins, orders and modifications itself."""

    def __init__(self, sandbox: Sandbox, account: SandboxAccount, session: aiohttp.ClientSession,
                 signer_key: int | None = None) -> None:
        self.sandbox = sandbox
        self.account = account
        self.session = session
        # A subkey signs for the main account: its private key here, the main address in every hash and header.
        self.signer = signing.StarkSigner(signer_key if signer_key is not None else account.private_key)
        self.jwt: str | None = None
        # Orders are signed at the sandbox's time, so one whose clock a test moves still gets them in its recv_window
        self._timestamps = signing.MonotonicMillis(sandbox.state.now_ms)

    def _signature(self, msg_hash: int) -> str:
        return signing.format_signature(*self.signer.sign(msg_hash))

    def auth_headers(self, timestamp: int | None = None, expiration: int | None = None) -> dict[str, str]:
        timestamp = int(self.sandbox.state.clock()) if timestamp is None else timestamp
        expiration = timestamp + 300 if expiration is None else expiration
        msg_hash = signing.auth_hash(self.sandbox.chain_id, self.account.address, timestamp, expiration)
        return {
            "PARADEX-STARKNET-ACCOUNT": hex(self.account.address),
            "PARADEX-STARKNET-SIGNATURE": self._signature(msg_hash),
            "PARADEX-TIMESTAMP": str(timestamp),
            "PARADEX-SIGNATURE-EXPIRATION": str(expiration),
        }

    async def login(self) -> str:
        status, body, _ = await self.request("POST", f"/auth/{hex(self.signer.public_key)}",
                                             headers=self.auth_headers(), private=False)
        assert status == 200, body
        self.jwt = body["jwt_token"]
        return self.jwt

    def order(self, market: str, side: str, type: str, size: str, price: str | None = None, **extra: Any) -> dict:
        """A signed POST /orders body (price omitted for market-flavoured types when None)."""
        timestamp = self._timestamps.next()
        signed_price = 0 if "MARKET" in type or price is None else signing.chain_units(price)
        msg_hash = signing.order_hash(self.sandbox.chain_id, self.account.address, timestamp, market, side, type,
                                      signing.chain_units(size), signed_price)
        body = {"market": market, "side": side, "type": type, "size": size, "instruction": "GTC",
                "signature": self._signature(msg_hash), "signature_timestamp": timestamp, **extra}
        if price is not None:
            body["price"] = price
        return body

    def modify(self, order_id: str, market: str, side: str, type: str, size: str, price: str, **extra: Any) -> dict:
        """A signed PUT /orders/{id} body."""
        timestamp = self._timestamps.next()
        msg_hash = signing.modify_order_hash(self.sandbox.chain_id, self.account.address, timestamp, market, side,
                                             type, signing.chain_units(size), signing.chain_units(price), order_id)
        return {"id": order_id, "market": market, "side": side, "type": type, "size": size, "price": price,
                "signature": self._signature(msg_hash), "signature_timestamp": timestamp, **extra}

    async def request(self, method: str, path: str, body: Any = None, *, params: dict | None = None,
                      headers: dict | None = None, private: bool = True) -> tuple[int, Any, Any]:
        """(status, parsed JSON body or None when empty, response headers). Logs in first when needed."""
        all_headers = dict(headers or {})
        if private:
            if self.jwt is None:
                await self.login()
            all_headers["Authorization"] = f"Bearer {self.jwt}"
        data = None if body is None else json.dumps(body)
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        async with self.session.request(method, self.sandbox.api_url + path, data=data, params=params,
                                        headers=all_headers) as response:
            text = await response.text()
            return response.status, (json.loads(text) if text else None), response.headers

    async def get(self, path: str, **params: Any) -> tuple[int, Any, Any]:
        return await self.request("GET", path, params={k: str(v) for k, v in params.items()} or None)

    async def post(self, path: str, body: Any = None) -> tuple[int, Any, Any]:
        return await self.request("POST", path, body)

    async def put(self, path: str, body: Any) -> tuple[int, Any, Any]:
        return await self.request("PUT", path, body)

    async def delete(self, path: str, body: Any = None, **params: Any) -> tuple[int, Any, Any]:
        return await self.request("DELETE", path, body, params={k: str(v) for k, v in params.items()} or None)

    async def wait_for(self, order_id: str, status: str, timeout: float = 2.0) -> dict:
        """Poll GET /orders/{id} until the order reaches `status`."""
        deadline = time.monotonic() + timeout
        while True:
            _, order, _ = await self.get(f"/orders/{order_id}")
            if order["status"] == status or time.monotonic() > deadline:
                return order
            await asyncio.sleep(0.01)


class ShiftedClock:
    """Real time plus an offset a test can move forward (a sandbox `clock`)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def sandbox_client(sandbox: Sandbox, sandbox_account: SandboxAccount,
                   http_session: aiohttp.ClientSession) -> SandboxClient:
    return SandboxClient(sandbox, sandbox_account, http_session)


@pytest.fixture
async def make_sandbox() -> AsyncIterator[Callable[..., Awaitable[Sandbox]]]:
    """Start sandboxes with any `Settings` keyword (seed defaults to SEED, rate limits to off)."""
    started: list[Sandbox] = []

    async def make(**settings: Any) -> Sandbox:
        settings.setdefault("seed", SEED)
        settings.setdefault("rate_limits", None)
        sandbox = await Sandbox(**settings).start()
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in reversed(started):
        await sandbox.stop()


@pytest.fixture
async def sandbox(make_sandbox: Callable[..., Awaitable[Sandbox]]) -> Sandbox:
    return await make_sandbox()


@pytest.fixture
def sandbox_account(sandbox: Sandbox) -> SandboxAccount:
    """A funded account on `sandbox` (random key; the starting balance is the sandbox's default)."""
    return sandbox.create_account()


@pytest.fixture
async def sandbox_exchange(sandbox: Sandbox, sandbox_account: SandboxAccount) -> AsyncIterator[Any]:
    """paradex_ccxt.paradex trading as `sandbox_account` against `sandbox` (urls['api']['v1'] = sandbox.api_url)."""
    from paradex_ccxt import paradex

    exchange = paradex({"options": {"paradexAccount": sandbox_account.paradex_account}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        yield exchange
    finally:
        await exchange.close()
