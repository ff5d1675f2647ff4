"""freqtrade end to end against the sandbox, through the launcher (``python -m paradex_ccxt.freqtrade``).

Run where freqtrade is installed (CI's second command: ``pip install -e '.[freqtrade,test]'`` in its own virtual
environment, then ``pytest tests/freqtrade``); skipped elsewhere.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paradex_ccxt.sandbox import Sandbox

if importlib.util.find_spec("freqtrade") is None:
    collect_ignore_glob = ["test_*.py"]

PAIR = "BTC/USD:USDC"
MARKET = "BTC-USD-PERP"
STRATEGIES = Path(__file__).parent / "strategies"
SEED = 11


def base_config(sandbox: Sandbox, account: Any | None, userdir: Path, **extra: Any) -> dict:
    exchange: dict[str, Any] = {
        "name": "paradex",
        "pair_whitelist": [PAIR],
        "ccxt_config": {"urls": {"api": {"v1": sandbox.api_url}}},
        "ccxt_async_config": {"urls": {"api": {"v1": sandbox.api_url}}},
    }
    if account is not None:
        exchange["private_key"] = account.paradex_account["privateKey"]
        exchange["wallet_address"] = account.paradex_account["address"]
    config = {
        "trading_mode": "futures",
        "margin_mode": "cross",
        "stake_currency": "USD",
        "stake_amount": 1000,
        "max_open_trades": 1,
        "timeframe": "1h",
        "dry_run": True,
        "dry_run_wallet": 10000,
        "user_data_dir": str(userdir),
        "datadir": str(userdir / "data"),
        "strategy": "HoldForHours",
        "strategy_path": str(STRATEGIES),
        "entry_pricing": {"price_side": "other", "use_order_book": False},
        "exit_pricing": {"price_side": "other", "use_order_book": False},
        "exchange": exchange,
        "pairlists": [{"method": "StaticPairList"}],
        "internals": {"process_throttle_secs": 1},
        "db_url": f"sqlite:///{userdir / 'trades.sqlite'}",
    }
    config.update(extra)
    return config


def write_config(path: Path, config: dict) -> Path:
    path.write_text(json.dumps(config))
    return path


def launcher(*args: str, **kwargs: Any) -> subprocess.CompletedProcess:
    """The documented way: ``python -m paradex_ccxt.freqtrade <subcommand> ...``."""
    return subprocess.run([sys.executable, "-m", "paradex_ccxt.freqtrade", *args], check=False, capture_output=True, text=True,
                          timeout=kwargs.pop("timeout", 240), **kwargs)


def start_launcher(*args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "paradex_ccxt.freqtrade", *args, "--logfile", str(log)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


@pytest.fixture(scope="package")
def public_sandbox() -> Iterator[Sandbox]:
    """A sandbox on the real clock, for market data."""
    with Sandbox(seed=SEED, rate_limits=None).running() as sandbox:
        yield sandbox


def make_userdir(path: Path) -> Path:
    """A freqtrade user directory: data and the test strategies."""
    (path / "data").mkdir()
    shutil.copytree(STRATEGIES, path / "strategies")
    return path


@pytest.fixture(scope="package")
def userdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_userdir(tmp_path_factory.mktemp("freqtrade"))
