"""Paradex as a drop-in ccxt exchange (async), with an embedded Paradex-compatible sandbox."""
from __future__ import annotations

__version__ = "0.1.0"

from .exchange import paradex  # noqa: E402

__all__ = ["paradex", "__version__"]
