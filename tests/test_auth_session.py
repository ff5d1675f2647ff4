"""The JWT session: one login at a time, refresh before expiry, forget rejected tokens."""
from __future__ import annotations

import asyncio
import base64
import json

from paradex_ccxt.auth import DEFAULT_LIFETIME_SECONDS, JwtSession, jwt_expiry
from tests.clocks import ManualClock


def fake_jwt(exp: float) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part({'exp': exp})}.sig"


class CountingLogin:
    def __init__(self, clock: ManualClock, lifetime: float = 300.0, delay: float = 0.0) -> None:
        self.clock, self.lifetime, self.delay, self.calls = clock, lifetime, delay, 0

    async def __call__(self) -> str:
        self.calls += 1
        await asyncio.sleep(self.delay)
        return fake_jwt(self.clock.now + self.lifetime) + str(self.calls)


async def test_concurrent_callers_share_one_login():
    clock = ManualClock(1_000_000.0)
    login = CountingLogin(clock, delay=0.01)
    session = JwtSession(login, clock=clock)
    tokens = await asyncio.gather(*(session.token() for _ in range(20)))
    assert login.calls == 1
    assert len(set(tokens)) == 1


async def test_live_token_is_reused_without_login():
    clock = ManualClock(1_000_000.0)
    login = CountingLogin(clock)
    session = JwtSession(login, clock=clock, refresh_margin=60)
    first = await session.token()
    clock.now += 200
    assert await session.token() == first
    assert login.calls == 1


async def test_token_is_refreshed_before_it_expires():
    clock = ManualClock(1_000_000.0)
    login = CountingLogin(clock, lifetime=300)
    session = JwtSession(login, clock=clock, refresh_margin=60)
    first = await session.token()
    clock.now += 241  # 59 s left: inside the refresh margin
    second = await session.token()
    assert second != first
    assert login.calls == 2


async def test_invalidated_token_triggers_one_new_login():
    clock = ManualClock(1_000_000.0)
    login = CountingLogin(clock)
    session = JwtSession(login, clock=clock)
    first = await session.token()
    session.invalidate(first)
    assert session.current is None
    second = await session.token()
    assert second != first and login.calls == 2


async def test_invalidating_a_stale_token_keeps_the_newer_one():
    clock = ManualClock(1_000_000.0)
    login = CountingLogin(clock)
    session = JwtSession(login, clock=clock)
    first = await session.token()
    session.invalidate(first)
    second = await session.token()
    session.invalidate(first)  # a late 401 for the old token must not throw away the new one
    assert session.current == second
    assert login.calls == 2


async def test_token_without_readable_expiry_lives_five_minutes():
    clock = ManualClock(1_000_000.0)

    async def opaque_login() -> str:
        return "opaque-token"

    session = JwtSession(opaque_login, clock=clock, refresh_margin=0)
    await session.token()
    clock.now += DEFAULT_LIFETIME_SECONDS - 1
    assert session.current == "opaque-token"
    clock.now += 2
    assert session.current is None


def test_jwt_expiry_reads_the_exp_claim():
    assert jwt_expiry(fake_jwt(1234567890)) == 1234567890.0


def test_jwt_expiry_of_garbage_is_none():
    assert jwt_expiry("not-a-jwt") is None


async def test_adopted_token_is_used_until_its_expiry():
    clock = ManualClock(1_000_000.0)
    login = CountingLogin(clock)
    session = JwtSession(login, clock=clock, refresh_margin=0)
    session.adopt("api-token", expires_at=clock.now + 10)
    assert await session.token() == "api-token"
    clock.now += 11
    await session.token()
    assert login.calls == 1


async def test_a_token_shorter_lived_than_the_margin_is_reused_for_half_its_life():
    clock = ManualClock(1_000_000.0)
    login = CountingLogin(clock, lifetime=10)
    session = JwtSession(login, clock=clock, refresh_margin=60)
    first = await session.token()
    clock.now += 4
    assert await session.token() == first
    clock.now += 2
    assert await session.token() != first
    assert login.calls == 2
