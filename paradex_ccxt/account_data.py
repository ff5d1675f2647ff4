"""balance, positions, leverage, margin mode, fees, fills in ccxt shapes."""
from __future__ import annotations


class AccountDataMixin:
    pass
