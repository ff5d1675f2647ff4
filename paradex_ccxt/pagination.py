"""Paradex's cursor pagination, read one way for every list: trades, funding, fills, transfers, orders history.

Why not ccxt's `fetch_paginated_call_cursor`: it re-enters the unified method once per page and looks for the next
cursor in the last parsed entry's `info`, while Paradex puts `next` on the response envelope, next to `results`; it
stops silently after `paginationCalls` calls (10 by default), so a long `since` query comes back cut short; and it
knows nothing of Paradex's page order, so it cannot tell when the entries a `since`/`limit` question asks for are
all in hand.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any


async def collect_pages(call: Callable[[dict], Awaitable[Any]], request: dict, since: int | None, limit: int | None,
                        page_max: int, timestamp_key: str = "created_at", *, full_pages: bool = False,
                        every_page: bool = False) -> list[dict]:
    """Follow Paradex's `next` cursors until the caller's question is fully answered.

    - no `since` and no `limit`: one page (the most recent entries, Paradex's default page size), or every page
      with `every_page`;
    - `limit`: pages until `limit` entries are in hand *on the side the caller wants* (the newest when there is no
      `since`, the oldest at or after `since` otherwise). The page order is read from the data itself, so the rule
      holds whichever direction Paradex pages in; when the wanted side is at the far end, every page is read;
    - `since` without `limit`: every page.
    Never stops early at a page boundary: a shorter result means Paradex has no more entries. Stops at a cursor it
    has already followed: a server that hands back the same cursor would otherwise be asked for it forever.

    `call(request)` returns Paradex's envelope ``{"next": ..., "results": [...]}``. `full_pages` asks every page
    at `page_max` whatever the limit: for a `call` that drops entries from its pages, or a list known to be read to
    its far end (a smaller page would only mean more calls).
    """
    request = dict(request)
    if limit is not None and not full_pages:
        request["page_size"] = min(limit, page_max)
    elif since is not None or limit is not None or every_page:
        request["page_size"] = page_max
    rows: list[dict] = []
    followed: set[str] = set()
    while True:
        response = await call(request)
        rows.extend(response.get("results") or [])
        cursor = response.get("next")
        if not cursor or cursor in followed or (since is None and limit is None and not every_page):
            return rows
        if limit is not None and len(rows) >= limit and _wanted_side_is_read(rows, since, timestamp_key):
            return rows
        followed.add(cursor)
        request["cursor"] = cursor


def time_range(exchange: Any, request: dict, since: int | None, params: dict | None) -> tuple[dict, dict]:
    """`request` with start_at from `since` and end_at from params['until']; the rest of params without ccxt's
    `paginate` (every list here is always paginated)."""
    params = exchange.omit(params or {}, ["paginate"])
    if since is not None:
        request["start_at"] = since
    return exchange.handle_until_option("end_at", request, params)


def _wanted_side_is_read(rows: list[dict], since: int | None, timestamp_key: str) -> bool:
    first, last = rows[0].get(timestamp_key), rows[-1].get(timestamp_key)
    if first is None or last is None or first == last:
        return False
    newest_first = first > last
    # Without since the caller wants the newest entries; with since, the oldest from since on.
    return newest_first if since is None else not newest_first
