"""Put our classes where bot frameworks look exchanges up by name: ``getattr(ccxt_module, "paradex")(config)``.

Frameworks such as freqtrade instantiate exchanges from ``ccxt`` (synchronous), ``ccxt.async_support`` and
``ccxt.pro`` by the name the user configured, after checking it against ``<module>.exchanges``. ccxt ships its own
``paradex`` there. After ``register()``:

- ``ccxt.paradex`` is ``paradex_ccxt.sync.paradex`` (blocking);
- ``ccxt.async_support.paradex`` and ``ccxt.pro.paradex`` are ``paradex_ccxt.paradex`` (async, with the
  ``watch_*`` streams of streaming.py; ``has`` says which: a framework that asks ``has['watchOHLCV']`` (False,
  Paradex streams no candles) falls back to REST);
- ``"paradex"`` stays in each module's ``exchanges`` list.

Only the attribute lookup on those three modules changes: code that imported ccxt's class directly
(``from ccxt.async_support.paradex import paradex``) keeps ccxt's. ``register()`` is idempotent and returns the
classes it displaced; ``unregister()`` puts them back.

A framework that builds its exchange before loading user code must be started with the registration already done::

    python -m paradex_ccxt.compat -m freqtrade trade --config config.json
    python -m paradex_ccxt.compat path/to/script.py [args...]
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import runpy
import sys
from typing import Any

from .exchange import paradex as AsyncParadex
from .sync import paradex as SyncParadex

EXCHANGE_ID = "paradex"
# Module -> the class `register()` puts there.
TARGETS: dict[str, type] = {
    "ccxt": SyncParadex,
    "ccxt.async_support": AsyncParadex,
    "ccxt.pro": AsyncParadex,
}

# Module -> what it held before the first register(); None while not registered.
_displaced: dict[str, Any] | None = None
# Modules whose `exchanges` list lacked the id and got it from us.
_listed_by_us: list[str] = []
_MISSING = object()


def register() -> dict[str, Any]:
    """Make ``paradex`` in ccxt, ccxt.async_support and ccxt.pro name our classes.

    Returns ``{module name: the class it held before}`` (the same dict on every call while registered).
    """
    global _displaced
    if _displaced is not None:
        return _displaced
    displaced: dict[str, Any] = {}
    for module_name, cls in TARGETS.items():
        module = importlib.import_module(module_name)
        displaced[module_name] = getattr(module, EXCHANGE_ID, _MISSING)
        setattr(module, EXCHANGE_ID, cls)
        exchanges = module.exchanges
        if EXCHANGE_ID not in exchanges:
            exchanges.append(EXCHANGE_ID)
            _listed_by_us.append(module_name)
    _displaced = displaced
    return displaced


def unregister() -> None:
    """Undo ``register()``: each module gets back what it held. A no-op when not registered."""
    global _displaced
    if _displaced is None:
        return
    for module_name, previous in _displaced.items():
        module = importlib.import_module(module_name)
        if previous is _MISSING:
            delattr(module, EXCHANGE_ID)
        else:
            setattr(module, EXCHANGE_ID, previous)
    for module_name in _listed_by_us:
        importlib.import_module(module_name).exchanges.remove(EXCHANGE_ID)
    _listed_by_us.clear()
    _displaced = None


def is_registered() -> bool:
    return _displaced is not None


USAGE = "usage: python -m paradex_ccxt.compat (-m module | script.py) [args...]"


def main(argv: list[str]) -> None:
    """Register, then run a module (``-m name args...``) or a script (``path args...``) as ``python`` would."""
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE + "\n\nRuns the module or script with ccxt's `paradex` replaced by paradex_ccxt's classes "
              "(ccxt, ccxt.async_support, ccxt.pro).")
        return
    if not argv or (argv[0] == "-m" and len(argv) < 2):
        raise SystemExit(USAGE)
    if argv[0] == "-m":
        # Registered first: finding a submodule imports its package, which may build an exchange at import.
        register()
        _require_module(argv[1])
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        if not os.path.exists(argv[0]):
            raise SystemExit(f"python -m paradex_ccxt.compat: can't open file {argv[0]!r}: no such file")
        register()
        sys.argv = list(argv)
        # `python script.py` puts the script's folder first on sys.path, so its sibling modules import.
        sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
        runpy.run_path(argv[0], run_name="__main__")


def _require_module(name: str) -> None:
    """One line, as `python -m` gives, for a module that does not exist (an import failing inside it is the
    module's own error and keeps its traceback)."""
    try:
        found = importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        raise SystemExit(f"python -m paradex_ccxt.compat: no module named {name!r}")


if __name__ == "__main__":
    # Through the package module, so the registration state is the one `paradex_ccxt.compat` callers see.
    from paradex_ccxt.compat import main as _main

    _main(sys.argv[1:])
