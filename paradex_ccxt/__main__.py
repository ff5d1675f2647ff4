"""`python -m paradex_ccxt demo` (paradex_ccxt/demo.py) and `python -m paradex_ccxt onboard` (paradex_ccxt/onboard.py)."""
from __future__ import annotations

import sys

from . import demo, onboard

COMMANDS = {"demo": demo.main, "onboard": onboard.main}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit("usage: python -m paradex_ccxt demo [--testnet] [--seed N]\n"
                         "       python -m paradex_ccxt onboard --config config.json [--testnet]")
    COMMANDS[sys.argv[1]](sys.argv[2:])
