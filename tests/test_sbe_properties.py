"""Property tests: any values the schema can carry survive encode -> decode, for every template and version."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from paradex_ccxt.sbe import SUPPORTED_VERSIONS, SbeDecodeError, decode, encode, from_paradex_json, to_paradex_json
from paradex_ccxt.sbe.schema import FieldSpec, MessageSpec, paradex_schema
from tests import sbe_samples

SCHEMA = paradex_schema()


def value_of(spec: FieldSpec) -> st.SearchStrategy:
    if spec.kind == "decimal":
        mantissas = st.integers(-(2**63) + 1, 2**63 - 1)
        values = mantissas.map(lambda m: Decimal(m).scaleb(spec.exponent))
        return st.one_of(st.none(), values) if spec.null is not None else values
    if spec.kind == "int":
        values = st.integers(*spec.int_range).filter(lambda v: v != spec.null)
        return st.one_of(st.none(), values) if spec.null is not None else values
    if spec.kind == "bytes":
        return st.integers(0, 2 ** (8 * spec.size) - 1).map(hex)
    names = [name for _, name in spec.values]
    if spec.kind == "enum":
        return st.sampled_from(names)
    return st.lists(st.sampled_from(names), unique=True)


def var_text() -> st.SearchStrategy:
    return st.text(max_size=80).filter(lambda t: len(t.encode()) <= 255)


def fields_of(message: MessageSpec) -> st.SearchStrategy:
    strategies = {spec.name: value_of(spec) for spec in message.fields}
    for group in message.groups:
        entry = st.fixed_dictionaries({spec.name: value_of(spec) for spec in group.fields})
        strategies[group.name] = st.lists(entry, max_size=5)
    for data in message.data:
        strategies[data.name] = var_text()
    return st.fixed_dictionaries(strategies)


def expected(message: MessageSpec, spec: FieldSpec, value, version: int):
    if value is None:
        return None
    if spec.kind == "decimal":
        return value
    if spec.kind == "set":
        allowed = {name for (_, name), since in zip(spec.values, spec.value_since) if since <= version}
        return sorted(name for name in value if name in allowed)
    return value


def normalised(spec: FieldSpec, value):
    if value is None:
        return None
    if spec.kind == "decimal":
        return Decimal(value)
    if spec.kind == "set":
        return sorted(value)
    return value


def cases() -> st.SearchStrategy:
    def for_message(message: MessageSpec):
        versions = [v for v in SUPPORTED_VERSIONS if v >= message.since_version]
        return st.tuples(st.just(message), st.sampled_from(versions), fields_of(message))

    return st.sampled_from(SCHEMA.messages).flatmap(for_message)


@settings(max_examples=400, deadline=None, database=None)
@given(cases())
def test_every_template_and_version_round_trips(case):
    message, version, fields = case
    decoded = decode(encode(message.name, fields, version))
    assert (decoded.template, decoded.version) == (message.name, version)
    for spec in message.fields:
        if spec.since_version > version:
            assert spec.name not in decoded.fields
        else:
            want = expected(message, spec, fields[spec.name], version)
            assert normalised(spec, decoded.fields[spec.name]) == want, spec.name
    for group in message.groups:
        got = decoded.fields[group.name]
        assert len(got) == len(fields[group.name])
        for sent, entry in zip(fields[group.name], got):
            for spec in group.fields:
                assert normalised(spec, entry[spec.name]) == expected(message, spec, sent[spec.name], version)
    for data in message.data:
        if data.since_version > version:
            assert data.name not in decoded.fields
        else:
            assert decoded.fields[data.name] == fields[data.name]


@settings(max_examples=200, deadline=None, database=None)
@given(st.integers(-(2**63) + 1, 2**63 - 1), st.sampled_from([-8, -12]))
def test_decimals_decode_to_canonical_exact_strings(mantissa, exponent):
    spec = "bidPrice" if exponent == -8 else "hourlyFundingRate"
    template = "BboEvent" if exponent == -8 else "FundingRateComparisonEvent"
    base = {"ts": 0, "seq": 0, "lastUpdatedAt": 0, "assetKind": "OPTION", "source": "PARADEX"}
    text = decode(encode(template, {**base, spec: Decimal(mantissa).scaleb(exponent)})).fields[spec]
    assert Decimal(text) == Decimal(mantissa).scaleb(exponent)
    assert "E" not in text and not (("." in text) and text.endswith("0")) and not text.endswith(".")


def _real_frames() -> list[bytes]:
    import base64
    import json
    from pathlib import Path

    data = Path(__file__).parent / "data" / "sbe"
    frames = [bytes.fromhex((data / "btc-option-markets-summary-2026-10-04.hex").read_text().strip())]
    for name in ("btc-bbo-2026-10-08.jsonl", "btc-order-book-deltas-2026-10-08.jsonl"):
        for line in (data / name).read_text().splitlines():
            entry = json.loads(line)
            if entry["opcode"] == "binary":
                frames.append(base64.b64decode(entry["b64"]))
    return frames


REAL_FRAMES = _real_frames()
# no private frame was ever captured: these come from Paradex-shaped JSON payloads
SAMPLE_FRAMES = [from_paradex_json(c, d, v) for c, d in sbe_samples.CHANNEL_SAMPLES.items() for v in (1, 2)]


@settings(max_examples=500, deadline=None, database=None)
@given(
    st.sampled_from(REAL_FRAMES + SAMPLE_FRAMES),
    st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 255)), max_size=6),
    st.integers(0, 3000),
)
def test_damaged_frames_decode_and_convert_or_raise_sbe_decode_error_only(frame, flips, cut):
    damaged = bytearray(frame[:cut])
    for position, value in flips:
        if position < len(damaged):
            damaged[position] = value
    try:
        message = decode(bytes(damaged))
    except SbeDecodeError:
        return
    if message is not None:
        to_paradex_json(message)


@settings(max_examples=300, deadline=None, database=None)
@given(st.booleans(), st.integers(0, 92233720367), st.text("0123456789", max_size=14))  # below saturation
def test_decimal_strings_are_cut_toward_zero_at_eight_places(negative, whole, fraction):
    text = f"{'-' if negative else ''}{whole}" + (f".{fraction}" if fraction else "")
    got = decode(encode("BboEvent", {"ts": 0, "seq": 0, "bidPrice": text})).fields["bidPrice"]
    exact = Decimal(text)
    cut = exact.copy_abs().quantize(Decimal("1e-8"), rounding="ROUND_DOWN")
    assert Decimal(got) == (-cut if negative else cut)
