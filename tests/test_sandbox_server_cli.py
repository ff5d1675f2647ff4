"""`python -m paradex_ccxt.sandbox` and the threaded runner: a sandbox for programs that are not this test's loop."""
from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
import urllib.request

import aiohttp
import pytest

from paradex_ccxt.sandbox import Sandbox
from paradex_ccxt.sandbox.__main__ import parse_args, sandbox_from


async def test_command_serves_until_interrupted_and_prints_url_and_accounts():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "paradex_ccxt.sandbox", "--port", "0", "--seed", "3", "--accounts", "1",
        "--no-rate-limits", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        banner = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        url = re.search(r"REST base (http://127\.0\.0\.1:\d+/v1)", banner).group(1)
        account_line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        account = json.loads(account_line.removeprefix("account:"))
        assert set(account) == {"privateKey", "publicKey", "address"}
        async with aiohttp.ClientSession() as session:
            async with session.get(url + "/onboarding", params={"account_signer_type": "starknet",
                                                                "public_key": account["publicKey"]}) as response:
                body = await response.json()
        assert body["exists"] is True and body["address"] == account["address"]
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == 0


def test_command_options_become_sandbox_settings():
    sandbox = sandbox_from(parse_args(["--seed", "9", "--markets", "BTC-USD-PERP,ETH-USD-PERP", "--latency", "0.1",
                                       "--jwt-lifetime", "60", "--cancel-delay", "0.2", "--risk-delay", "0.1",
                                       "--balance", "500", "--no-rate-limits"]))
    settings = sandbox.settings
    assert (settings.seed, settings.markets, settings.latency) == (9, ("BTC-USD-PERP", "ETH-USD-PERP"), 0.1)
    assert (settings.jwt_lifetime, settings.cancel_delay, settings.risk_delay) == (60, 0.2, 0.1)
    assert str(settings.starting_balance) == "500"
    assert settings.rate_limits is None
    assert sandbox.host == "127.0.0.1"


def test_running_serves_synchronous_callers_from_a_thread():
    with Sandbox(seed=1).running() as sandbox:
        with urllib.request.urlopen(sandbox.api_url + "/system/state") as response:
            assert json.loads(response.read()) == {"status": "ok"}


def test_running_reports_a_port_it_cannot_bind():
    with Sandbox().running() as first:
        with pytest.raises(OSError):
            with Sandbox(port=first.port).running():
                pass
