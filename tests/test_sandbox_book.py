"""The sandbox's order book of one market: price-time priority, one sequence number per change."""
from __future__ import annotations

from decimal import Decimal

from paradex_ccxt.sandbox.book import Book
from paradex_ccxt.sandbox.events import EventBus
from paradex_ccxt.sandbox.order import Order

BTC = "BTC-USD-PERP"
NOW = 1_790_000_000_000


def order(n: int, side: str, price: str, size: str = "0.1", account: str = "0xa11ce") -> Order:
    return Order(id=str(1790000000000100000000000000 + n), account=account, market=BTC, side=side, type="LIMIT",
                 size=Decimal(size), remaining=Decimal(size), price=Decimal(price), trigger_price=Decimal(0),
                 instruction="GTC", flags=[], stp="EXPIRE_TAKER", client_id="", timestamp=NOW, created_at=NOW,
                 status="OPEN")


def test_a_taker_meets_the_best_price_first_and_at_one_price_the_oldest_order_first():
    book = Book(BTC)
    first, second, better = order(1, "SELL", "50000"), order(2, "SELL", "50000"), order(3, "SELL", "49999.9")
    for o in (first, second, better):
        book.add(o, NOW)
    met = []
    for maker in book.makers_for("BUY"):
        met.append(maker)
        book.remove(maker, NOW)
    assert met == [better, first, second]


def test_every_change_advances_the_sequence_number_by_one_and_publishes_the_market():
    events = EventBus()
    seen = []
    events.subscribe(seen.append)
    book = Book(BTC, events)
    bid = order(1, "BUY", "49000")
    book.add(bid, NOW)
    book.add(order(2, "BUY", "49000"), NOW + 1)
    book.remove(bid, NOW + 2)
    assert (book.seq_no, book.last_updated_at) == (3, NOW + 2)
    assert [(e.kind, e.payload) for e in seen] == [("book", BTC)] * 3


def test_removing_an_order_not_in_the_book_changes_nothing():
    book = Book(BTC)
    book.add(order(1, "BUY", "49000"), NOW)
    book.remove(order(2, "BUY", "49000"), NOW + 1)
    assert book.seq_no == 1


def test_depth_sums_each_level_best_first():
    book = Book(BTC)
    for n, (price, size) in enumerate([("49000", "0.1"), ("49000", "0.25"), ("49100", "0.5")]):
        book.add(order(n, "BUY", price, size), NOW)
    assert book.depth("BUY", 5) == [["49100", "0.5"], ["49000", "0.35"]]
    assert book.depth("BUY", 1) == [["49100", "0.5"]]


def test_an_order_crosses_when_it_reaches_the_best_opposite_price():
    book = Book(BTC)
    book.add(order(1, "SELL", "50000"), NOW)
    assert book.would_cross(order(2, "BUY", "50000"))
    assert not book.would_cross(order(3, "BUY", "49999.9"))
    assert not book.would_cross(order(4, "SELL", "1"))  # nothing rests on the bid side


def test_an_accounts_resting_orders_are_listed_bids_then_asks_by_ascending_price():
    book = Book(BTC)
    mine = [order(1, "SELL", "50100", account="0xmm"), order(2, "BUY", "49900", account="0xmm"),
            order(3, "BUY", "49800", account="0xmm"), order(4, "SELL", "50000", account="0xmm")]
    for o in mine + [order(5, "BUY", "49850")]:
        book.add(o, NOW)
    assert book.orders_of("0xmm") == [mine[2], mine[1], mine[3], mine[0]]
