"""Paradex WebSocket channel names and the data payloads the sandbox streams on them.

Channel names follow Paradex's AsyncAPI (PARADEX-WS.md §4): ``trades.{market|ALL}``, ``bbo.{market}``,
``order_book.{market}.{deltas|interactive_deltas}`` and ``order_book.{market}.{snapshot|interactive}@15@{50ms|100ms}``,
``markets_summary[.{market|ALL}]``, ``funding_data[.{market|ALL}]``; private ``orders.{market|ALL}``,
``fills.{market|ALL}``, ``positions``, ``account``. A name that does not parse is Paradex's "invalid channel".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .catalog import dec_str
from .book import Book

PRIVATE_KINDS = frozenset({"orders", "fills", "positions", "account"})
# Kinds that take no market part at all.
BARE_KINDS = frozenset({"positions", "account"})
# Kinds whose market part may be omitted (all markets), as ccxt subscribes them.
OPTIONAL_MARKET_KINDS = frozenset({"markets_summary", "funding_data"})
SNAPSHOT_DEPTH = 15
_BOOK = re.compile(r"^order_book\.(?P<market>[^.@]+)\.(?P<feed>[a-z_]+)(?P<params>@.*)?$")
_SNAPSHOT_PARAMS = re.compile(r"^@15@(?P<ms>50|100)ms$")


class InvalidChannel(ValueError):
    """The name is not a Paradex channel; the text is what Paradex puts in the error's `data`."""


@dataclass(frozen=True)
class Channel:
    name: str  # exactly as the client wrote it: acks and pushes echo it
    kind: str  # trades, bbo, order_book, markets_summary, funding_data, orders, fills, positions, account
    market: str | None  # None: every market (ALL, or the bare form)
    feed: str = ""  # order_book: deltas, interactive_deltas, snapshot, interactive
    interval_ms: int = 0  # order_book snapshot feeds: the refresh period

    @property
    def private(self) -> bool:
        return self.kind in PRIVATE_KINDS

    @property
    def deltas(self) -> bool:
        return self.feed.endswith("deltas")

    def covers(self, market: str) -> bool:
        return self.market is None or self.market == market


def parse_channel(name: object, markets: frozenset[str]) -> Channel:
    if not isinstance(name, str) or not name:
        raise InvalidChannel("invalid channel")
    if name.startswith("order_book."):
        return _parse_book(name, markets)
    kind, _, market = name.partition(".")
    if kind in BARE_KINDS:
        if market:
            raise InvalidChannel("invalid channel")
        return Channel(name, kind, None)
    if kind not in ("trades", "bbo", "orders", "fills") and kind not in OPTIONAL_MARKET_KINDS:
        raise InvalidChannel("invalid channel")
    if not market:
        if kind not in OPTIONAL_MARKET_KINDS:
            raise InvalidChannel("invalid channel")
        return Channel(name, kind, None)
    if market == "ALL":
        return Channel(name, kind, None)
    if market not in markets:
        raise InvalidChannel("invalid channel")
    return Channel(name, kind, market)


def _parse_book(name: str, markets: frozenset[str]) -> Channel:
    match = _BOOK.match(name)
    if match is None or match["market"] not in markets:
        raise InvalidChannel("invalid channel")
    feed, params = match["feed"], match["params"] or ""
    if feed in ("deltas", "interactive_deltas"):
        if params:
            raise InvalidChannel("no parameters expected for deltas topic.")
        return Channel(name, "order_book", match["market"], feed)
    if feed in ("snapshot", "interactive"):
        timing = _SNAPSHOT_PARAMS.match(params)
        if timing is None:
            raise InvalidChannel("invalid channel")
        return Channel(name, "order_book", match["market"], feed, int(timing["ms"]))
    raise InvalidChannel("invalid channel")


Levels = dict[str, dict[Decimal, Decimal]]  # side -> price -> size


def book_levels(book: Book) -> Levels:
    """Every price level of the book with its total size; a level emptied by a fill (about to be removed) is gone."""
    out: Levels = {}
    for side in ("BUY", "SELL"):
        levels = {}
        for price, queue in book.levels[side].items():
            size = sum((o.remaining for o in queue), Decimal(0))
            if size > 0:
                levels[price] = size
        out[side] = levels
    return out


def _rows(side: str, levels: dict[Decimal, Decimal]) -> list[dict]:
    return [{"side": side, "price": dec_str(p), "size": dec_str(s)} for p, s in levels.items()]


def book_snapshot(market: str, book: Book, levels: Levels, depth: int | None = None) -> dict:
    """A full (or top-`depth`) book as Paradex's `update_type` "s" message: every level in `inserts`."""
    inserts = []
    for side in ("BUY", "SELL"):
        prices = sorted(levels[side], reverse=side == "BUY")[:depth]
        inserts += _rows(side, {p: levels[side][p] for p in prices})
    return {"seq_no": book.seq_no, "market": market, "last_updated_at": book.last_updated_at, "update_type": "s",
            "inserts": inserts, "updates": [], "deletes": []}


def book_delta(market: str, book: Book, before: Levels, after: Levels) -> dict:
    """The change from `before` to `after` as Paradex's `update_type` "d" message (possibly empty: a sequence step
    with no visible change is still sent, as Paradex does)."""
    inserts, updates, deletes = [], [], []
    for side in ("BUY", "SELL"):
        old, new = before[side], after[side]
        inserts += _rows(side, {p: s for p, s in new.items() if p not in old})
        updates += _rows(side, {p: s for p, s in new.items() if p in old and old[p] != s})
        deletes += [{"side": side, "price": dec_str(p), "size": "0"} for p in old if p not in new]
    return {"seq_no": book.seq_no, "market": market, "last_updated_at": book.last_updated_at, "update_type": "d",
            "inserts": inserts, "updates": updates, "deletes": deletes}


def bbo(market: str, book: Book, levels: Levels) -> dict:
    def top(side: str) -> tuple[str, str]:
        prices = levels[side]
        if not prices:
            return "", ""
        best = max(prices) if side == "BUY" else min(prices)
        return dec_str(best), dec_str(prices[best])

    bid, bid_size = top("BUY")
    ask, ask_size = top("SELL")
    return {"market": market, "seq_no": book.seq_no, "bid": bid, "bid_size": bid_size, "ask": ask,
            "ask_size": ask_size, "last_updated_at": book.last_updated_at}
