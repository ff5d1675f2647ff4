"""Pytest fixtures for tests that need a running sandbox (import them in conftest.py).

    async def test_something(sandbox, sandbox_account):
        ...                                   # sandbox: a running Sandbox on 127.0.0.1:<random>, rate limits off

    async def test_with_options(make_sandbox):
        sb = await make_sandbox(jwt_lifetime=2, cancel_delay=0.2)   # stopped at teardown

    async def test_trading(sandbox_exchange):
        await sandbox_exchange.load_markets()  # our paradex class, logged in as sandbox_account
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from paradex_ccxt.sandbox import Sandbox, SandboxAccount

# Fixed seed: every test sees the same prices and background trades.
SEED = 7


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
