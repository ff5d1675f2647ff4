"""the unified order methods: create, batch, cancel, fetch, edit."""
from __future__ import annotations


class TradingMixin:
    pass
