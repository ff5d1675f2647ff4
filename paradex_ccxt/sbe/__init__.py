"""Paradex's SBE (Simple Binary Encoding) WebSocket frames: a schema-driven codec and its JSON twin.

Plain Python and the standard library only, so the sandbox server and the exchange class share it.

- ``decode(frame) -> SbeMessage | None``: None for frames of another schema or an unknown template (skip them);
  ``SbeDecodeError`` for a truncated or corrupt frame.
- ``to_paradex_json(message) -> (channel, data) | None``: the payload in the JSON feed's shape.
- ``encode(template, fields, version)`` and ``from_paradex_json(channel, data, version)``: the inverse, for a
  server negotiated at ``version`` (one of ``SUPPORTED_VERSIONS``); ``CHANNELS`` names the channels (first
  segment) that have an SBE template, every other channel stays JSON.

The schema is Paradex's ``paradex_1_0.xml`` (schema id 1, version 2), shipped unchanged from the paradex-py 0.8.2
wheel on PyPI (``paradex_py/api/sbe/paradex_1_0.xml``).
"""
from __future__ import annotations

from .codec import SCHEMA_ID, SUPPORTED_VERSIONS, SbeDecodeError, SbeEncodeError, SbeMessage, decode, encode
from .paradex_json import CHANNELS, from_paradex_json, to_paradex_json

__all__ = [
    "CHANNELS",
    "SCHEMA_ID",
    "SUPPORTED_VERSIONS",
    "SbeDecodeError",
    "SbeEncodeError",
    "SbeMessage",
    "decode",
    "encode",
    "from_paradex_json",
    "to_paradex_json",
]
