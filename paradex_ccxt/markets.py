"""/v1/markets -> ccxt markets."""
from __future__ import annotations


class MarketsMixin:
    pass
