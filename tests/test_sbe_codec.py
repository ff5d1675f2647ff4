"""The SBE codec on its own: header, block length, nulls, decimals, enums, sets, var-data, errors."""
from __future__ import annotations

import struct

import pytest

from paradex_ccxt.sbe import SUPPORTED_VERSIONS, SbeDecodeError, SbeEncodeError, decode, encode

HEADER = struct.Struct("<HHHH")
INT64_MIN = -(2**63)


def header(block_length: int, template_id: int, schema_id: int = 1, version: int = 2) -> bytes:
    return HEADER.pack(block_length, template_id, schema_id, version)


def bbo_frame(bid_mantissa: int, version: int = 1) -> bytes:
    """A BboEvent written by hand from the schema's layout: ts, seq, bid, bid size, ask, ask size, market."""
    block = struct.pack("<qqqqqq", 1791421923325000, 7687292570, bid_mantissa, 15000, 8345290000000, 31000)
    return header(48, 2, version=version) + block + b"\x0cBTC-USD-PERP"


def test_supported_versions_are_0_to_2():
    assert SUPPORTED_VERSIONS == (0, 1, 2)


def test_decimal_mantissa_becomes_exact_trimmed_string():
    message = decode(bbo_frame(8342270000000))
    assert message.fields["bidPrice"] == "83422.7"
    assert message.fields["bidSize"] == "0.00015"


def test_negative_decimal_keeps_its_sign():
    assert decode(bbo_frame(-12345)).fields["bidPrice"] == "-0.00012345"


def test_whole_decimal_has_no_point():
    assert decode(bbo_frame(8300000000000)).fields["bidPrice"] == "83000"


def test_null_sentinel_decodes_to_none():
    assert decode(bbo_frame(INT64_MIN)).fields["bidPrice"] is None


def test_header_is_reported():
    message = decode(bbo_frame(1, version=1))
    assert (message.template, message.template_id, message.version, message.block_length) == ("BboEvent", 2, 1, 48)


def test_timestamps_stay_integer_microseconds():
    assert decode(bbo_frame(1)).fields["ts"] == 1791421923325000


def test_unknown_template_is_skipped():
    assert decode(header(4, 99) + b"\0\0\0\0") is None


def test_other_schema_id_is_skipped():
    assert decode(bbo_frame(1)[:4] + HEADER.pack(0, 0, 2, 0)[4:6] + bbo_frame(1)[6:]) is None


@pytest.mark.parametrize("cut", [0, 5, 8, 30, 55, 56, 57, 60])
def test_truncated_frame_raises(cut):
    with pytest.raises(SbeDecodeError):
        decode(bbo_frame(1)[:cut])


def test_frame_ending_before_var_data_of_the_first_version_is_truncated():
    with pytest.raises(SbeDecodeError, match="frame ends before its market"):
        decode(bbo_frame(1)[:56])


def test_encode_refuses_unknown_template():
    with pytest.raises(SbeEncodeError, match="NoSuchEvent"):
        encode("NoSuchEvent", {})


def test_encode_refuses_missing_required_field():
    with pytest.raises(SbeEncodeError, match="ts is required"):
        encode("BboEvent", {"seq": 1})


def test_encode_of_hand_built_frame_is_byte_identical():
    fields = decode(bbo_frame(8342270000000)).fields
    assert encode("BboEvent", fields, version=1) == bbo_frame(8342270000000)


# --- layouts of other versions --------------------------------------------------------------------------------

SUMMARY = {"ts": 1, "seq": 0, "markPrice": "1", "indexPrice": "1", "lastPrice": "1", "volumeUsd24h": "0",
           "openInterest": "0", "fundingRate": "0.00001234", "totalVolume": "0", "priceChangeRate24h": "0",
           "forwardRate": "0.05", "fundingRatePrecise": "0.000012345678", "market": "ETH-USD-PERP"}
ORDER = {"ts": 1, "seq": 2, "status": "OPEN", "side": "BUY", "orderType": "LIMIT", "timeInForce": "GTC",
         "price": "100", "size": "1", "sizeOpen": "1", "createdAt": 3, "updatedAt": 4, "account": "0xabc",
         "receivedAt": 5, "publishedAt": 6, "stp": "EXPIRE_TAKER", "flags": ["REDUCE_ONLY", "MMP"],
         "requestStatus": "PENDING", "requestType": "MODIFY_ORDER", "orderId": "17", "clientOrderId": "c",
         "market": "BTC-USD-PERP", "cancelReason": "", "requestId": "r1", "requestMessage": ""}


def test_version_0_summary_has_216_byte_block_without_the_version_1_fields():
    message = decode(encode("MarketSummaryEvent", SUMMARY, version=0))
    assert (message.version, message.block_length) == (0, 216)
    assert {"forwardRate", "riskFreeRate", "fundingRatePrecise"}.isdisjoint(message.fields)
    assert message.fields["fundingRate"] == "0.00001234"


def test_version_1_summary_has_240_byte_block_and_12_decimal_funding_rate():
    message = decode(encode("MarketSummaryEvent", SUMMARY, version=1))
    assert message.block_length == 240
    assert message.fields["fundingRatePrecise"] == "0.000012345678"


def test_header_version_is_the_negotiated_version():
    assert [decode(encode("BboEvent", {"ts": 1, "seq": 1}, v)).version for v in SUPPORTED_VERSIONS] == [0, 1, 2]


def test_version_1_order_omits_request_fields_and_their_var_data():
    frame = encode("OrderEvent", ORDER, version=1)
    message = decode(frame)
    assert message.block_length == 126
    assert {"requestStatus", "requestType", "requestId", "requestMessage"}.isdisjoint(message.fields)
    assert frame.endswith(b"\x0cBTC-USD-PERP\x00")  # market, then an empty cancelReason, nothing after


def test_version_2_frame_in_the_older_in_place_layout_decodes_with_request_fields_absent():
    # 1:2 was changed in place: a v2 header on the 126-byte block and var-data ending after cancelReason
    frame = bytearray(encode("OrderEvent", ORDER, version=1))
    frame[6:8] = (2).to_bytes(2, "little")
    message = decode(bytes(frame))
    assert (message.version, message.block_length) == (2, 126)
    assert {"requestStatus", "requestType", "requestId", "requestMessage"}.isdisjoint(message.fields)
    assert (message.fields["market"], message.fields["cancelReason"]) == ("BTC-USD-PERP", "")


def test_longer_root_block_of_a_newer_schema_is_skipped_by_its_length():
    frame = bbo_frame(8342270000000)
    longer = header(56, 2, version=1) + frame[8:56] + b"\xff" * 8 + frame[56:]
    assert decode(longer).fields == decode(frame).fields


def test_longer_group_entries_of_a_newer_schema_are_skipped_by_their_length():
    book = {"ts": 1, "seq": 5, "pkgType": "DELTA", "bids": [{"price": "10", "size": "1"}, {"price": "9", "size": "0"}]}
    frame = encode("BookEvent", book, version=1)
    bids_at = 8 + 89
    entries = frame[bids_at + 4:bids_at + 4 + 32]
    wide = (
        frame[:bids_at] + struct.pack("<HH", 24, 2)
        + entries[:16] + b"\xee" * 8 + entries[16:] + b"\xee" * 8 + frame[bids_at + 4 + 32:]
    )
    assert decode(wide).fields["bids"] == [{"price": "10", "size": "1"}, {"price": "9", "size": "0"}]


def test_heartbeat_decodes_as_a_known_template():
    message = decode(encode("HeartbeatEvent", {"ts": 7, "seq": 8}))
    assert (message.template, message.fields) == ("HeartbeatEvent", {"ts": 7, "seq": 8})


def test_template_6_does_not_exist_at_version_0():
    with pytest.raises(SbeEncodeError, match="before schema version 1"):
        encode("FundingRateComparisonEvent", {"ts": 1, "lastUpdatedAt": 1}, version=0)


def test_version_3_is_not_encodable():
    with pytest.raises(SbeEncodeError, match="version 3"):
        encode("BboEvent", {"ts": 1, "seq": 1}, version=3)


# --- values ---------------------------------------------------------------------------------------------------

def test_rate12_keeps_twelve_decimals():
    fields = {"ts": 1, "lastUpdatedAt": 1, "hourlyFundingRate": "-0.000000000001", "assetKind": "PERPETUAL_FUTURE",
              "source": "HYPERLIQUID", "market": "BTC-USD-PERP"}
    assert decode(encode("FundingRateComparisonEvent", fields)).fields["hourlyFundingRate"] == "-0.000000000001"


def test_digits_beyond_the_exponent_are_cut_toward_zero():
    fields = {"ts": 1, "seq": 1, "bidPrice": "0.123456789", "askPrice": "-0.123456789"}
    decoded = decode(encode("BboEvent", fields)).fields
    assert (decoded["bidPrice"], decoded["askPrice"]) == ("0.12345678", "-0.12345678")


def test_decimal_beyond_int64_saturates_like_paradex_total_volume():
    decoded = decode(encode("MarketSummaryEvent", {**SUMMARY, "totalVolume": "1000000000000"})).fields
    assert decoded["totalVolume"] == "92233720368.54775807"


def test_non_decimal_value_is_refused():
    with pytest.raises(SbeEncodeError, match="bidPrice"):
        encode("BboEvent", {"ts": 1, "seq": 1, "bidPrice": "abc"})


def test_account_is_32_big_endian_bytes_read_as_minimal_hex():
    account = "0x162a0685d33c626ee6768d309d5bae76d22967ff6f560ff8eb726ee1bef5778"
    frame = encode("OrderEvent", {**ORDER, "account": account})
    assert frame[8 + 76:8 + 108] == bytes.fromhex("0" + account[2:])
    assert decode(frame).fields["account"] == account


def test_order_flags_bitset_lists_set_flags():
    frame = encode("OrderEvent", {**ORDER, "flags": ["REDUCE_ONLY", "STOP_CONDITION_ABOVE_TRIGGER"]})
    assert frame[8 + 125] == 0b101
    assert decode(frame).fields["flags"] == ["REDUCE_ONLY", "STOP_CONDITION_ABOVE_TRIGGER"]


def test_mmp_flag_is_kept_off_frames_below_version_2():
    assert decode(encode("OrderEvent", ORDER, version=1)).fields["flags"] == ["REDUCE_ONLY"]
    assert decode(encode("OrderEvent", ORDER, version=2)).fields["flags"] == ["REDUCE_ONLY", "MMP"]


def test_unknown_bits_in_a_set_are_ignored():
    frame = bytearray(encode("OrderEvent", ORDER))
    frame[8 + 125] = 0b11000001
    assert decode(bytes(frame)).fields["flags"] == ["REDUCE_ONLY"]


def test_unknown_flag_name_is_refused():
    with pytest.raises(SbeEncodeError, match="NOT_A_FLAG"):
        encode("OrderEvent", {**ORDER, "flags": ["NOT_A_FLAG"]})


def test_enum_value_outside_the_schema_reads_as_non_representable():
    frame = bytearray(encode("OrderEvent", ORDER))
    frame[8 + 17] = 77  # side
    assert decode(bytes(frame)).fields["side"] == "NON_REPRESENTABLE"


def test_unknown_funding_rate_source_reads_as_unspecified():
    fields = {"ts": 1, "lastUpdatedAt": 1, "hourlyFundingRate": "0", "assetKind": "OPTION", "source": "PYTH"}
    frame = bytearray(encode("FundingRateComparisonEvent", fields))
    frame[8 + 25] = 99
    assert decode(bytes(frame)).fields["source"] == "UNSPECIFIED"


def test_enum_value_of_a_closed_enum_outside_the_schema_is_corrupt():
    frame = bytearray(encode("BookEvent", {"ts": 1, "seq": 1, "pkgType": "SNAPSHOT"}))
    frame[8 + 16] = 9
    with pytest.raises(SbeDecodeError, match="pkgType"):
        decode(bytes(frame))


def test_optional_int_null_sentinel_decodes_to_none():
    fill = {"ts": 1, "seq": None, "fillType": "UNWIND_TRANSFER", "side": "SELL", "liquidity": "TAKER",
            "price": "1", "size": "1", "fee": "0", "createdAt": 1, "account": "0x1", "underlyingPrice": "1",
            "realizedFunding": "0", "orderbookSeqNo": 0}
    frame = encode("FillEvent", fill)
    assert frame[8 + 8:8 + 16] == struct.pack("<q", INT64_MIN)
    assert decode(frame).fields["seq"] is None


# --- corrupt frames -------------------------------------------------------------------------------------------

def test_group_overrunning_the_frame_raises():
    frame = encode("BookEvent", {"ts": 1, "seq": 1, "pkgType": "DELTA", "bids": [{"price": "1", "size": "1"}]})
    bad = frame[:8 + 89] + struct.pack("<HH", 16, 500) + frame[8 + 89 + 4:]
    with pytest.raises(SbeDecodeError, match="bids: 500 entries"):
        decode(bad)


def test_var_data_that_is_not_utf8_raises():
    with pytest.raises(SbeDecodeError, match="not UTF-8"):
        decode(bbo_frame(1)[:56] + b"\x02\xff\xfe")


def test_var_data_longer_than_255_bytes_is_refused():
    with pytest.raises(SbeEncodeError, match="at most 255"):
        encode("BboEvent", {"ts": 1, "seq": 1, "market": "X" * 256})


def test_sbe_package_imports_nothing_but_the_standard_library_and_itself():
    import ast
    import sys
    from pathlib import Path

    import paradex_ccxt.sbe as sbe

    for path in Path(sbe.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                continue
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] in sys.stdlib_module_names, (path.name, name)


# --- 1:2 as first released (the harsher variant a server may still send) --------------------------------------

def test_version_2_without_in_place_additions_is_the_126_byte_order_layout():
    frame = encode("OrderEvent", ORDER, version=2, in_place_additions=False)
    message = decode(frame)
    assert (message.version, message.block_length) == (2, 126)
    assert {"requestStatus", "requestType", "requestId", "requestMessage"}.isdisjoint(message.fields)
    assert message.fields["flags"] == ["REDUCE_ONLY"]  # MMP came in place too


def test_version_2_without_in_place_additions_has_no_trade_id_string():
    trade = {"ts": 1, "seq": 1, "tradeId": 5, "side": "BUY", "price": "1", "size": "1", "createdAt": 1,
             "tradeType": "FILL", "market": "BTC-USD-PERP", "tradeIdStr": "5"}
    frame = encode("TradeEvent", trade, version=2, in_place_additions=False)
    assert frame.endswith(b"\x0cBTC-USD-PERP")
    assert "tradeIdStr" not in decode(frame).fields


def test_version_2_without_in_place_additions_has_the_113_byte_account_block():
    account = {"ts": 1, "seq": 1, "totalCollateral": "1", "freeCollateral": "1", "initialMarginReq": "0",
               "maintenanceMarginReq": "0", "accountValue": "1", "updatedAt": 1, "account": "0x1",
               "marginCushion": "1", "status": "ACTIVE", "lastSeenNotification": 9, "settlementAsset": "USDC"}
    message = decode(encode("AccountEvent", account, version=2, in_place_additions=False))
    assert message.block_length == 113 and "lastSeenNotification" not in message.fields


def test_in_place_additions_switch_changes_nothing_below_version_2():
    assert encode("OrderEvent", ORDER, 1, in_place_additions=False) == encode("OrderEvent", ORDER, 1)


@pytest.mark.parametrize("wrap", [bytearray, memoryview])
def test_frames_decode_from_any_bytes_like_buffer(wrap):
    assert decode(wrap(bbo_frame(8342270000000))).fields == decode(bbo_frame(8342270000000)).fields


def test_schema_constructs_the_codec_does_not_implement_fail_at_load():
    from paradex_ccxt.sbe.schema import SchemaError, parse_schema

    xml = """<sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" id="1" version="0">
      <types><composite name="messageHeader"><type name="blockLength" primitiveType="uint16"/>
        <type name="templateId" primitiveType="uint16"/><type name="schemaId" primitiveType="uint16"/>
        <type name="version" primitiveType="uint16"/></composite></types>
      <sbe:message name="Padded" id="1" blockLength="64"><field id="1" name="ts" type="int64"/></sbe:message>
    </sbe:messageSchema>"""
    with pytest.raises(SchemaError, match="blockLength"):
        parse_schema(xml)


def test_root_block_shorter_than_the_oldest_layout_is_corrupt():
    frame = bbo_frame(1)
    with pytest.raises(SbeDecodeError, match="shorter than the oldest layout's 48"):
        decode(header(40, 2, version=1) + frame[8:48] + frame[56:])


def test_group_entries_shorter_than_the_oldest_layout_are_corrupt():
    frame = encode("BookEvent", {"ts": 1, "seq": 1, "pkgType": "DELTA", "bids": [{"price": "1", "size": "1"}]})
    bad = frame[:8 + 89] + struct.pack("<HH", 0, 1) + frame[8 + 89 + 4:]
    with pytest.raises(SbeDecodeError, match="entries of 0 bytes"):
        decode(bad)


@pytest.mark.parametrize("fields, field", [
    ({"ts": 1, "seq": 2**63}, "seq"),
    ({"ts": "soon", "seq": 1}, "ts"),
    ({"ts": 1, "seq": 1, "bidPrice": "Infinity"}, "bidPrice"),
    ({"ts": 1, "seq": 1, "bidPrice": "NaN"}, "bidPrice"),
])
def test_values_outside_what_the_field_carries_are_refused_with_its_name(fields, field):
    with pytest.raises(SbeEncodeError, match=field):
        encode("BboEvent", fields)


def test_account_wider_than_32_bytes_is_refused():
    with pytest.raises(SbeEncodeError, match="account"):
        encode("OrderEvent", {**ORDER, "account": "0x1" + "0" * 64})


def test_many_significant_digits_are_cut_exactly_not_rounded():
    value = "92233720368.547758069999999999999999999"  # 38 significant digits
    decoded = decode(encode("BboEvent", {"ts": 1, "seq": 1, "bidPrice": value})).fields
    assert decoded["bidPrice"] == "92233720368.54775806"
