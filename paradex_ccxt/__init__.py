"""Paradex as a drop-in ccxt exchange (async), with an embedded Paradex-compatible sandbox."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["paradex", "register", "unregister", "__version__"]


def __getattr__(name: str):
    # Loaded on first use: the sandbox (paradex_ccxt.sandbox) runs without ccxt installed, and
    # `python -m paradex_ccxt.compat` must not find its module already imported.
    if name == "paradex":
        from .exchange import paradex

        return paradex
    if name in ("register", "unregister"):
        from . import compat

        return getattr(compat, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
