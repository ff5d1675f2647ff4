"""Shared by the order and trading tests: ccxt's own order validator, Paradex-shaped order payloads, and a way to
make one request fail the way a timeout does (vcrpy can replay answers, not missing ones)."""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from ccxt.test.exchange.base.test_order import test_order as ccxt_test_order

ORDERS = json.loads((Path(__file__).resolve().parent / "data" / "orders" / "orders.json").read_text())
UNIFIED_STATUSES = ("open", "closed", "canceled", "expired", "rejected")


@pytest.fixture
def ex(trader: Any) -> Any:
    """The conftest `trader` (test account, JWT seeded, markets loaded), made quick for replay: no client-side
    throttle, cancel confirmations polled every millisecond, no quarter-second pause when it closes."""
    trader.enableRateLimit = False
    trader.timeout_on_exit = 0
    trader.options["cancelOrderConfirmInterval"] = 1
    return trader


def paradex_order(name: str, **changes: Any) -> dict:
    """A copy of a named Paradex order payload from tests/data/orders/orders.json, with fields changed."""
    return {**ORDERS[name], **changes}


def check_order(exchange: Any, order: dict, symbol: str | None = None) -> None:
    """ccxt's structure check (ccxt/test/exchange/base/test_order.py) plus what it leaves out.

    ccxt's checker lists only open/closed/canceled as statuses; 'expired' and 'rejected' are unified statuses too
    (ccxt Manual, order structure), so for those the status is checked here instead. It also wants an id and a
    symbol, which an order Paradex never made (a refused batch entry) or does not know (an unknown id passed to
    cancel_orders) may not have.
    """
    skipped: dict[str, bool] = {}
    if order.get("status") in ("expired", "rejected"):
        skipped["status"] = True
    if order.get("id") is None and (order.get("status") == "rejected" or order.get("notFound")):
        skipped["id"] = True
    if order.get("notFound") and order.get("symbol") is None:
        skipped["symbol"] = True
    ccxt_test_order(exchange, skipped, "order", order, symbol, exchange.milliseconds())
    assert order["status"] is None or order["status"] in UNIFIED_STATUSES
    assert "cancelReason" in order


def fail_first(exchange: Any, method: str, path: str, error: BaseException, times: int = 1,
               after: int = 0) -> list[str]:
    """Let `after` `method` requests to a URL ending in `path` through, then make the next `times` of them raise
    `error` without being sent (a request lost in flight); returns the list the failed URLs are appended to."""
    original: Callable[..., Awaitable[Any]] = exchange.fetch
    failed: list[str] = []
    seen = [0]

    async def fetch(url: str, method_: str = "GET", headers: Any = None, body: Any = None) -> Any:
        if method_ == method and urlparse(url).path.endswith(path):
            seen[0] += 1
            if seen[0] > after and len(failed) < times:
                failed.append(url)
                raise error
        return await original(url, method_, headers, body)

    exchange.fetch = fetch
    return failed
