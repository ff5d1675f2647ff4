"""A local Paradex: a Paradex-compatible REST server to develop, dry-run and test bots with no account and no network.

In-process (tests, benchmarks, the demo)::

    from paradex_ccxt.sandbox import Sandbox

    async with Sandbox(seed=7, jwt_lifetime=300, cancel_delay=0.05) as sb:
        sb.url          # "http://127.0.0.1:<random free port>"
        sb.api_url      # sb.url + "/v1": Paradex's REST base, what ccxt calls urls['api']['v1']
        account = sb.create_account()                    # onboarded and funded with USDC, random Stark key
        exchange = paradex_ccxt.paradex({"options": {"paradexAccount": account.paradex_account}})
        exchange.urls["api"] = {"v1": sb.api_url}
        sb.faults.drop_after(method="POST", path="/v1/orders")   # the next order is placed, its answer lost
        sb.engine.mark_price("BTC-USD-PERP"); sb.engine.ledger.get(hex(account.address)).balance

ccxt's built-in class works the same way (it onboards itself from an Ethereum key):
``ccxt.async_support.paradex({"privateKey": eth_key, "walletAddress": eth_address})`` with
``urls["api"] = {"v1": sb.api_url, "v2": sb.url + "/v2"}``. So does Paradex's official SDK, paradex-py (it fetches
the system config, onboards and logs in at construction): ``Paradex(env="testnet", l1_address=eth_address,
l1_private_key=eth_key, api_base_url=sb.api_url)``; its ``ParadexL2`` / ``ParadexSubkey`` take no base URL, so give
them an httpx client whose request hook sends ``api.testnet.paradex.trade`` to the sandbox. Streams: ``sb.ws_url``
(``ws://…/v1``, Paradex's JSON-RPC WebSocket API, see ws.py), ``Sandbox(ws=WsSettings(...))``, ``sb.stream_faults``.

From a synchronous program: ``with Sandbox(seed=7).running() as sb: ...`` serves from a background thread.
From the shell: ``python -m paradex_ccxt.sandbox --port 8080`` (see ``--help``); another process controls it over
HTTP under ``/_sandbox``: ``POST/GET/DELETE /_sandbox/faults[/{id}]`` (a `Fault` as JSON),
``POST /_sandbox/accounts`` ``{"public_key", "balance"?}``, ``POST /_sandbox/system/state`` ``{"status"}``.

Keyword arguments of ``Sandbox`` are the fields of ``Settings`` (seed, markets, jwt_lifetime, cancel_delay,
risk_delay, latency, rate_limits, max_clock_skew, starting_balance, liquidity, history_limit). The server binds
127.0.0.1 unless told otherwise. ``clock`` (a callable returning unix seconds) drives everything time-dependent:
prices, JWT expiry, timestamps; tests can pass a controllable one.
"""
from __future__ import annotations

import asyncio
import contextlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aiohttp import web

from .. import signing
from .engine import Engine
from .faults import Fault, FaultKind, Faults
from .ratelimit import Limit, RateLimitPolicy
from .server import Settings, State, build_app
from .ws import HUB, StreamFaults, WsSettings

__all__ = ["Fault", "FaultKind", "Faults", "Limit", "RateLimitPolicy", "Sandbox", "SandboxAccount", "Settings",
           "StreamFaults", "WsSettings"]


@dataclass(frozen=True)
class SandboxAccount:
    """An onboarded sandbox account. The private key is the sandbox's own test key, never a real one."""

    private_key: int
    public_key: int
    address: int

    @property
    def paradex_account(self) -> dict[str, str]:
        """The value of the exchange option `paradexAccount` (L2-key credential mode)."""
        return {"privateKey": hex(self.private_key), "publicKey": hex(self.public_key), "address": hex(self.address)}

    def __repr__(self) -> str:
        return f"SandboxAccount(address={hex(self.address)}, public_key={hex(self.public_key)})"


class Sandbox:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, clock: Callable[[], float] = time.time,
                 **settings: Any) -> None:
        self.host = host
        self.requested_port = port
        self.settings = Settings(**settings)
        self.state = State(self.settings, clock)
        self.app = build_app(self.state)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # -- lifecycle -----------------------------------------------------------------------------------------------

    async def start(self) -> Sandbox:
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.requested_port)
        await site.start()
        self._runner = runner
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self.state.drop_pending_cancels()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @contextlib.contextmanager
    def running(self) -> Iterator[Sandbox]:
        """Serve from a background thread with its own event loop, for synchronous callers.

        The sandbox's state belongs to that thread: from the caller's thread, set it up (accounts, faults) before
        sending requests, or between them.
        """
        loop = asyncio.new_event_loop()
        started = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread below
                failure.append(error)
                return
            finally:
                started.set()
            loop.run_forever()

        thread = threading.Thread(target=serve, name="paradex-sandbox", daemon=True)
        thread.start()
        started.wait()
        if failure:
            thread.join()
            loop.close()
            raise failure[0]
        try:
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(self.stop(), loop).result()
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()

    # -- addresses -----------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the sandbox is not running: use `async with Sandbox(...)` or await start()")
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Paradex's REST base: what ccxt calls urls['api']['v1']."""
        return self.url + "/v1"

    @property
    def ws_url(self) -> str:
        """Paradex's WebSocket endpoint: what ccxt calls urls['api']['ws']."""
        return self.url.replace("http://", "ws://", 1) + "/v1"

    # -- the parts a test reaches into -----------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        return self.state.faults

    @property
    def stream_faults(self) -> StreamFaults:
        """Faults of the WebSocket endpoint (drop connections, ignore pings, delay / reorder, expire JWTs, ...)."""
        return self.app[HUB].faults

    @property
    def engine(self) -> Engine:
        """The exchange itself (orders, books, prices); `sb.engine.ledger` holds accounts and balances."""
        return self.state.engine

    @property
    def chain_id(self) -> str:
        return self.state.chain_id

    def create_account(self, private_key: int | str | None = None, *, eth_address: str | None = None,
                       balance: Decimal | str | None = None) -> SandboxAccount:
        """Onboard (and fund) the account of a Stark key, as POST /v1/onboarding would; a random key if none."""
        if isinstance(private_key, str):
            private_key = int(private_key, 16)
        if private_key is None:
            private_key = secrets.randbelow(signing.EC_ORDER - 1) + 1
        signer = signing.StarkSigner(private_key)
        address = self.state.onboard(signer.public_key, eth_address,
                                     Decimal(balance) if balance is not None else None)
        return SandboxAccount(private_key, signer.public_key, address)

    def expire_tokens(self) -> None:
        """Every login JWT issued so far stops working now (as if the server forgot its sessions); account API
        tokens, stored credentials, keep working."""
        self.state.tokens.expire_all()
