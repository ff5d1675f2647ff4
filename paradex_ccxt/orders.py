"""Paradex order <-> unified order: the status table, field mapping, request bodies."""
from __future__ import annotations


class OrdersMixin:
    pass
