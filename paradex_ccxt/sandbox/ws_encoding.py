"""The one place where stream payloads become SBE frames: the schema-driven codec in ``paradex_ccxt.sbe``.

Until that codec is installed, no SBE version is served (a connect asking for one gets HTTP 400, exactly what
Paradex answers for a version it does not serve) and every frame is JSON.
"""
from __future__ import annotations

SBE_SCHEMA_ID = 1

try:
    from ..sbe import SUPPORTED_VERSIONS, from_paradex_json
except ImportError:  # the codec is developed on its own branch; without it the sandbox speaks JSON only
    SUPPORTED_VERSIONS: tuple[int, ...] = ()  # type: ignore[no-redef]
    from_paradex_json = None  # type: ignore[assignment]


def encode_data(channel: str, data: dict, version: int) -> bytes:
    """One channel message as the SBE frame of schema 1, `version` (only called on a negotiated SBE connection)."""
    if from_paradex_json is None:
        raise RuntimeError("SBE was negotiated without the paradex_ccxt.sbe codec installed")
    return from_paradex_json(channel, data, version)
