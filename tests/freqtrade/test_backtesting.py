"""download-data and backtesting through the launcher: futures, mark and hourly funding candles over several days,
and a backtest whose funding fees are what Paradex's funding index charged. Run twice: with the sandbox's funding
samples on the hour, and off it (Paradex does not say when its samples fall)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from freqtrade.data.btanalysis import load_backtest_data
from freqtrade.data.history import load_pair_history
from freqtrade.enums import CandleType

from paradex_ccxt.sandbox import Sandbox

from .conftest import (
    MARKET,
    PAIR,
    SEED,
    base_config,
    launcher,
    make_userdir,
    write_config,
)

DAYS = 4
HOUR = timedelta(hours=1)
HOUR_MS = 3_600_000
SAMPLE_STEP_MS = 5_000


@pytest.fixture(scope="module", params=[0, 2_500], ids=["samples-on-the-hour", "samples-off-the-hour"])
def sample_offset(request) -> int:
    return request.param


@pytest.fixture(scope="module")
def sandbox(sample_offset) -> Iterator[Sandbox]:
    with Sandbox(seed=SEED, rate_limits=None, funding_sample_offset=sample_offset / 1000).running() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def userdir(sandbox, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_userdir(tmp_path_factory.mktemp("backtesting"))


@pytest.fixture(scope="module")
def downloaded(sandbox, userdir: Path) -> Path:
    config = write_config(userdir / "download.json", base_config(sandbox, None, userdir))
    result = launcher("download-data", "--config", str(config), "--days", str(DAYS), "-t", "1h")
    assert result.returncode == 0, result.stdout + result.stderr
    return config


def index_growth(sandbox: Sandbox, sample_offset: int, hour_ms: int) -> float:
    """What the funding index grew by over the hour ending at `hour_ms`, between the samples Paradex publishes
    (the newest at or before each end)."""
    def sampled(t: int) -> int:
        return t if sample_offset == 0 else t - SAMPLE_STEP_MS + sample_offset

    md = sandbox.state.engine.md
    return float(md.funding_index(MARKET, sampled(hour_ms)) - md.funding_index(MARKET, sampled(hour_ms - HOUR_MS)))


def history(userdir: Path, candle_type: CandleType):
    return load_pair_history(PAIR, "1h", userdir / "data" / "paradex", candle_type=candle_type)


@pytest.mark.parametrize("candle_type", [CandleType.FUTURES, CandleType.MARK, CandleType.FUNDING_RATE])
def test_download_covers_every_hour_of_the_days_asked(downloaded, userdir, candle_type):
    frame = history(userdir, candle_type)
    this_hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    dates = list(frame["date"])
    assert dates[0] <= this_hour - timedelta(days=DAYS) + HOUR
    assert dates[-1] >= this_hour - HOUR
    assert all(later - earlier == HOUR for earlier, later in pairwise(dates))


def test_downloaded_funding_rates_are_the_hourly_index_growth_over_the_mark(downloaded, userdir, sandbox,
                                                                           sample_offset):
    funding = history(userdir, CandleType.FUNDING_RATE).set_index("date")
    marks = history(userdir, CandleType.MARK).set_index("date")
    for date in [d for d in funding.index if d in marks.index][-48:]:
        growth = index_growth(sandbox, sample_offset, int(date.timestamp() * 1000))
        assert funding.loc[date, "funding_rate"] * marks.loc[date, "open"] == pytest.approx(growth, rel=1e-9)


def test_backtest_charges_the_funding_the_index_charged(downloaded, userdir, sandbox, sample_offset):
    start = (datetime.now(UTC) - timedelta(days=DAYS - 1)).strftime("%Y%m%d")
    results = userdir / "backtest_results"
    results.mkdir(exist_ok=True)
    result = launcher("backtesting", "--config", str(downloaded), "--timerange", f"{start}-",
                      "--export", "trades", "--backtest-directory", str(results))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unable to calculate liquidation price" not in result.stdout + result.stderr
    trades = load_backtest_data(results)
    assert len(trades) >= 5
    for trade in trades.itertuples():
        # freqtrade charges every hourly row from the trade's open to its close, both included.
        hours = range(int(trade.open_date.timestamp() * 1000), int(trade.close_date.timestamp() * 1000) + 1,
                      HOUR_MS)
        paid = sum(index_growth(sandbox, sample_offset, h) for h in hours)
        assert trade.funding_fees == pytest.approx(-trade.amount * paid, abs=0.005)
        assert trade.funding_fees != 0

