"""Helpers for the streaming tests: an exchange streaming from a sandbox, the sandbox's own view of a book."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

from paradex_ccxt import paradex
from paradex_ccxt.sandbox import Sandbox, SandboxAccount

SYMBOL = "BTC/USD:USDC"
MARKET = "BTC-USD-PERP"
T = TypeVar("T")


def streaming_exchange(sandbox: Sandbox, account: SandboxAccount | None = None, **options: Any) -> paradex:
    config: dict[str, Any] = {"options": options}
    if account is not None:
        config["options"]["paradexAccount"] = account.paradex_account
    exchange = paradex(config)
    exchange.urls["api"] = {"v1": sandbox.api_url, "ws": sandbox.ws_url}
    return exchange


async def within(awaitable: Awaitable[T], seconds: float = 5.0) -> T:
    return await asyncio.wait_for(awaitable, seconds)


def sandbox_levels(sandbox: Sandbox, market: str = MARKET) -> tuple[list[list[float]], list[list[float]]]:
    """The sandbox's own book of `market`, every level, in ccxt's [price, size] float shape."""
    book = sandbox.engine.books[market]

    def side(name: str) -> list[list[float]]:
        levels = []
        for price in book.prices[name]:
            size = sum((o.remaining for o in book.levels[name][price]), Decimal(0))
            if size > 0:
                levels.append([float(price), float(size)])
        return sorted(levels, reverse=name == "BUY")

    return side("BUY"), side("SELL")


async def settle(seconds: float = 0.15) -> None:
    """Let frames already sent by the sandbox reach the client."""
    await asyncio.sleep(seconds)


async def until_subscribed(sandbox: Sandbox, *channels: str) -> None:
    """Wait until the sandbox holds every channel on an open connection (the subscription is then live)."""
    from paradex_ccxt.sandbox.ws import HUB

    def held(channel: str) -> bool:
        return any(channel in s.channels and not s.socket.closed for s in sandbox.app[HUB].sessions)

    async def poll() -> None:
        while not all(held(c) for c in channels):
            await asyncio.sleep(0.01)

    await within(poll())


async def first_update(watch: Callable[[], Awaitable[T]], holds: Callable[[T], bool], seconds: float = 10.0) -> T:
    """Watch updates until one satisfies `holds` (the sandbox's liquidity provider may requote between the moment a
    frame was built and the moment a test reads the sandbox); fails after `seconds` without one."""
    async def watch_until() -> T:
        while True:
            update = await watch()
            if holds(update):
                return update

    return await asyncio.wait_for(watch_until(), seconds)
