"""Without freqtrade installed, paradex_ccxt.freqtrade says how to install it (freqtrade is an optional extra)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# freqtrade made unimportable whether or not this machine has it, then the module run as `python -m` runs it.
WITHOUT_FREQTRADE = "import runpy, sys; sys.modules['freqtrade'] = None; sys.argv[1:] = ['trade']; " \
                    "runpy.run_module({module!r}, run_name={run_name!r}, alter_sys=True)"


def run(run_name: str) -> subprocess.CompletedProcess[str]:
    code = WITHOUT_FREQTRADE.format(module="paradex_ccxt.freqtrade", run_name=run_name)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))


def test_launcher_without_freqtrade_says_how_to_install_it_in_one_line():
    result = run("__main__")
    assert (result.returncode, result.stderr) == (
        1, "freqtrade is not installed; install it with: pip install 'paradex-ccxt[freqtrade]'\n")


def test_installing_the_exchange_class_without_freqtrade_names_the_extra():
    code = ("import sys; sys.modules['freqtrade'] = None\n"
            "from paradex_ccxt.freqtrade import install\n"
            "try:\n    install()\nexcept ImportError as error:\n    print(error)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                            env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert result.stdout == "freqtrade is not installed; install it with: pip install 'paradex-ccxt[freqtrade]'\n"
