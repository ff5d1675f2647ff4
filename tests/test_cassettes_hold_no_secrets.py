"""Every cassette is free of key material, JWTs and signature-bearing headers; the scrubbers remove them."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from tests.cassette_rig import CASSETTES, REDACTED, SECRET_HEADERS, scrub_request, scrub_response
from tests.conftest import load_json

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.")
# A 0x-prefixed 251/256-bit hex value sitting under a key-like field name.
KEY_FIELD = re.compile(r"(private|secret)[_a-z]*[\"']?\s*[:=]\s*[\"']?0x[0-9a-fA-F]{40,}", re.IGNORECASE)
SIGNATURE_VALUE = re.compile(r"\[\s*\\?\"(0x[0-9a-fA-F]{20,}|[0-9]{40,})\\?\"\s*,")


def known_private_keys() -> list[str]:
    vectors = load_json("paradex_signing.json")
    keys = [vectors["inputs"]["eth_private_key"], vectors["inputs"]["stark_private_key_fixed"]]  # type: ignore[index]
    keys += [acct["l2_private_key"] for acct in vectors["accounts"].values()]  # type: ignore[index]
    return [k.lower().removeprefix("0x").lstrip("0") for k in keys]


CASSETTE_FILES = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_to_scan():
    assert CASSETTE_FILES


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: str(p.relative_to(CASSETTES)))
def test_cassette_holds_no_secret(path: Path):
    text = path.read_text()
    assert not JWT.search(text), "JWT in cassette"
    assert not KEY_FIELD.search(text), "private key field in cassette"
    assert not SIGNATURE_VALUE.search(text), "Stark signature in cassette"
    lowered = text.lower()
    for key in known_private_keys():
        assert key not in lowered, "test private key in cassette"
    for interaction in yaml.safe_load(text)["interactions"]:
        sent = {name.lower() for name in (interaction["request"].get("headers") or {})}
        assert not sent & set(SECRET_HEADERS), f"secret header recorded: {sent & set(SECRET_HEADERS)}"


def test_scrubber_redacts_signatures_in_order_bodies():
    body = json.dumps([{"market": "BTC-USD-PERP", "signature": '["1","2"]', "signature_timestamp": 1}])
    request = scrub_request(SimpleNamespace(body=body))
    assert json.loads(request.body)[0]["signature"] == REDACTED


def test_scrubber_redacts_jwt_in_auth_responses():
    response = {"body": {"string": b'{"jwt_token":"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIweDEifQ.c2ln"}'}}
    scrubbed = scrub_response(response)
    assert json.loads(scrubbed["body"]["string"]) == {"jwt_token": REDACTED}


def test_scrubber_redacts_api_tokens_but_keeps_token_names():
    body = json.dumps({"results": [{"token": "USDC", "size": "1"}], "token": "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIweDEifQ.c2ln"})
    scrubbed = json.loads(scrub_request(SimpleNamespace(body=body)).body)
    assert scrubbed == {"results": [{"token": "USDC", "size": "1"}], "token": REDACTED}
