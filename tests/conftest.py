"""Shared fixtures: the cassette rig, the test account, and exchanges ready for cassette replay."""
from __future__ import annotations

import json
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from paradex_ccxt import paradex
from tests.cassette_rig import paradex_vcr

# The running-sandbox fixtures (sandbox, sandbox_account, sandbox_exchange, make_sandbox, ...) for every test file.
pytest_plugins = ["tests.sandbox_fixture"]

DATA = Path(__file__).resolve().parent / "data"

# Fixed, obviously fake test account "B" of the signing vectors (testnet address). Never fund it.
TEST_L2_PRIVATE_KEY = "0x202020202020202020202020202020202020202020202020202020202020202"
TEST_L2_ADDRESS = "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32"
# A bearer token that cannot be mistaken for a real JWT (the cassette scrub test looks for real ones).
TEST_BEARER = "test-bearer-token"
# Re-recording (README): PARADEX_RECORD_MODE=once with a testnet account in PARADEX_L2_PRIVATE_KEY and
# PARADEX_L2_ADDRESS; the fixtures then log in and load markets for real, and the rig scrubs what it writes.
RECORDING = os.environ.get("PARADEX_RECORD_MODE", "none") != "none"


def load_json(name: str) -> object:
    return json.loads((DATA / name).read_text())


def system_config_testnet() -> dict:
    vectors = load_json("paradex_signing.json")
    return dict(vectors["inputs"]["system_config_testnet"])  # type: ignore[index]


@pytest.fixture
def vcr_cassette():
    """`with vcr_cassette("area/name.yaml"): ...` replays cassettes/area/name.yaml (record mode none)."""
    return paradex_vcr.use_cassette


def cassette_account() -> dict[str, str]:
    """options['paradexAccount'] of the tests: the fixed fake account, or the testnet one being recorded with."""
    if not RECORDING:
        return {"privateKey": TEST_L2_PRIVATE_KEY, "address": TEST_L2_ADDRESS}
    key, address = os.environ.get("PARADEX_L2_PRIVATE_KEY"), os.environ.get("PARADEX_L2_ADDRESS")
    if not key or not address:
        pytest.exit("recording cassettes needs PARADEX_L2_PRIVATE_KEY and PARADEX_L2_ADDRESS (a testnet account)")
    return {"privateKey": key, "address": address}


@pytest.fixture
async def exchange() -> AsyncIterator[paradex]:
    """A testnet-mode exchange with the test L2 account and the testnet system config preloaded."""
    options: dict = {"paradexAccount": cassette_account()}
    if not RECORDING:
        options["systemConfig"] = system_config_testnet()
        # A replayed request that "got no answer" may be sent again once its recv_window has run out: keep that short.
        options["orderRecvWindow"] = 100
        options["recvWindowMargin"] = 0
    # timeout_on_exit: ccxt sleeps this long in close() for TLS peers to finish; nothing here needs it.
    ex = paradex({"timeout_on_exit": 0, "options": options})
    ex.set_sandbox_mode(True)
    if not RECORDING:
        # Replays run at another time than the recording: our clock's lead over Paradex's counts as measured, 0.
        ex.clock_lead = (ex.milliseconds(), 0)
    try:
        yield ex
    finally:
        await ex.close()


@pytest.fixture
async def trader(exchange: paradex) -> paradex:
    """`exchange`, logged in (a bearer token pre-seeded, so cassettes need no auth call) with markets loaded
    from tests/data/markets.json, a real-shaped GET /v1/markets response."""
    if RECORDING:
        await exchange.load_markets()
        return exchange
    exchange.jwt_session.adopt(TEST_BEARER, expires_at=time.time() + 3600)
    raw = load_json("markets.json")
    exchange.set_markets([exchange.parse_market(m) for m in raw["results"]])  # type: ignore[index]
    return exchange


@pytest.fixture
async def trading(sandbox_exchange: paradex) -> paradex:
    """`sandbox_exchange` with markets loaded, cancels confirmed by quick look-ups, and a 2 s request timeout (so a
    lost order's recv_window runs out, and it can be sent again, after 2 s; the sandbox shares our clock)."""
    sandbox_exchange.options["cancelOrderConfirmInterval"] = 20
    sandbox_exchange.options["recvWindowMargin"] = 50
    sandbox_exchange.timeout = 2000
    await sandbox_exchange.load_markets()
    return sandbox_exchange
