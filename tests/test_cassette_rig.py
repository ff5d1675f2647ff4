"""Cassette matching ignores what changes on every run (signatures, their timestamps, generated client ids)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tests.cassette_rig import match_body_without_volatile_fields


def request(body: object) -> SimpleNamespace:
    return SimpleNamespace(body=None if body is None else json.dumps(body).encode())


ORDER = {"market": "BTC-USD-PERP", "side": "BUY", "type": "LIMIT", "size": "0.01", "price": "90000",
         "instruction": "GTC"}


def test_bodies_differing_only_in_signature_and_timestamp_match():
    recorded = dict(ORDER, signature='["1","2"]', signature_timestamp=1)
    replayed = dict(ORDER, signature='["3","4"]', signature_timestamp=2)
    match_body_without_volatile_fields(request(recorded), request(replayed))


def test_generated_client_ids_are_ignored():
    match_body_without_volatile_fields(request(dict(ORDER, client_id="pccxt-aaa")),
                                       request(dict(ORDER, client_id="pccxt-bbb")))


def test_caller_client_ids_must_match():
    with pytest.raises(AssertionError):
        match_body_without_volatile_fields(request(dict(ORDER, client_id="mine-1")),
                                           request(dict(ORDER, client_id="mine-2")))


def test_a_different_price_does_not_match():
    with pytest.raises(AssertionError):
        match_body_without_volatile_fields(request(ORDER), request(dict(ORDER, price="90001")))


def test_batch_bodies_are_compared_entry_by_entry():
    recorded = [dict(ORDER, signature="a"), dict(ORDER, side="SELL", signature="b")]
    replayed = [dict(ORDER, signature="c"), dict(ORDER, side="SELL", signature="d")]
    match_body_without_volatile_fields(request(recorded), request(replayed))


def test_empty_bodies_match():
    match_body_without_volatile_fields(request(None), request(None))
