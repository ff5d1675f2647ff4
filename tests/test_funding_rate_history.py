"""Funding rate history: one rate per hour derived from Paradex's funding index, so that rate x mark x size is what
a position paid over that hour (the way freqtrade prices funding), checked against the sandbox's funding index."""
from __future__ import annotations

from decimal import Decimal

import pytest
from ccxt.test.exchange.base import (
    test_funding_rate_history as check_funding_rate_history,
)

BTC = "BTC/USD:USDC"
HOUR = 3_600_000
DAY = 24 * HOUR


def funding_index(sandbox, t_ms: int) -> Decimal:
    return sandbox.state.engine.md.funding_index("BTC-USD-PERP", t_ms)


async def test_one_row_per_hour_over_the_whole_range(sandbox_exchange):
    now = sandbox_exchange.milliseconds()
    since = now - 4 * DAY
    history = await sandbox_exchange.fetch_funding_rate_history(BTC, since=since)
    first = -(-since // HOUR) * HOUR
    assert [row["timestamp"] for row in history] == list(range(first, now // HOUR * HOUR + 1, HOUR))
    for row in history:
        check_funding_rate_history(sandbox_exchange, {}, "fetchFundingRateHistory", row, BTC)


async def test_the_newest_row_is_the_hour_that_just_ended(sandbox_exchange):
    history = await sandbox_exchange.fetch_funding_rate_history(BTC, limit=3)
    this_hour = sandbox_exchange.milliseconds() // HOUR * HOUR
    assert [row["timestamp"] for row in history] == [this_hour - 2 * HOUR, this_hour - HOUR, this_hour]


async def test_rate_times_mark_is_the_funding_index_growth_of_the_hour(sandbox, sandbox_exchange):
    since = sandbox_exchange.milliseconds() - 6 * HOUR
    history = await sandbox_exchange.fetch_funding_rate_history(BTC, since=since, limit=5)
    marks = {c[0]: c[1] for c in await sandbox_exchange.fetch_mark_ohlcv(BTC, "1h", history[0]["timestamp"], 5)}
    assert len(history) == 5
    for row in history:
        hour = row["timestamp"]
        growth = funding_index(sandbox, hour) - funding_index(sandbox, hour - HOUR)
        assert row["fundingRate"] * marks[hour] == pytest.approx(float(growth), rel=1e-12)


async def test_rate_is_hourly_not_the_eight_hour_rate_paradex_quotes(sandbox_exchange):
    history = await sandbox_exchange.fetch_funding_rate_history(BTC, limit=1)
    quoted_8h = float(history[0]["info"]["end"]["funding_rate"])
    assert abs(history[0]["fundingRate"]) < abs(quoted_8h) / 4


async def test_until_bounds_the_range(sandbox_exchange):
    until = sandbox_exchange.milliseconds() // HOUR * HOUR - 10 * HOUR + 5
    history = await sandbox_exchange.fetch_funding_rate_history(BTC, since=until - 3 * HOUR, params={"until": until})
    assert [row["timestamp"] for row in history] == [until - 5 - h * HOUR for h in (2, 1, 0)]


async def test_an_hour_without_a_funding_sample_is_left_out(sandbox_exchange, monkeypatch):
    gap = sandbox_exchange.milliseconds() // HOUR * HOUR - HOUR
    original = sandbox_exchange.publicGetFundingData

    async def without_the_gap(params):
        if params["end_at"] == gap:
            return {"next": None, "prev": None, "results": []}
        return await original(params)

    monkeypatch.setattr(sandbox_exchange, "publicGetFundingData", without_the_gap)
    history = await sandbox_exchange.fetch_funding_rate_history(BTC, limit=4)
    # Both hours that need the index at `gap` (the one ending there and the one starting there) are unknown.
    assert [row["timestamp"] for row in history] == [gap - 2 * HOUR, gap - HOUR]


# -- samples that miss the hour (Paradex does not say when its samples fall: the sandbox's harsher variant) ----------

OFFSET_MS = 2_500  # every sample 2.5 s past a 5-second step: none on the hour


@pytest.fixture
async def offset_exchange(make_sandbox):
    from paradex_ccxt import paradex

    sandbox = await make_sandbox(funding_sample_offset=OFFSET_MS / 1000)
    exchange = paradex({})
    exchange.urls["api"] = {"v1": sandbox.api_url}
    try:
        yield sandbox, exchange
    finally:
        await exchange.close()


async def test_offset_samples_fall_off_the_hour(offset_exchange):
    _, exchange = offset_exchange
    hour = exchange.milliseconds() // HOUR * HOUR
    response = await exchange.publicGetFundingData({"market": "BTC-USD-PERP", "end_at": hour, "page_size": 1})
    assert response["results"][0]["created_at"] == hour - 5_000 + OFFSET_MS


async def test_hours_between_off_hour_samples_still_add_up_to_the_index_growth(offset_exchange):
    sandbox, exchange = offset_exchange
    history = await exchange.fetch_funding_rate_history(BTC, limit=6)
    marks = {c[0]: c[1] for c in await exchange.fetch_mark_ohlcv(BTC, "1h", history[0]["timestamp"], 6)}
    assert len(history) == 6
    charged = sum(row["fundingRate"] * marks[row["timestamp"]] for row in history)
    # The hours chain sample to sample, so their sum is the growth between the first and the last sample used...
    last_sample = history[-1]["timestamp"] - 5_000 + OFFSET_MS
    first_sample = history[0]["timestamp"] - HOUR - 5_000 + OFFSET_MS
    growth = funding_index(sandbox, last_sample) - funding_index(sandbox, first_sample)
    assert charged == pytest.approx(float(growth), rel=1e-12)
    # ...which is the growth over the six hours shifted by 2.5 s.
    exact = funding_index(sandbox, history[-1]["timestamp"]) - funding_index(sandbox, history[0]["timestamp"] - HOUR)
    assert charged == pytest.approx(float(exact), rel=1e-3)
