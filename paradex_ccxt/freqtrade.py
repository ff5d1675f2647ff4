"""Run freqtrade on Paradex: ``python -m paradex_ccxt.freqtrade <any freqtrade subcommand> ...``.

Every freqtrade subcommand that touches the exchange (``trade``, ``download-data``, ``backtesting``, ``list-pairs``,
``list-markets``, ``test-pairlist``, ...) must go through this launcher: plain ``freqtrade`` knows only ccxt's
built-in ``paradex`` class and its generic exchange class, which refuses futures. The launcher registers this
package's ccxt classes under the name ``paradex`` (``paradex_ccxt.compat.register``) and gives freqtrade its Paradex
exchange class (``paradex_ccxt.freqtrade_exchange``), then runs freqtrade's own command line, so both are in place
before freqtrade builds its exchange.

freqtrade is an optional dependency: ``pip install 'paradex-ccxt[freqtrade]'``.

Configuration: ``"trading_mode": "futures"``, ``"margin_mode": "cross"``, ``"stake_currency": "USD"``, and under
``"exchange"``: ``"name": "paradex"``, ``"private_key"`` / ``"wallet_address"`` (README: credential modes), pairs like
``"BTC/USD:USDC"``; ``"ccxt_config": {"urls": {"api": {"v1": "http://127.0.0.1:8080/v1"}}}`` points it at a local
sandbox (``python -m paradex_ccxt.sandbox``).
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

from .compat import register

MISSING = "freqtrade is not installed; install it with: pip install 'paradex-ccxt[freqtrade]'"


def install() -> type:
    """Register the ccxt classes and make ``"name": "paradex"`` resolve to our Paradex class in freqtrade."""
    try:
        import freqtrade.exchange
    except ImportError as error:
        raise ImportError(MISSING) from error
    from .freqtrade_exchange import Paradex

    register()
    freqtrade.exchange.Paradex = Paradex
    return Paradex


def main(argv: Sequence[str] | None = None) -> None:
    try:
        install()
    except ImportError as error:
        raise SystemExit(str(error)) from None
    from freqtrade.main import main as freqtrade_main

    freqtrade_main(list(argv) if argv is not None else None)


if __name__ == "__main__":
    main(sys.argv[1:])
