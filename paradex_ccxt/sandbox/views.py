"""Paradex JSON views the engine answers reads with: a book's depth, its best bid and offer, a markets-summary row,
and newest-first pages over an account's rows (fills, funding payments, transfers, transactions)."""
from __future__ import annotations

import bisect
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..vocabulary import Side
from .book import Book
from .catalog import MarketSpec, dec8, dec_str
from .ledger import SandboxError, txn_hash
from .marketdata import MarketData, paginate

MAX_BOOK_DEPTH = 200


def orderbook(market: str, book: Book, depth: int) -> dict:
    """GET /orderbook/{market}."""
    depth = max(1, min(int(depth), MAX_BOOK_DEPTH))
    bids, asks = book.depth(Side.BUY, depth), book.depth(Side.SELL, depth)
    return {
        "market": market,
        "seq_no": book.seq_no,
        "last_updated_at": book.last_updated_at,
        "asks": asks,
        "bids": bids,
        # the sandbox has no RPI liquidity, so API and interactive views share the top of book
        "best_ask_api": asks[0] if asks else [],
        "best_bid_api": bids[0] if bids else [],
        "best_ask_interactive": asks[0] if asks else [],
        "best_bid_interactive": bids[0] if bids else [],
    }


def bbo(market: str, book: Book) -> dict:
    """GET /bbo/{market}: the top of ``orderbook``, empty strings on an empty side."""
    top = orderbook(market, book, 1)
    bid, ask = (top["bids"] or [["", ""]])[0], (top["asks"] or [["", ""]])[0]
    return {"market": market, "bid": bid[0], "bid_size": bid[1], "ask": ask[0], "ask_size": ask[1],
            "seq_no": top["seq_no"], "last_updated_at": top["last_updated_at"]}


def last_traded(md: MarketData, symbol: str, trades: list[dict], now: int) -> Decimal:
    """The later of the market's own last trade and the background tape's."""
    background = md.trades(symbol, None, now, now, None, 1)["results"]
    candidates = ([(trades[-1]["created_at"], trades[-1]["price"])] if trades else []) + \
                 [(r["created_at"], r["price"]) for r in background]
    return Decimal(max(candidates)[1]) if candidates else md.last_price(symbol, now)


def market_summary(md: MarketData, spec: MarketSpec, book: Book, trades: list[dict], mark: Decimal,
                   now: int) -> dict:
    """One row of GET /markets/summary."""
    symbol = spec.symbol
    bids, asks = book.depth(Side.BUY, 1), book.depth(Side.SELL, 1)
    volume = md.volume_24h(symbol, now)
    row = {
        "symbol": symbol,
        "mark_price": dec_str(mark),
        "last_traded_price": dec_str(last_traded(md, symbol, trades, now)),
        "bid": bids[0][0] if bids else "",
        "bid_size": bids[0][1] if bids else "",
        "ask": asks[0][0] if asks else "",
        "ask_size": asks[0][1] if asks else "",
        "volume_24h": dec_str(volume),
        "total_volume": dec_str(dec8(volume * 365)),
        "created_at": now,
        "underlying_price": dec_str(md.underlying_price(symbol, now)),
        "external_fair_price": dec_str(mark),
        "open_interest": dec_str(md.open_interest(symbol, now)),
        "funding_rate": dec_str(md.funding_rate(symbol, now)),
        "future_funding_rate": dec_str(md.funding_rate(symbol, now + 300_000)),
        "price_change_rate_24h": dec_str(md.price_change_rate_24h(symbol, now)),
    }
    if spec.is_option:
        iv = dec_str(spec.iv)
        greeks = md.option_greeks(symbol, now)
        row.update({"mark_iv": iv, "bid_iv": iv, "ask_iv": iv, "last_iv": iv, "delta": greeks["delta"],
                    "greeks": greeks})
    return row


def transactions(fills: list[dict]) -> list[dict]:
    """GET /transactions rows: the settlement transaction of each fill. The sandbox settles a fill the moment it
    happens, so every one is ACCEPTED_ON_L2 and completed when created."""
    return [{"id": f["id"], "type": "TRANSACTION_FILL", "hash": txn_hash(f["id"]), "state": "ACCEPTED_ON_L2",
             "created_at": f["created_at"], "completed_at": f["created_at"]} for f in fills]


def listing(rows: list[dict], market: str | None, start_at: int | None, end_at: int | None, cursor: str | None,
            page_size: int) -> dict:
    """A page of an account's rows (kept oldest first), newest first, filtered by market and creation time."""
    def keep(r: dict) -> bool:
        return ((market is None or r.get("market") == market)
                and (start_at is None or r["created_at"] >= start_at)
                and (end_at is None or r["created_at"] <= end_at))

    return _paginate_list([r for r in rows if keep(r)], lambda r: (r["created_at"], r["id"]), cursor, page_size)


def _paginate_list(rows: list, key: Callable[[Any], tuple], cursor: str | None, page_size: int) -> dict:
    keys = [key(r) for r in rows]

    def older(bound: tuple | None, n: int) -> list:
        end = len(rows) if bound is None else bisect.bisect_left(keys, tuple(bound))
        return rows[max(0, end - n):end][::-1]

    def newer(bound: tuple, n: int) -> list:
        start = bisect.bisect_right(keys, tuple(bound))
        return rows[start:start + n]

    try:
        return paginate(older, newer, cursor, page_size, key)
    except ValueError as exc:
        raise SandboxError("INVALID_REQUEST_PARAMETER", str(exc)) from None
