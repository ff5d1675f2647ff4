"""SBE frames <-> ``SbeMessage``: the wire format of Paradex's schema, driven by ``schema.py``.

A frame is the 8-byte header, the root block (its length from the header, so an older or newer layout decodes by
the fields that fit), repeating groups (each with its own entry length and count) and var-data (length-prefixed
UTF-8; var-data added after the message's first version and missing at the end of the frame is absent, as
Paradex's in-place 1:2 additions require).

Values in a decoded message: integers and timestamps (microseconds) as int, decimals as exact strings with
trailing zeros trimmed ("83422.7"), null sentinels as None, enums as their names, bitsets as lists of names,
byte arrays (the account) as "0x" hex, var-data as str, groups as lists of dicts. ``encode`` takes the same
shapes (decimals also as Decimal or int) and writes a frame for a negotiated version: fields, set bits and var-data
newer than that version are left out and the block length shrinks with them.
"""
from __future__ import annotations

import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any

from .schema import IN_PLACE_1_2, DataSpec, FieldSpec, GroupSpec, MessageSpec, paradex_schema

SCHEMA = paradex_schema()
SCHEMA_ID = SCHEMA.id
SUPPORTED_VERSIONS: tuple[int, ...] = tuple(range(SCHEMA.version + 1))

_ORDER = SCHEMA.byte_order
_HEADER = struct.Struct(_ORDER + SCHEMA.header_code)
HEADER_SIZE = _HEADER.size
_BY_ID = SCHEMA.by_id
_BY_NAME = SCHEMA.by_name
# Versions only append fields, so no frame of the schema has a root block shorter than its first version's.
_OLDEST_BLOCK = {m.template_id: m.block_length(m.since_version) for m in SCHEMA.messages}


class SbeDecodeError(ValueError):
    """A frame of Paradex's schema that is truncated or corrupt (never raised for an unknown template or schema)."""


class SbeEncodeError(ValueError):
    """Values that the schema cannot carry (unknown template, missing required field, value out of range)."""


@dataclass(slots=True)
class SbeMessage:
    """One decoded frame. ``fields`` holds root fields, groups and var-data by their schema names; a field the
    frame's layout does not reach is absent from it, a field carrying its null sentinel is None."""

    template: str
    template_id: int
    version: int
    block_length: int
    fields: dict[str, Any] = field(default_factory=dict)


# --- values -----------------------------------------------------------------------------------------------------

def _decimal_reader(exponent: int, null: int | None) -> Callable[[int], str | None]:
    if exponent >= 0:
        factor = 10**exponent
        return lambda m: None if m == null else str(m * factor)
    digits = -exponent
    width = digits + 1

    # String slicing rather than divmod and formatting: this runs for every price and size of every book level.
    def read(mantissa: int) -> str | None:
        if mantissa == null:
            return None
        text = str(mantissa)
        sign = ""
        if mantissa < 0:
            sign, text = "-", text[1:]
        text = text.rjust(width, "0")
        fraction = text[-digits:].rstrip("0")
        return f"{sign}{text[:-digits]}.{fraction}" if fraction else sign + text[:-digits]

    return read


def _reader(spec: FieldSpec, version: int) -> Callable[[Any], Any] | None:
    """Raw struct value -> message value; None when the raw value is already it."""
    if spec.kind == "decimal":
        return _decimal_reader(spec.exponent, spec.null)
    if spec.kind == "int":
        null = spec.null
        return None if null is None else (lambda v: None if v == null else v)
    if spec.kind == "bytes":
        return lambda raw: hex(int.from_bytes(raw, "big"))
    if spec.kind == "enum":
        names = dict(spec.values)
        fallback = next((n for n in ("UNSPECIFIED", "NON_REPRESENTABLE") if n in names.values()), None)

        def read_enum(value: int) -> str:
            name = names.get(value, fallback)
            if name is None:
                raise SbeDecodeError(f"{spec.name}: value {value} is not in the schema's enum")
            return name

        return read_enum
    bits = [(1 << bit, name) for (bit, name), since in zip(spec.values, spec.value_since) if since <= version]
    return lambda value: [name for mask, name in bits if value & mask]


def _mantissa(spec: FieldSpec, value: Any) -> int:
    """A decimal as the schema's mantissa, in integer arithmetic: digits past the exponent are cut toward zero (as
    Paradex cuts 18-dp funding indexes to 8), magnitudes past the mantissa's range saturate (as the schema documents
    for totalVolume)."""
    high = 2 ** (8 * spec.size - 1) - 1
    if isinstance(value, str) and spec.exponent < 0:
        # Plain decimal strings, what Paradex's JSON carries, are cut by slicing their digits: the sandbox's server
        # encodes every book level of every snapshot this way.
        whole, _, fraction = value.partition(".")
        unsigned = whole[1:] if whole[:1] in "+-" else whole
        if unsigned.isdigit() and (not fraction or fraction.isdigit()):
            mantissa = int(whole + fraction[:-spec.exponent].ljust(-spec.exponent, "0"))
            return max(-high, min(high, mantissa))
    try:
        sign, digits, exponent = (Decimal(repr(value)) if isinstance(value, float) else Decimal(value)).as_tuple()
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise SbeEncodeError(f"{spec.name}: {value!r} is not a decimal") from exc
    if not isinstance(exponent, int):
        raise SbeEncodeError(f"{spec.name}: {value!r} is not a finite decimal")
    shift = exponent - spec.exponent
    magnitude = int("".join(map(str, digits)))
    if shift >= 0:
        magnitude = high + 1 if magnitude and shift > 40 else magnitude * 10**shift
    else:
        magnitude //= 10**-shift
    return -min(magnitude, high) if sign else min(magnitude, high)


def _raw(spec: FieldSpec, value: Any, version: int, left_out: frozenset[str] = frozenset()) -> Any:
    """Message value -> raw struct value; set choices named ``<field>.<choice>`` in ``left_out`` are not written.

    An empty string is a null decimal: Paradex's JSON writes absent prices as "".
    """
    if value is None or (value == "" and spec.kind == "decimal"):
        if spec.kind == "set":
            return 0
        null = spec.null
        if null is None:
            raise SbeEncodeError(f"{spec.name} is required")
        return null
    if spec.kind == "decimal":
        return _mantissa(spec, value)
    if spec.kind in ("int", "bytes"):
        try:
            number = int(value, 16) if spec.kind == "bytes" and isinstance(value, str) else int(value)
            if spec.kind == "bytes":
                return number.to_bytes(spec.size, "big")
        except (ValueError, TypeError, OverflowError) as exc:
            raise SbeEncodeError(f"{spec.name}: {value!r} is not a {spec.size}-byte integer") from exc
        low, high = spec.int_range
        if not low <= number <= high:
            raise SbeEncodeError(f"{spec.name}: {value!r} is out of {spec.primitive} range")
        return number
    if spec.kind == "enum":
        for number, name in spec.values:
            if name == value:
                return number
        raise SbeEncodeError(f"{spec.name}: {value!r} is not one of {[n for _, n in spec.values]}")
    mask = 0
    for name in value:
        for (bit, choice), since in zip(spec.values, spec.value_since):
            if choice == name:
                if since <= version and f"{spec.name}.{choice}" not in left_out:
                    mask |= 1 << bit
                break
        else:
            raise SbeEncodeError(f"{spec.name}: {name!r} is not one of {[n for _, n in spec.values]}")
    return mask


# --- layouts ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Block:
    """The fields of a root block or group entry that fit a given length, as one precompiled struct."""

    struct: struct.Struct
    names: tuple[str, ...]
    readers: tuple[Callable[[Any], Any] | None, ...]
    specs: tuple[FieldSpec, ...]

    def read(self, buffer: bytes | memoryview, offset: int) -> dict[str, Any]:
        values = self.struct.unpack_from(buffer, offset)
        return {
            name: raw if read is None else read(raw)
            for name, read, raw in zip(self.names, self.readers, values)
        }


def _block(specs: Sequence[FieldSpec], length: int, version: int) -> _Block:
    present = sorted(
        (s for s in specs if s.since_version <= version and s.end <= length), key=lambda s: s.offset,
    )
    code = [_ORDER]
    position = 0
    for spec in present:
        code.append("x" * (spec.offset - position) + spec.code)
        position = spec.end
    return _Block(
        struct.Struct("".join(code)),
        tuple(s.name for s in present),
        tuple(_reader(s, version) for s in present),
        tuple(present),
    )


# Bounded: block lengths and versions come off the wire, and a corrupt stream must not grow the caches forever.
@lru_cache(maxsize=1024)
def _root(template_id: int, block_length: int, version: int) -> _Block:
    return _block(_BY_ID[template_id].fields, block_length, version)


@lru_cache(maxsize=1024)
def _entry(template_id: int, group: str, block_length: int, version: int) -> _Block:
    spec = next(g for g in _BY_ID[template_id].groups if g.name == group)
    return _block(spec.fields, block_length, version)


@cache
def _plain(code: str) -> struct.Struct:
    """Group size headers and var-data length prefixes."""
    return struct.Struct(_ORDER + code)


# --- decode -------------------------------------------------------------------------------------------------------

def decode(frame: bytes | bytearray | memoryview) -> SbeMessage | None:
    """One binary WebSocket frame -> SbeMessage; None for another schema id or a template the schema lacks."""
    size = len(frame)
    if size < HEADER_SIZE:
        raise SbeDecodeError(f"SBE frame of {size} bytes is shorter than its {HEADER_SIZE}-byte header")
    block_length, template_id, schema_id, version = _HEADER.unpack_from(frame, 0)
    if schema_id != SCHEMA_ID:
        return None
    message = _BY_ID.get(template_id)
    if message is None:
        return None
    if block_length < _OLDEST_BLOCK[template_id]:
        raise SbeDecodeError(
            f"{message.name}: root block of {block_length} bytes, shorter than the oldest layout's "
            f"{_OLDEST_BLOCK[template_id]}"
        )
    position = HEADER_SIZE + block_length
    if position > size:
        raise SbeDecodeError(
            f"{message.name}: root block of {block_length} bytes overruns the {size}-byte frame"
        )
    fields = _root(template_id, block_length, version).read(frame, HEADER_SIZE)
    for group in message.groups:
        if group.since_version > version:
            continue
        fields[group.name], position = _read_group(frame, position, template_id, group, version)
    for data in message.data:
        if data.since_version > version:
            continue
        if position == size:
            # Var-data added after the message's first version may be cut (the in-place 1:2 additions); the rest
            # is always sent, so a frame ending before it is truncated.
            if data.since_version <= message.since_version:
                raise SbeDecodeError(f"{message.name}: frame ends before its {data.name}")
            continue
        fields[data.name], position = _read_data(frame, position, message, data)
    return SbeMessage(message.name, template_id, version, block_length, fields)


def _read_group(
    frame: bytes | bytearray | memoryview, position: int, template_id: int, group: GroupSpec, version: int,
) -> tuple[list[dict[str, Any]], int]:
    dimension = _plain(group.dimension_code)
    end_of_header = position + dimension.size
    if end_of_header > len(frame):
        raise SbeDecodeError(f"group {group.name}: frame ends inside its size header")
    entry_length, count = dimension.unpack_from(frame, position)
    end = end_of_header + entry_length * count
    if end > len(frame):
        raise SbeDecodeError(f"group {group.name}: {count} entries of {entry_length} bytes overrun the frame")
    if count and entry_length < group.entry_length(0):
        raise SbeDecodeError(
            f"group {group.name}: entries of {entry_length} bytes, shorter than the oldest layout's "
            f"{group.entry_length(0)}"
        )
    entry = _entry(template_id, group.name, entry_length, version)
    names, readers = entry.names, entry.readers
    if entry.struct.size == entry_length and count:
        rows = entry.struct.iter_unpack(memoryview(frame)[end_of_header:end])
    else:
        rows = (entry.struct.unpack_from(frame, end_of_header + i * entry_length) for i in range(count))
    entries = [
        {name: raw if read is None else read(raw) for name, read, raw in zip(names, readers, row)}
        for row in rows
    ]
    return entries, end


def _read_data(
    frame: bytes | bytearray | memoryview, position: int, message: MessageSpec, data: DataSpec,
) -> tuple[str, int]:
    prefix = _plain(data.length_code)
    start = position + prefix.size
    if start > len(frame):
        raise SbeDecodeError(f"{message.name}.{data.name}: frame ends inside its length prefix")
    (length,) = prefix.unpack_from(frame, position)
    end = start + length
    if end > len(frame):
        raise SbeDecodeError(f"{message.name}.{data.name}: {length} bytes announced, {len(frame) - start} left")
    try:
        return bytes(frame[start:end]).decode("utf-8"), end
    except UnicodeDecodeError as exc:
        raise SbeDecodeError(f"{message.name}.{data.name}: not UTF-8 ({exc.reason})") from exc


# --- encode -------------------------------------------------------------------------------------------------------

def encode(
    template: str, fields: Mapping[str, Any], version: int = SCHEMA.version, *, in_place_additions: bool = True,
) -> bytes:
    """``fields`` (schema names, decoded shapes) -> one frame as a server negotiated at ``version`` sends it.

    Missing nullable fields are written as null, missing var-data as empty, missing groups as empty; a missing
    required field raises SbeEncodeError. ``in_place_additions=False`` writes version 2 as first released, without
    what 1:2 gained in place (``schema.IN_PLACE_1_2``): the layout a server may still send under a version 2 header.
    """
    message = _BY_NAME.get(template)
    if message is None:
        raise SbeEncodeError(f"unknown SBE template {template!r}")
    if version not in SUPPORTED_VERSIONS:
        raise SbeEncodeError(f"schema version {version} is not one of {SUPPORTED_VERSIONS}")
    if message.since_version > version:
        raise SbeEncodeError(f"{template} does not exist before schema version {message.since_version}")
    left_out = IN_PLACE_1_2.get(template, frozenset()) if version == 2 and not in_place_additions else frozenset()
    block_length = message.block_length(version, left_out)
    root = _root(message.template_id, block_length, version)
    parts = [
        _HEADER.pack(block_length, message.template_id, SCHEMA_ID, version),
        root.struct.pack(*(_raw(s, fields.get(s.name), version, left_out) for s in root.specs)),
    ]
    parts.append(b"\0" * (block_length - root.struct.size))
    for group in message.groups:
        if group.since_version <= version:
            parts.append(_write_group(message, group, fields.get(group.name) or (), version))
    for data in message.data:
        if data.since_version <= version and data.name not in left_out:
            parts.append(_write_data(message, data, fields.get(data.name)))
    return b"".join(parts)


def _write_group(message: MessageSpec, group: GroupSpec, entries: Sequence[Mapping[str, Any]], version: int) -> bytes:
    entry_length = group.entry_length(version)
    entry = _entry(message.template_id, group.name, entry_length, version)
    dimension = _plain(group.dimension_code)
    limit = 2 ** (8 * struct.calcsize(_ORDER + group.dimension_code[-1])) - 1
    if len(entries) > limit:
        raise SbeEncodeError(f"{message.name}.{group.name}: {len(entries)} entries, at most {limit}")
    pack = entry.struct.pack
    rows = [pack(*(_raw(s, item.get(s.name), version) for s in entry.specs)) for item in entries]
    padding = b"\0" * (entry_length - entry.struct.size)
    return dimension.pack(entry_length, len(entries)) + b"".join(row + padding for row in rows)


def _write_data(message: MessageSpec, data: DataSpec, value: str | None) -> bytes:
    raw = (value or "").encode("utf-8")
    if len(raw) > data.max_length:
        raise SbeEncodeError(f"{message.name}.{data.name}: {len(raw)} bytes, at most {data.max_length}")
    return _plain(data.length_code).pack(len(raw)) + raw
