"""download-data and backtesting through the launcher: futures, mark and hourly funding candles over several days,
and a backtest whose funding fees are what Paradex's funding index charged."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from freqtrade.data.btanalysis import load_backtest_data
from freqtrade.data.history import load_pair_history
from freqtrade.enums import CandleType

from .conftest import MARKET, PAIR, base_config, launcher, write_config

DAYS = 4
HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
def downloaded(public_sandbox, userdir: Path) -> Path:
    config = write_config(userdir / "download.json", base_config(public_sandbox, None, userdir))
    result = launcher("download-data", "--config", str(config), "--days", str(DAYS), "-t", "1h")
    assert result.returncode == 0, result.stdout + result.stderr
    return config


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


def test_downloaded_funding_rates_are_the_hourly_index_growth_over_the_mark(downloaded, userdir, public_sandbox):
    funding = history(userdir, CandleType.FUNDING_RATE).set_index("date")
    marks = history(userdir, CandleType.MARK).set_index("date")
    md = public_sandbox.state.engine.md
    for date in [d for d in funding.index if d in marks.index][-48:]:
        hour = int(date.timestamp() * 1000)
        growth = md.funding_index(MARKET, hour) - md.funding_index(MARKET, hour - 3_600_000)
        assert funding.loc[date, "funding_rate"] * marks.loc[date, "open"] == pytest.approx(float(growth), rel=1e-9)


def test_backtest_charges_the_funding_the_index_charged(downloaded, userdir, public_sandbox):
    start = (datetime.now(UTC) - timedelta(days=DAYS - 1)).strftime("%Y%m%d")
    results = userdir / "backtest_results"
    results.mkdir(exist_ok=True)
    result = launcher("backtesting", "--config", str(downloaded), "--timerange", f"{start}-",
                      "--export", "trades", "--backtest-directory", str(results))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unable to calculate liquidation price" not in result.stdout + result.stderr
    trades = load_backtest_data(results)
    assert len(trades) >= 5
    md = public_sandbox.state.engine.md
    for trade in trades.itertuples():
        # freqtrade charges every hourly row from the trade's open to its close, both included.
        hours = range(int(trade.open_date.timestamp() * 1000), int(trade.close_date.timestamp() * 1000) + 1,
                      3_600_000)
        paid = sum(md.funding_index(MARKET, h) - md.funding_index(MARKET, h - 3_600_000) for h in hours)
        assert trade.funding_fees == pytest.approx(-trade.amount * float(paid), abs=0.005)
        assert trade.funding_fees != 0

