"""ccxt's own exchange test suite (shipped inside the ccxt package) passes against our class on the sandbox.

The suite is run as ccxt runs it for an exchange with keys (public and private methods; its order placement test,
--fundedTests, reads a spot balance of the base currency and does not apply to perpetuals), on an account with a
position, fills, an open and a cancelled order and a bridged deposit.
Skips, each with its reason: tests/data/ccxt_skip_tests.json.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from paradex_ccxt import paradex
from paradex_ccxt.sandbox import Sandbox

REPO = Path(__file__).resolve().parent.parent
DRIVER = REPO / "tests" / "ccxt_suite_driver.py"
SYMBOL = "BTC/USD:USDC"
# Perpetuals only: see the loadMarkets skip in tests/data/ccxt_skip_tests.json.
MARKETS = ("BTC-USD-PERP", "ETH-USD-PERP", "SOL-USD-PERP")
# Methods the suite must have tested (not skipped as unsupported or untested) for this run to mean anything.
TESTED = ["afterConstruct", "features", "loadMarkets", "fetchCurrencies", "fetchTicker", "fetchTickers", "fetchOHLCV", "fetchTrades",
          "fetchOrderBook", "fetchStatus", "fetchFundingRateHistory", "fetchBalance", "fetchTradingFees",
          "fetchOrders", "fetchOpenOrders", "fetchClosedOrders", "fetchMyTrades", "fetchDeposits",
          "fetchWithdrawals", "fetchTransfers", "fetchPositions"]


async def _account_with_history(sandbox: Sandbox) -> dict:
    account = sandbox.create_account()
    exchange = paradex({"options": {"paradexAccount": account.paradex_account}})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        await exchange.load_markets()
        await exchange.create_order(SYMBOL, "market", "buy", 0.01)
        bid = (await exchange.fetch_ticker(SYMBOL))["bid"]
        await exchange.create_order(SYMBOL, "limit", "buy", 0.01, exchange.price_to_precision(SYMBOL, bid * 0.8))
        cancelled = await exchange.create_order(SYMBOL, "limit", "buy", 0.01,
                                                exchange.price_to_precision(SYMBOL, bid * 0.7))
        await exchange.cancel_order(cancelled["id"], SYMBOL)
    finally:
        await exchange.close()
    return account.paradex_account


async def _run_suite(root: Path) -> tuple[int, str]:
    async with Sandbox(seed=7, markets=MARKETS, rate_limits=None, cancel_delay=0.05) as sandbox:
        credentials = await _account_with_history(sandbox)
        (root / "keys.local.json").write_text(json.dumps({"paradex": {
            "options": {"paradexAccount": credentials}, "urls": {"api": {"v1": sandbox.api_url}}}}))
        env = dict(os.environ, CCXT_SUITE_ROOT=str(root), PYTHONPATH=str(REPO))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "paradex_ccxt.compat", str(DRIVER), "paradex", "--private", "--info", cwd=root,
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=240)
    return process.returncode, output.decode()


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> tuple[int, str]:
    root = tmp_path_factory.mktemp("ccxt_suite")
    shutil.copy(REPO / "tests" / "data" / "ccxt_skip_tests.json", root / "skip-tests.json")
    return asyncio.run(_run_suite(root))


def test_ccxt_suite_reports_no_failure(suite):
    returncode, output = suite
    failures = [line for line in output.splitlines() if "[TEST_FAILURE]" in line]
    assert (returncode, failures) == (0, []), output[-6000:]


@pytest.mark.parametrize("method", TESTED)
def test_ccxt_suite_tested_method(suite, method):
    _, output = suite
    assert re.search(rf"\[INFO\] TESTING DONE\s+paradex {method}\b", output), output[-6000:]
