"""`python -m paradex_ccxt.sandbox` and the threaded runner: a sandbox for programs that are not this test's loop."""
from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
import urllib.request
from decimal import Decimal

import pytest

from paradex_ccxt import paradex
from paradex_ccxt.sandbox import Sandbox, SandboxAccount
from paradex_ccxt.sandbox.__main__ import credentials_text, main, parse_args, sandbox_from


async def read_until(stream: asyncio.StreamReader, marker: str) -> str:
    text = ""
    while marker not in text:
        line = await asyncio.wait_for(stream.readline(), 30)
        assert line, text
        text += line.decode()
    return text


async def test_command_serves_until_interrupted_and_prints_ready_to_use_credentials():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "paradex_ccxt.sandbox", "--port", "0", "--seed", "3", "--no-rate-limits",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        banner = await read_until(process.stdout, "Ctrl-C to stop.")
        url = re.search(r"REST base (http://127\.0\.0\.1:\d+/v1)", banner).group(1)
        config = json.loads(re.search(r"ccxt config:\n +(\{.*\})\n", banner).group(1))
        exchange = paradex(config)
        try:
            balance = await exchange.fetch_balance()
        finally:
            await exchange.close()
        assert config["urls"]["api"]["v1"] == url
        assert balance["USDC"]["total"] == 100000
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == 0


def test_printed_credentials_hold_the_ccxt_freqtrade_and_environment_forms():
    account = SandboxAccount(private_key=0xabc, public_key=0xdef, address=0x123)
    text = credentials_text(1, account, "http://127.0.0.1:8080/v1", Decimal(100000))
    lines = text.splitlines()
    assert json.loads(lines[2]) == {"options": {"paradexAccount": {"privateKey": "0xabc", "address": "0x123"}},
                                    "urls": {"api": {"v1": "http://127.0.0.1:8080/v1"}}}
    assert json.loads(lines[4]) == {"name": "paradex", "private_key": "0xabc", "wallet_address": "0x123",
                                    "ccxt_config": {"urls": {"api": {"v1": "http://127.0.0.1:8080/v1"}}}}
    assert lines[6].split() == ["export", "PARADEX_CCXT_API_URL=http://127.0.0.1:8080/v1",
                                "PARADEX_L2_PRIVATE_KEY=0xabc", "PARADEX_L2_ADDRESS=0x123"]


def test_command_creates_one_account_unless_told_otherwise():
    assert parse_args([]).accounts == 1


def command_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


def test_busy_port_is_one_line_and_exit_status_1(capsys):
    with Sandbox().running() as first:
        err = command_error(capsys, "--port", str(first.port))
    assert err.startswith(f"python -m paradex_ccxt.sandbox: cannot listen on 127.0.0.1:{first.port}")


def test_unknown_market_is_one_line_naming_the_known_ones(capsys):
    err = command_error(capsys, "--markets", "BTC-USD-PERP,FOO-USD-PERP")
    assert "unknown market FOO-USD-PERP" in err and "ETH-USD-PERP" in err


def test_balance_that_is_no_number_is_one_line(capsys):
    assert "--balance 'lots' is not a number" in command_error(capsys, "--balance", "lots")


def test_unreadable_state_file_is_one_line(capsys, tmp_path):
    state = tmp_path / "sandbox.json"
    state.write_text("{not json")
    assert f"{state}: cannot read a sandbox state" in command_error(capsys, "--state", str(state))


async def test_command_saves_its_accounts_to_the_state_file_when_interrupted(tmp_path):
    state = tmp_path / "sandbox.json"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "paradex_ccxt.sandbox", "--port", "0", "--accounts", "2", "--state", str(state),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await read_until(process.stdout, "Ctrl-C to stop.")
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == 0
    assert len(json.loads(state.read_text())["accounts"]) == 2


def test_state_file_in_a_missing_folder_is_one_line(capsys, tmp_path):
    assert "does not exist" in command_error(capsys, "--state", str(tmp_path / "nowhere" / "sandbox.json"))


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
