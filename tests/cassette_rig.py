"""The vcrpy rig: one configuration for every cassette test.

Matching is on method, path, query and the JSON body with its volatile fields removed (signatures, signature
timestamps, generated client ids), so replays do not depend on the clock or on random ids. Before anything is
written, credentials are scrubbed: bearer tokens, Stark signature headers, JWTs in bodies, signatures in bodies.

Re-recording against Paradex testnet: see README.md ("Re-recording cassettes").
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import vcr

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
REDACTED = "REDACTED"
GENERATED_CLIENT_ID_PREFIX = "pccxt-"

# Header names are matched case-insensitively by vcrpy.
SECRET_HEADERS = ["authorization", "paradex-starknet-signature", "cookie", "set-cookie"]
VOLATILE_BODY_FIELDS = {"signature", "signature_timestamp", "recv_window"}
SECRET_BODY_FIELDS = {"signature", "jwt_token", "private_key", "privateKey"}
# Bearer material under any field name (API tokens come back as "token", a name /balance rows use for "USDC").
JWT_LIKE = re.compile(r"^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.")


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dict):
        kept = {k: _comparable(v) for k, v in value.items() if k not in VOLATILE_BODY_FIELDS}
        client_id = kept.get("client_id")
        if isinstance(client_id, str) and client_id.startswith(GENERATED_CLIENT_ID_PREFIX):
            kept.pop("client_id")
        return kept
    return value


def _json_or_raw(body: bytes | str | None) -> Any:
    if body in (None, b"", ""):
        return None
    text = body.decode() if isinstance(body, bytes) else body
    try:
        return json.loads(text)
    except ValueError:
        return text


def match_body_without_volatile_fields(r1: Any, r2: Any) -> None:
    left, right = _comparable(_json_or_raw(r1.body)), _comparable(_json_or_raw(r2.body))
    if left != right:
        raise AssertionError(f"bodies differ: {left!r} != {right!r}")


def _scrub(value: Any) -> Any:
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {k: (REDACTED if k in SECRET_BODY_FIELDS else _scrub(v)) for k, v in value.items()}
    if isinstance(value, str) and JWT_LIKE.match(value):
        return REDACTED
    return value


def _scrub_body(body: bytes | str | None) -> bytes | str | None:
    parsed = _json_or_raw(body)
    if not isinstance(parsed, (dict, list)):
        return body
    return json.dumps(_scrub(parsed))


def scrub_request(request: Any) -> Any:
    request.body = _scrub_body(request.body)
    return request


def scrub_response(response: dict) -> dict:
    body = response.get("body", {})
    if "string" in body:
        scrubbed = _scrub_body(body["string"])
        body["string"] = scrubbed.encode() if isinstance(scrubbed, str) else scrubbed
    return response


def make_vcr() -> vcr.VCR:
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=os.environ.get("PARADEX_RECORD_MODE", "none"),
        match_on=["method", "path", "query", "paradex_body"],
        filter_headers=SECRET_HEADERS,
        before_record_request=scrub_request,
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_matcher("paradex_body", match_body_without_volatile_fields)
    return recorder


paradex_vcr = make_vcr()
