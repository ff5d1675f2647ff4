"""`python -m paradex_ccxt demo`: see paradex_ccxt/demo.py."""
from __future__ import annotations

import sys

from .demo import main

COMMANDS = {"demo": main}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit("usage: python -m paradex_ccxt demo [--testnet] [--seed N]")
    COMMANDS[sys.argv[1]](sys.argv[2:])
