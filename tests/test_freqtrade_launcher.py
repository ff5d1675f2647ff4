"""The freqtrade launcher where freqtrade is not installed: a clear message naming the extra to install."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from paradex_ccxt.freqtrade import MISSING


@pytest.mark.skipif(importlib.util.find_spec("freqtrade") is not None, reason="freqtrade is installed here")
def test_launcher_without_freqtrade_says_how_to_install_it():
    result = subprocess.run([sys.executable, "-m", "paradex_ccxt.freqtrade", "trade"], check=False, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == MISSING
    assert "pip install 'paradex-ccxt[freqtrade]'" in MISSING
