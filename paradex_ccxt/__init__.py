"""Paradex as a drop-in ccxt exchange (async), with an embedded Paradex-compatible sandbox."""
from __future__ import annotations

__version__ = "0.1.0"

from .exchange import paradex  # noqa: E402

__all__ = ["paradex", "register", "unregister", "__version__"]


def __getattr__(name: str):
    # Loaded on first use, so that `python -m paradex_ccxt.compat` does not find its module already imported.
    if name in ("register", "unregister"):
        from . import compat

        return getattr(compat, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
