"""One cursor paginator for every Paradex list: when it asks for another page and when it stops."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from paradex_ccxt.pagination import collect_pages


def pages_of(rows: list[dict], size: int) -> tuple[list[dict], Callable[[dict], Awaitable[dict]]]:
    """A fake paginated Paradex list serving `rows` `size` at a time; returns (requests seen, call)."""
    seen: list[dict] = []

    async def call(request: dict) -> dict:
        seen.append(dict(request))
        start = int(request.get("cursor", 0))
        end = start + size
        return {"results": rows[start:end], "next": str(end) if end < len(rows) else None, "prev": None}

    return seen, call


NEWEST_FIRST = [{"created_at": t} for t in (60, 50, 40, 30, 20, 10)]
OLDEST_FIRST = list(reversed(NEWEST_FIRST))


async def test_pages_oldest_first_with_since_stop_once_limit_is_reached():
    seen, call = pages_of(OLDEST_FIRST, 2)
    rows = await collect_pages(call, {}, since=10, limit=3, page_max=1000)
    assert len(seen) == 2 and [r["created_at"] for r in rows] == [10, 20, 30, 40]


async def test_pages_newest_first_with_since_and_limit_are_read_to_the_end():
    seen, call = pages_of(NEWEST_FIRST, 2)
    rows = await collect_pages(call, {}, since=10, limit=3, page_max=1000)
    assert len(seen) == 3 and len(rows) == 6


async def test_pages_oldest_first_without_since_are_read_to_the_end_for_the_newest():
    seen, call = pages_of(OLDEST_FIRST, 2)
    rows = await collect_pages(call, {}, since=None, limit=3, page_max=1000)
    assert len(seen) == 3 and rows[-1]["created_at"] == 60


async def test_page_size_is_the_limit_capped_at_the_endpoint_maximum():
    seen, call = pages_of(NEWEST_FIRST, 6)
    await collect_pages(call, {"market": "BTC-USD-PERP"}, since=None, limit=5000, page_max=1000)
    assert seen[0] == {"market": "BTC-USD-PERP", "page_size": 1000}


async def test_without_since_or_limit_one_page_is_read():
    seen, call = pages_of(NEWEST_FIRST, 2)
    rows = await collect_pages(call, {}, since=None, limit=None, page_max=1000)
    assert len(seen) == 1 and len(rows) == 2


async def test_every_page_reads_to_the_end_without_since_or_limit():
    seen, call = pages_of(NEWEST_FIRST, 2)
    rows = await collect_pages(call, {}, since=None, limit=None, page_max=1000, every_page=True)
    assert len(seen) == 3 and len(rows) == 6


async def test_full_pages_are_asked_at_the_largest_page_whatever_the_limit():
    seen, call = pages_of(NEWEST_FIRST, 6)
    await collect_pages(call, {}, since=None, limit=2, page_max=100, full_pages=True)
    assert seen[0]["page_size"] == 100


async def test_a_cursor_handed_back_twice_ends_the_walk():
    seen: list[dict] = []

    async def call(request: dict) -> dict:
        seen.append(dict(request))
        assert len(seen) < 10, "the paginator keeps following a cursor it has already followed"
        return {"results": [{"created_at": 60 - len(seen)}], "next": "c2" if "cursor" in request else "c1"}

    rows = await collect_pages(call, {}, since=10, limit=None, page_max=1000)
    assert [r.get("cursor") for r in seen] == [None, "c1", "c2"]
    assert len(rows) == 3
