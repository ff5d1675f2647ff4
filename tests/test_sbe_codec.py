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


@pytest.mark.parametrize("cut", [0, 5, 8, 30, 55, 57, 60])
def test_truncated_frame_raises(cut):
    with pytest.raises(SbeDecodeError):
        decode(bbo_frame(1)[:cut])


def test_frame_ending_before_var_data_leaves_it_absent():
    assert "market" not in decode(bbo_frame(1)[:56]).fields


def test_encode_refuses_unknown_template():
    with pytest.raises(SbeEncodeError, match="NoSuchEvent"):
        encode("NoSuchEvent", {})


def test_encode_refuses_missing_required_field():
    with pytest.raises(SbeEncodeError, match="ts is required"):
        encode("BboEvent", {"seq": 1})


def test_encode_of_hand_built_frame_is_byte_identical():
    fields = decode(bbo_frame(8342270000000)).fields
    assert encode("BboEvent", fields, version=1) == bbo_frame(8342270000000)
