"""create_orders: POST /orders/batch in chunks of 10, one result per input in input order."""
from __future__ import annotations

import json

import pytest
from ccxt.base.errors import InvalidOrder, RequestTimeout

from tests.orders_support import check_order, ex, fail_first  # noqa: F401 (fixture)

BTC = "BTC/USD:USDC"


def requests(count: int) -> list[dict]:
    return [{"symbol": BTC, "type": "limit", "side": "buy", "amount": 0.01, "price": 60000 - i,
             "params": {"clientOrderId": f"b-{i}"}} for i in range(count)]


async def test_twelve_orders_go_out_as_ten_then_two_and_come_back_in_input_order(ex, vcr_cassette):
    with vcr_cassette("orders/create_orders_two_chunks_one_refused.yaml") as cassette:
        orders = await ex.create_orders(requests(12))
    assert cassette.all_played
    assert [len(json.loads(request.body)) for request in cassette.requests] == [10, 2]
    assert [order["clientOrderId"] for order in orders] == [f"b-{i}" for i in range(12)]
    assert [order["status"] for order in orders] == ["open"] * 3 + ["rejected"] + ["open"] * 8
    for order in orders:
        check_order(ex, order, BTC)


async def test_a_refused_entry_keeps_what_was_asked_and_paradex_error(ex, vcr_cassette):
    with vcr_cassette("orders/create_orders_two_chunks_one_refused.yaml"):
        refused = (await ex.create_orders(requests(12)))[3]
    assert refused["id"] is None
    assert (refused["symbol"], refused["side"], refused["amount"], refused["price"]) == (BTC, "buy", 0.01, 59997.0)
    assert (refused["filled"], refused["remaining"]) == (0.0, 0.01)
    assert refused["info"] == {"error": "INVALID_PRICE_PRECISION", "message": "invalid price precision"}


async def test_a_batch_paradex_refuses_as_a_whole_rejects_every_entry(ex, vcr_cassette):
    with vcr_cassette("orders/create_orders_batch_refused.yaml") as cassette:
        orders = await ex.create_orders(requests(2))
    assert cassette.all_played
    assert [order["status"] for order in orders] == ["rejected", "rejected"]
    assert [order["clientOrderId"] for order in orders] == ["b-0", "b-1"]
    for order in orders:
        assert order["info"]["batchError"] == {"error": "VALIDATION_ERROR",
                                               "message": "invalid order signature in batch"}
        assert order["info"]["message"].startswith("not placed: Paradex refused the whole batch")
        check_order(ex, order, BTC)


async def test_after_a_timeout_orders_that_got_through_are_kept_and_only_the_rest_is_resent(ex, vcr_cassette):
    fail_first(ex, "POST", "/orders/batch", RequestTimeout("paradex POST timed out"))
    with vcr_cassette("orders/create_orders_timeout_recovered.yaml") as cassette:
        orders = await ex.create_orders(requests(2))
    assert cassette.all_played
    assert [json.loads(r.body)[0]["client_id"] for r in cassette.requests if r.method == "POST"] == ["b-1"]
    assert [(order["clientOrderId"], order["status"]) for order in orders] == [("b-0", "open"), ("b-1", "open")]
    for order in orders:
        check_order(ex, order, BTC)


async def test_an_invalid_entry_raises_before_anything_is_sent(ex, vcr_cassette):
    batch = requests(2)
    batch[1]["params"]["timeInForce"] = "FOK"
    with vcr_cassette("orders/create_orders_batch_refused.yaml") as cassette:
        with pytest.raises(InvalidOrder, match="FOK"):
            await ex.create_orders(batch)
    assert cassette.play_count == 0


async def test_the_same_client_id_twice_in_one_call_is_refused(ex):
    batch = requests(2)
    batch[1]["params"]["clientOrderId"] = "b-0"
    with pytest.raises(InvalidOrder, match="same clientOrderId"):
        await ex.create_orders(batch)


async def test_a_retry_told_a_client_id_is_taken_returns_the_order_the_first_attempt_made(ex, vcr_cassette):
    fail_first(ex, "POST", "/orders/batch", RequestTimeout("paradex POST timed out"))
    with vcr_cassette("orders/create_orders_retry_told_duplicate.yaml") as cassette:
        orders = await ex.create_orders(requests(2))
    assert cassette.all_played
    assert [(order["id"], order["status"]) for order in orders] == [
        ("1763787600100201709190000100", "open"), ("1763787600100201709190000101", "open")]
    for order in orders:
        check_order(ex, order, BTC)


async def test_a_batch_lost_twice_with_nothing_placed_raises_the_network_error(ex, vcr_cassette):
    fail_first(ex, "POST", "/orders/batch", RequestTimeout("paradex POST timed out"), times=2)
    with vcr_cassette("orders/create_orders_lost_twice.yaml") as cassette:
        with pytest.raises(RequestTimeout, match="b-0"):
            await ex.create_orders(requests(1))
    assert cassette.all_played


async def test_the_entry_a_whole_batch_was_refused_for_carries_the_error_and_the_others_name_it(ex, vcr_cassette):
    with vcr_cassette("orders/create_orders_batch_refused_duplicate.yaml") as cassette:
        orders = await ex.create_orders(requests(3))
    assert cassette.all_played
    assert [order["status"] for order in orders] == ["rejected"] * 3
    assert orders[1]["info"] == {"error": "DUPLICATED_CLIENT_ID", "message": "client id already used: b-1"}
    for other in (orders[0], orders[2]):
        assert other["info"]["error"] is None
        assert other["info"]["batchEntry"] == 1
        assert "entry 1 (client id b-1)" in other["info"]["message"]


async def test_a_chunk_lost_on_every_attempt_is_reported_not_placed_while_the_placed_chunk_is_kept(ex, vcr_cassette):
    failed = fail_first(ex, "POST", "/orders/batch", RequestTimeout("paradex POST timed out"), times=2, after=1)
    with vcr_cassette("orders/create_orders_second_chunk_lost.yaml") as cassette:
        orders = await ex.create_orders(requests(11))
    assert cassette.all_played
    assert len(failed) == 2
    # Looked up again once its recv_window had run out, the last order is known not to exist.
    assert [order["status"] for order in orders] == ["open"] * 10 + ["rejected"]
    unplaced = orders[10]
    assert (unplaced["id"], unplaced["clientOrderId"], unplaced["amount"], unplaced["notPlaced"]) == (
        None, "b-10", 0.01, True)
    assert unplaced["info"]["message"].startswith("not placed")
    for order in orders[:10]:
        check_order(ex, order, BTC)
