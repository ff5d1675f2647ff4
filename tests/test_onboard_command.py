"""`python -m paradex_ccxt onboard`: onboarding an Ethereum-key account from a freqtrade configuration."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from paradex_ccxt import sync
from paradex_ccxt.onboard import exchange_settings
from paradex_ccxt.sandbox import Sandbox
from tests.conftest import load_json

VECTORS = load_json("paradex_signing.json")
ETH_KEY = VECTORS["inputs"]["eth_private_key"]  # type: ignore[index]
ETH_ADDRESS = VECTORS["inputs"]["eth_address"]  # type: ignore[index]


def freqtrade_config(api_url: str) -> dict:
    return {"exchange": {"name": "paradex", "private_key": ETH_KEY, "wallet_address": ETH_ADDRESS,
                         "ccxt_config": {"urls": {"api": {"v1": api_url}}}}}


def test_onboard_registers_the_account_freqtrade_will_log_in_with(tmp_path):
    with Sandbox(seed=3, rate_limits=None).running() as sandbox:
        config = tmp_path / "config.json"
        config.write_text(json.dumps(freqtrade_config(sandbox.api_url)))
        result = subprocess.run([sys.executable, "-m", "paradex_ccxt", "onboard", "--config", str(config)],
                                check=False, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        address = VECTORS["accounts"]["A_testnet"]["l2_address"]  # type: ignore[index]
        assert result.stdout.strip() == f"onboarded Paradex account {address}"
        assert ETH_KEY.removeprefix("0x") not in result.stdout + result.stderr
        exchange = sync.paradex(exchange_settings(freqtrade_config(sandbox.api_url)))
        try:
            assert exchange.fetch_balance()["USDC"]["total"] > 0
        finally:
            exchange.close()


def test_onboard_names_the_missing_credential():
    with pytest.raises(SystemExit, match="needs wallet_address"):
        exchange_settings({"exchange": {"private_key": ETH_KEY}})
