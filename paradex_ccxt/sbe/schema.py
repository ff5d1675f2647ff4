"""Paradex's SBE message schema, read from the XML Paradex publishes, into offsets and struct codes.

Nothing here is hand-copied from the schema: offsets, block lengths, null sentinels, decimal exponents, enum values
and the version each field appeared in all come from ``paradex_1_0.xml``. Only the XML constructs that schema uses
are understood (primitive and array types, fixed-exponent decimal composites, enums, sets, repeating groups and
length-prefixed var-data); anything else fails loudly at load instead of being decoded wrongly.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib import resources

SCHEMA_FILE = "paradex_1_0.xml"

# The XML's prose says FundingRateComparisonEvent was "added in 1:1" but the message carries no sinceVersion
# attribute; a server negotiated at 1:0 cannot send it.
MESSAGE_SINCE_VERSION = {"FundingRateComparisonEvent": 1}

# What the XML's prose says 1:2 gained in place after its release ("set.choice" for a bitset choice). A version 2
# frame may come with or without them and its header cannot tell which; only the block length and the end of the
# var-data can.
IN_PLACE_1_2: dict[str, frozenset[str]] = {
    "TradeEvent": frozenset({"tradeIdStr"}),
    "OrderEvent": frozenset({"requestStatus", "requestType", "requestId", "requestMessage", "flags.MMP"}),
    "AccountEvent": frozenset({"lastSeenNotification"}),
}

# SBE primitive -> (struct code, size in bytes, the null value SBE assigns an optional field of that type)
PRIMITIVES: dict[str, tuple[str, int, int | None]] = {
    "char": ("c", 1, 0),
    "int8": ("b", 1, -(2**7)),
    "uint8": ("B", 1, 2**8 - 1),
    "int16": ("h", 2, -(2**15)),
    "uint16": ("H", 2, 2**16 - 1),
    "int32": ("i", 4, -(2**31)),
    "uint32": ("I", 4, 2**32 - 1),
    "int64": ("q", 8, -(2**63)),
    "uint64": ("Q", 8, 2**64 - 1),
}
BYTE_ORDERS = {"littleEndian": "<", "bigEndian": ">"}


class SchemaError(ValueError):
    """The XML uses an SBE construct this codec does not implement."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One fixed-size field of a root block or group entry.

    kind: ``int`` (plain integer, timestamps included), ``decimal`` (int64 mantissa, constant ``exponent``),
    ``bytes`` (fixed uint8 array, e.g. the 32-byte account address), ``enum`` or ``set``.
    ``null`` is the raw value that means "no value" (None when the field is required and declares none).
    """

    name: str
    kind: str
    code: str
    size: int
    offset: int
    since_version: int
    null: int | None = None
    exponent: int = 0
    primitive: str = ""
    values: tuple[tuple[int, str], ...] = ()  # enum: (value, name); set: (bit, name)
    value_since: tuple[int, ...] = ()  # set: the version each choice appeared in

    @property
    def end(self) -> int:
        return self.offset + self.size

    @property
    def int_range(self) -> tuple[int, int]:
        """Lowest and highest value of an integer field's primitive."""
        bits = 8 * self.size
        return (0, 2**bits - 1) if self.primitive.startswith("u") else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)


@dataclass(frozen=True, slots=True)
class GroupSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    dimension_code: str  # struct code of (blockLength, numInGroup)
    since_version: int

    def entry_length(self, version: int) -> int:
        return max((f.end for f in self.fields if f.since_version <= version), default=0)


@dataclass(frozen=True, slots=True)
class DataSpec:
    name: str
    length_code: str
    max_length: int
    since_version: int


@dataclass(frozen=True, slots=True)
class MessageSpec:
    name: str
    template_id: int
    fields: tuple[FieldSpec, ...]
    groups: tuple[GroupSpec, ...]
    data: tuple[DataSpec, ...]
    since_version: int

    def fields_at(self, version: int) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.since_version <= version)

    def block_length(self, version: int, left_out: frozenset[str] = frozenset()) -> int:
        """Root block length a server negotiated at ``version`` sends (fields are only ever appended), without the
        fields named in ``left_out``."""
        return max((f.end for f in self.fields_at(version) if f.name not in left_out), default=0)


@dataclass(frozen=True, slots=True)
class Schema:
    id: int
    version: int
    byte_order: str
    header_code: str  # blockLength, templateId, schemaId, version
    messages: tuple[MessageSpec, ...]

    @property
    def by_id(self) -> dict[int, MessageSpec]:
        return {m.template_id: m for m in self.messages}

    @property
    def by_name(self) -> dict[str, MessageSpec]:
        return {m.name: m for m in self.messages}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _since(element: ET.Element) -> int:
    return int(element.get("sinceVersion", "0"))


class _Types:
    """The <types> section: what each named type decodes as."""

    def __init__(self, types: ET.Element) -> None:
        self.elements = {e.get("name"): e for e in types}

    def composite_code(self, name: str) -> list[tuple[str, str]]:
        """(member name, struct code) of a composite made of primitives only (header, group dimensions)."""
        composite = self.elements[name]
        members = []
        for member in composite:
            code, _, _ = PRIMITIVES[member.get("primitiveType")]
            members.append((member.get("name"), code))
        return members

    def field(self, name: str, type_name: str, offset: int, since: int, optional: bool) -> FieldSpec:
        if type_name in PRIMITIVES:
            code, size, null = PRIMITIVES[type_name]
            return FieldSpec(name, "int", code, size, offset, since, null if optional else None, primitive=type_name)
        element = self.elements.get(type_name)
        if element is None:
            raise SchemaError(f"field {name}: unknown type {type_name}")
        tag = _local(element.tag)
        if tag == "type":
            return self._simple(name, element, offset, since, optional)
        if tag == "composite":
            return self._decimal(name, element, offset, since)
        if tag in ("enum", "set"):
            code, size, _ = PRIMITIVES[element.get("encodingType")]
            choices = [(int((c.text or "").strip()), c.get("name"), _since(c)) for c in element]
            if tag == "enum":
                values = tuple((v, n) for v, n, _ in choices)
                return FieldSpec(name, "enum", code, size, offset, since, values=values)
            return FieldSpec(
                name, "set", code, size, offset, since,
                values=tuple((bit, n) for bit, n, _ in choices), value_since=tuple(s for _, _, s in choices),
            )
        raise SchemaError(f"field {name}: unsupported type element <{tag}>")

    def _simple(self, name: str, element: ET.Element, offset: int, since: int, optional: bool) -> FieldSpec:
        primitive = element.get("primitiveType")
        code, size, null = PRIMITIVES[primitive]
        length = int(element.get("length", "1"))
        if length != 1:
            if primitive != "uint8":
                raise SchemaError(f"field {name}: arrays of {primitive} are not supported")
            return FieldSpec(name, "bytes", f"{length}s", length, offset, since, primitive=primitive)
        optional = optional or element.get("presence") == "optional"
        declared = element.get("nullValue")
        null_value = int(declared) if declared is not None else (null if optional else None)
        return FieldSpec(name, "int", code, size, offset, since, null_value, primitive=primitive)

    @staticmethod
    def _decimal(name: str, element: ET.Element, offset: int, since: int) -> FieldSpec:
        members = {m.get("name"): m for m in element}
        mantissa, exponent = members.get("mantissa"), members.get("exponent")
        if mantissa is None or exponent is None or exponent.get("presence") != "constant" or len(members) != 2:
            raise SchemaError(f"field {name}: only mantissa + constant exponent composites are supported")
        code, size, default_null = PRIMITIVES[mantissa.get("primitiveType")]
        declared = mantissa.get("nullValue")
        null = int(declared) if declared is not None else default_null
        return FieldSpec(name, "decimal", code, size, offset, since, null, exponent=int((exponent.text or "").strip()))

    def fields(self, parent: ET.Element) -> tuple[FieldSpec, ...]:
        """The <field> children of a message or group, with their offsets."""
        if parent.get("blockLength") is not None:
            raise SchemaError(f"{parent.get('name')}: a declared blockLength (padding) is not supported")
        specs: list[FieldSpec] = []
        offset = 0
        for element in parent:
            if _local(element.tag) != "field":
                continue
            if element.get("offset") is not None:
                offset = int(element.get("offset"))
            spec = self.field(
                element.get("name"), element.get("type"), offset, _since(element),
                element.get("presence") == "optional",
            )
            specs.append(spec)
            offset = spec.end
        return tuple(specs)

    def data(self, element: ET.Element) -> DataSpec:
        composite = {m.get("name"): m for m in self.elements[element.get("type")]}
        length = composite["length"]
        code, size, _ = PRIMITIVES[length.get("primitiveType")]
        max_length = int(length.get("maxValue", 2 ** (8 * size) - 1))
        return DataSpec(element.get("name"), code, max_length, _since(element))


def _message(types: _Types, element: ET.Element) -> MessageSpec:
    fields = types.fields(element)
    groups = []
    data = []
    for child in element:
        tag = _local(child.tag)
        if tag == "group":
            dimension_type = child.get("dimensionType", "groupSizeEncoding")
            dimension = "".join(code for _, code in types.composite_code(dimension_type))
            groups.append(GroupSpec(child.get("name"), types.fields(child), dimension, _since(child)))
        elif tag == "data":
            data.append(types.data(child))
        elif tag != "field":
            raise SchemaError(f"message {element.get('name')}: unsupported element <{tag}>")
    return MessageSpec(
        element.get("name"), int(element.get("id")), fields, tuple(groups), tuple(data),
        MESSAGE_SINCE_VERSION.get(element.get("name"), _since(element)),
    )


def parse_schema(xml_text: str) -> Schema:
    root = ET.fromstring(xml_text)
    types_element = next(e for e in root if _local(e.tag) == "types")
    types = _Types(types_element)
    header = types.composite_code(root.get("headerType", "messageHeader"))
    if [name for name, _ in header] != ["blockLength", "templateId", "schemaId", "version"]:
        raise SchemaError(f"unexpected message header layout {header}")
    messages = tuple(_message(types, e) for e in root if _local(e.tag) == "message")
    return Schema(
        id=int(root.get("id")),
        version=int(root.get("version")),
        byte_order=BYTE_ORDERS[root.get("byteOrder", "littleEndian")],
        header_code="".join(code for _, code in header),
        messages=messages,
    )


@cache
def paradex_schema() -> Schema:
    """Paradex's published schema 1:2 (shipped with this package, from the paradex-py 0.8.2 wheel)."""
    return parse_schema(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
