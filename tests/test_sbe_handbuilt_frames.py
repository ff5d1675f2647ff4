"""Private-channel frames written by hand by another project from Paradex's schema (tests/data/sbe/README.md):
the values expected here are the ones annotated next to each field there, not our encoder's."""
from __future__ import annotations

from pathlib import Path

import pytest

from paradex_ccxt.sbe import decode, encode, to_paradex_json

HANDBUILT = Path(__file__).parent / "data" / "sbe" / "handbuilt"
ACCOUNT = "0x" + bytes(range(0xA0, 0xC0)).hex()


def frame(name: str) -> bytes:
    return bytes.fromhex((HANDBUILT / f"{name}.hex").read_text())


def test_canceled_order():
    message = decode(frame("order-closed-canceled-v2"))
    fields = message.fields
    assert (message.template, message.version, message.block_length) == ("OrderEvent", 2, 128)
    assert (fields["status"], fields["side"], fields["orderType"], fields["timeInForce"]) == (
        "CLOSED", "BUY", "LIMIT", "POST_ONLY")
    assert (fields["price"], fields["triggerPrice"]) == ("62000", None)
    assert (fields["size"], fields["sizeOpen"]) == ("0.15", "0.1")
    assert (fields["ts"], fields["seq"], fields["createdAt"]) == (1759500000205011, 5011, 1759500000100000)
    assert (fields["orderId"], fields["market"], fields["cancelReason"]) == (
        "1759500000000000001", "BTC-USD-PERP", "USER_CANCELED")
    assert fields["clientOrderId"] == "01000700-199b-81ab-8200-00054d0aa3f5"
    assert (fields["account"], fields["stp"], fields["flags"]) == (ACCOUNT, "NONE", [])
    assert (fields["requestStatus"], fields["requestType"], fields["requestId"], fields["requestMessage"]) == (
        "UNSPECIFIED", "UNSPECIFIED", "", "")


def test_canceled_order_as_paradex_json():
    channel, data = to_paradex_json(decode(frame("order-closed-canceled-v2")))
    assert channel == "orders.BTC-USD-PERP"
    assert data == {
        "id": "1759500000000000001", "account": ACCOUNT, "market": "BTC-USD-PERP", "side": "BUY", "type": "LIMIT",
        "size": "0.15", "remaining_size": "0.1", "price": "62000", "status": "CLOSED", "created_at": 1759500000100,
        "last_updated_at": 1759500000204, "timestamp": 1759500000100, "cancel_reason": "USER_CANCELED",
        "client_id": "01000700-199b-81ab-8200-00054d0aa3f5", "seq_no": 5011, "instruction": "POST_ONLY",
        "avg_fill_price": "", "stp": "NONE", "received_at": 1759500000099, "published_at": 1759500000205,
        "flags": [], "trigger_price": "0",
    }


def test_rejected_modify_carries_request_info():
    _, data = to_paradex_json(decode(frame("order-modify-rejected-v2")))
    assert data["request_info"] == {
        "id": "req-7002", "request_type": "MODIFY_ORDER", "status": "REJECTED",
        "message": "synthetic rejection message",
    }
    assert (data["status"], data["price"], data["remaining_size"]) == ("OPEN", "62000", "0.15")


def test_version_2_order_without_request_info_layout():
    message = decode(frame("order-v2-without-request-info"))
    assert (message.version, message.block_length) == (2, 126)
    assert {"requestStatus", "requestType", "requestId", "requestMessage"}.isdisjoint(message.fields)
    assert message.fields["cancelReason"] == ""
    assert "request_info" not in to_paradex_json(message)[1]


def test_taker_fill():
    fields = decode(frame("fill-taker-close-v2")).fields
    assert (fields["fillType"], fields["side"], fields["liquidity"]) == ("FILL", "SELL", "TAKER")
    assert (fields["price"], fields["size"], fields["fee"], fields["realizedPnl"]) == ("62000", "0.05", "0.62", "3.5")
    assert (fields["underlyingPrice"], fields["realizedFunding"]) == ("61990", "-0.12")
    assert (fields["flags"], fields["orderbookSeqNo"], fields["seq"]) == (["INTERACTIVE"], 6002, 6002)
    assert (fields["fillId"], fields["orderId"], fields["tradeId"], fields["feeCurrency"]) == (
        "8615262148007718002", "1759500000000000002", "9615262148007718002", "USDC")


def test_taker_fill_as_paradex_json():
    channel, data = to_paradex_json(decode(frame("fill-taker-close-v2")))
    assert channel == "fills.BTC-USD-PERP"
    assert data == {
        "id": "8615262148007718002", "side": "SELL", "liquidity": "TAKER", "market": "BTC-USD-PERP",
        "order_id": "1759500000000000002", "price": "62000", "size": "0.05", "fee": "0.62", "fee_currency": "USDC",
        "created_at": 1759500000305, "client_id": "01000700-199b-81ab-8200-00099b9bf518", "fill_type": "FILL",
        "realized_pnl": "3.5", "realized_funding": "-0.12", "account": ACCOUNT, "underlying_price": "61990",
        "flags": ["interactive"], "orderbook_seq_no": 6002,
    }


def test_transfer_fill_has_null_seq_and_no_order():
    fields = decode(frame("fill-transfer-null-seq-v2")).fields
    assert (fields["seq"], fields["fillType"], fields["liquidity"]) == (None, "UNWIND_TRANSFER", "NON_REPRESENTABLE")
    assert (fields["orderId"], fields["clientOrderId"], fields["realizedPnl"]) == ("", "", "-0.2")
    assert to_paradex_json(decode(frame("fill-transfer-null-seq-v2")))[1]["orderbook_seq_no"] == 0


def test_short_position():
    message = decode(frame("position-short-v1"))
    fields = message.fields
    assert (message.version, message.block_length) == (1, 154)
    assert (fields["side"], fields["size"], fields["avgEntryPrice"], fields["status"]) == (
        "SELL", "0.05", "62000.05", "OPEN")
    assert (fields["liquidationPrice"], fields["leverage"], fields["cost"]) == (None, "2.5", "-3100.0025")
    assert (fields["cachedFundingIndex"], fields["unrealizedPnl"]) == ("12.3456789", "-12.5")


def test_short_position_as_paradex_json():
    channel, data = to_paradex_json(decode(frame("position-short-v1")))
    assert channel == "positions"
    assert data == {
        "id": f"{ACCOUNT}-BTC-USD-PERP", "account": ACCOUNT, "market": "BTC-USD-PERP", "status": "OPEN",
        "side": "SHORT", "size": "-0.05", "average_entry_price": "62000.05", "average_entry_price_usd": "62000.05",
        "unrealized_pnl": "-12.5", "unrealized_funding_pnl": "-0.12", "cost": "-3100.0025", "cost_usd": "-3100.0025",
        "cached_funding_index": "12.3456789", "last_fill_id": "8615262148007718001", "seq_no": 7002,
        "liquidation_price": "", "leverage": "2.5", "realized_positional_pnl": "3.5", "last_updated_at": 1759500000406,
    }


def test_account_summary():
    channel, data = to_paradex_json(decode(frame("account-v2")))
    assert channel == "account"
    assert data == {
        "account": ACCOUNT, "initial_margin_requirement": "20", "maintenance_margin_requirement": "12.5",
        "account_value": "598.76543211", "total_collateral": "600", "free_collateral": "0",
        "margin_cushion": "586.26543211", "settlement_asset": "USDC", "updated_at": 1759500000507, "status": "ACTIVE",
        "seq_no": 8002, "last_seen_notification": 1759499999000,
    }


@pytest.mark.parametrize("name", sorted(p.stem for p in HANDBUILT.glob("*.hex")))
def test_encoder_writes_the_same_bytes(name):
    message = decode(frame(name))
    early = message.version == 2 and message.template == "OrderEvent" and message.block_length == 126
    assert encode(message.template, message.fields, message.version, in_place_additions=not early) == frame(name)
