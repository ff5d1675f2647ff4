"""The promises as numbers: a short seeded soak of every order method through the fault proxy, two seeds, with
zero duplicates, zero lost orders, zero wrong final statuses, zero raised cancels that Paradex accepted and zero
untyped exceptions. The long run (1000+ operations a seed) is `python bench/order_soak.py`."""
from __future__ import annotations

import pytest

from tests.order_soak import ROWS, run_soak


@pytest.mark.parametrize("seed", [11, 12])
async def test_a_faulted_soak_loses_duplicates_and_misreports_nothing(seed):
    report = await run_soak(seed, operations=160, tasks=8)
    assert report.requests.get("clean", 0) > 0 and sum(report.requests.values()) > report.requests["clean"]
    assert report.counts() == {row: 0 for row in ROWS}, report.table()
