"""Decoding frames captured from Paradex's production WebSocket (tests/data/sbe/README.md says where from).

Expected values come from the captures' own descriptions or are read from the bytes by hand (shown next to them),
so a bug shared by this package's encoder and decoder cannot pass here.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

import ccxt.pro
import pytest

from paradex_ccxt.sbe import decode, encode, from_paradex_json, to_paradex_json

DATA = Path(__file__).parent / "data" / "sbe"


def binary_frames(name: str) -> list[bytes]:
    lines = [json.loads(line) for line in (DATA / name).read_text().splitlines()]
    return [base64.b64decode(line["b64"]) for line in lines if line["opcode"] == "binary"]


def subscribed_channel(name: str) -> str:
    first = json.loads((DATA / name).read_text().splitlines()[0])
    return json.loads(first["text"])["result"]["channel"]


BOOK = binary_frames("btc-order-book-deltas-2026-10-08.jsonl")
INTERACTIVE_BOOK = binary_frames("btc-order-book-interactive-deltas-2026-10-08.jsonl")
BBO = binary_frames("btc-bbo-2026-10-08.jsonl")
OPTION_SUMMARY = bytes.fromhex((DATA / "btc-option-markets-summary-2026-10-04.hex").read_text().strip())
ALL_FRAMES = BOOK + INTERACTIVE_BOOK + BBO + [OPTION_SUMMARY]


def test_bbo_frame_values():
    fields = decode(BBO[0]).fields
    assert fields == {
        "ts": 1791421923325000,  # 48 f4 61 eb 49 5d 06 00
        "seq": 7687292570,  # first seq of the capture
        "bidPrice": "83422.7",  # 80 3b 0a 56 96 07 00 00 = 8342270000000
        "bidSize": "0.00015",  # 98 3a = 15000
        "askPrice": "83452.9",  # 80 c6 0b 0a 97 07 00 00 = 8345290000000
        "askSize": "0.00031",  # 18 79 = 31000
        "market": "BTC-USD-PERP",
    }


def test_bbo_frames_are_version_1_with_a_48_byte_block():
    message = decode(BBO[0])
    assert (message.template, message.version, message.block_length, len(BBO[0])) == ("BboEvent", 1, 48, 69)


def test_bbo_json_is_the_bbo_channel_payload():
    channel, data = to_paradex_json(decode(BBO[1]))
    assert channel == subscribed_channel("btc-bbo-2026-10-08.jsonl") == "bbo.BTC-USD-PERP"
    assert data == {
        "market": "BTC-USD-PERP", "seq_no": 7687292571, "bid": "83435.5", "bid_size": "0.01199",
        "ask": "83452.9", "ask_size": "0.00031", "last_updated_at": 1791421923325,
    }


def test_book_snapshot_header_and_depth():
    message = decode(BOOK[0])
    fields = message.fields
    assert (message.template, message.version, message.block_length, len(BOOK[0])) == ("BookEvent", 1, 89, 2918)
    assert (fields["seq"], fields["pkgType"]) == (7687289234, "SNAPSHOT")
    assert (len(fields["bids"]), len(fields["asks"])) == (115, 60)  # group headers 10 00 73 00 / 10 00 3c 00


def test_book_snapshot_best_levels():
    fields = decode(BOOK[0]).fields
    # 00 3d 15 7d 97 07 00 00 = 8347220000000, b0 47 12 = 1198000
    assert fields["bids"][0] == {"price": "83472.2", "size": "0.01198"}
    # 00 6c 7d d6 97 07 00 00 = 8348720000000, 98 3a = 15000
    assert fields["asks"][0] == {"price": "83487.2", "size": "0.00015"}


def test_book_snapshot_levels_are_sorted_and_uncrossed():
    fields = decode(BOOK[0]).fields
    bids = [float(level["price"]) for level in fields["bids"]]
    asks = [float(level["price"]) for level in fields["asks"]]
    assert bids == sorted(bids, reverse=True) and asks == sorted(asks) and bids[0] < asks[0]


def test_deltas_feed_leaves_every_best_price_field_null():
    fields = decode(BOOK[0]).fields
    assert all(fields[name] is None for name in fields if name.startswith("best") or name == "relativeSpread")


def test_delta_sequence_is_consecutive():
    seqs = [decode(frame).fields["seq"] for frame in BOOK]
    assert seqs == list(range(7687289234, 7687289234 + len(BOOK)))


def test_delta_with_one_bid():
    fields = decode(BOOK[1]).fields
    # group 10 00 01 00, entry 00 81 74 17 96 07 00 00 = 8341220000000, 38 4a = 19000; asks 10 00 00 00
    assert (fields["pkgType"], fields["bids"], fields["asks"]) == (
        "DELTA", [{"price": "83412.2", "size": "0.00019"}], [],
    )


def test_empty_delta_only_advances_the_sequence():
    fields = decode(BOOK[2]).fields
    assert (len(BOOK[2]), fields["seq"], fields["bids"], fields["asks"]) == (118, 7687289236, [], [])


def test_delta_removing_a_bid_and_an_ask_lands_in_deletes():
    _, data = to_paradex_json(decode(BOOK[8]))
    # 80 25 3a 97 6d 07 00 00 = 8167270000000 and 00 23 bd f6 b7 07 00 00 = 8486700000000, both size 0
    assert data["deletes"] == [
        {"side": "BUY", "price": "81672.7", "size": "0"}, {"side": "SELL", "price": "84867", "size": "0"},
    ]
    assert (data["update_type"], data["inserts"], data["updates"]) == ("d", [], [])


def test_local_book_from_the_json_shape_stays_uncrossed():
    book: dict[str, dict[str, str]] = {"BUY": {}, "SELL": {}}
    for frame in BOOK:
        _, data = to_paradex_json(decode(frame))
        if data["update_type"] == "s":
            book = {"BUY": {}, "SELL": {}}
        for level in data["inserts"] + data["updates"]:
            book[level["side"]][level["price"]] = level["size"]
        for level in data["deletes"]:
            book[level["side"]].pop(level["price"], None)
        assert max(map(float, book["BUY"])) < min(map(float, book["SELL"]))


def test_interactive_snapshot_carries_api_best_prices():
    fields = decode(INTERACTIVE_BOOK[0]).fields
    assert (len(fields["bids"]), len(fields["asks"])) == (120, 64)
    assert (fields["bestBidApiPrice"], fields["bestAskApiPrice"]) == ("83471.3", "83484.4")
    assert fields["asks"][0] == {"price": fields["bestAskApiPrice"], "size": fields["bestAskApiSize"]}


def test_interactive_snapshot_json_names_the_api_best_levels():
    _, data = to_paradex_json(decode(INTERACTIVE_BOOK[0]))
    assert data["best_bid_api"] == {"side": "BUY", "price": "83471.3", "size": "0.00031"}
    assert data["best_ask_api"] == {"side": "SELL", "price": "83484.4", "size": "0.01198"}
    assert "best_bid_interactive" not in data and "relative_spread" not in data


def test_option_summary_values_match_the_capturing_test():
    message = decode(OPTION_SUMMARY)
    fields = message.fields
    assert (message.version, message.block_length, len(OPTION_SUMMARY)) == (1, 240, 273)
    assert fields["market"] == "BTC-USD-25DEC26-100000-C"
    assert (fields["bid"], fields["ask"]) == ("1813.19", "1896.58")  # c0 5f 74 37 2a / 80 6a 7f 28 2c
    assert (fields["delta"], fields["markIv"]) == ("0.22943382", "0.37320787")


def test_option_summary_null_precise_funding_rate_and_negative_greeks():
    fields = decode(OPTION_SUMMARY).fields
    assert fields["fundingRatePrecise"] is None  # 00 00 00 00 00 00 00 80 at block offset 232
    assert fields["theta"].startswith("-") and fields["lastIv"] is None


def test_option_summary_json_has_greeks_and_option_fields():
    channel, data = to_paradex_json(decode(OPTION_SUMMARY))
    assert channel == "markets_summary"
    assert data["symbol"] == "BTC-USD-25DEC26-100000-C"
    assert data["greeks"]["delta"] == data["delta"] == "0.22943382"
    # indexPrice at block offset 24: 49 f9 0f 27 c2 07 00 00 = 8530460408137
    assert (data["mark_iv"], data["underlying_price"]) == ("0.37320787", "85304.60408137")
    assert "last_iv" not in data and "external_fair_price" not in data


@pytest.mark.parametrize("index", range(len(ALL_FRAMES)))
def test_encoder_reproduces_paradex_bytes(index):
    frame = ALL_FRAMES[index]
    message = decode(frame)
    assert encode(message.template, message.fields, message.version) == frame


@pytest.mark.parametrize("index", range(len(BOOK + BBO)))
def test_json_shape_converts_back_to_paradex_bytes(index):
    frame = (BOOK + BBO)[index]
    message = decode(frame)
    channel, data = to_paradex_json(message)
    assert from_paradex_json(channel, data, message.version, ts=message.fields["ts"]) == frame


@pytest.mark.parametrize(
    "frame", [BOOK[0], INTERACTIVE_BOOK[0], OPTION_SUMMARY], ids=["book", "interactive-book", "option-summary"],
)
def test_json_shape_agrees_with_ccxt_builtin_decoder_on_captured_frames(frame):
    # ccxt 4.5.90's decoder is an independent implementation of the same frame -> JSON payload job (it writes
    # seq_no as a string where Paradex's JSON has an integer); it returns nothing for BBO frames and book deltas.
    theirs = ccxt.pro.paradex().parse_sbe_message(frame)["params"]["data"]
    _, ours = to_paradex_json(decode(frame))
    if "seq_no" in theirs:
        theirs["seq_no"] = int(theirs["seq_no"])
    assert {key: ours.get(key) for key in theirs} == theirs
