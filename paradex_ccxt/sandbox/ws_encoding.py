"""The one place where the sandbox's stream payloads become SBE frames (the schema-driven codec, paradex_ccxt.sbe)."""
from __future__ import annotations

from .. import sbe

SBE_SCHEMA_ID = sbe.SCHEMA_ID
SUPPORTED_VERSIONS: tuple[int, ...] = tuple(sbe.SUPPORTED_VERSIONS)


def has_template(channel: str) -> bool:
    """Whether Paradex sends `channel` as SBE on an SBE connection (channels without a template stay JSON)."""
    return channel.partition(".")[0] in sbe.CHANNELS


def encode_data(channel: str, data: dict, version: int) -> bytes:
    """One channel message as the SBE frame of schema 1 at the negotiated `version`."""
    return sbe.from_paradex_json(channel, data, version)
