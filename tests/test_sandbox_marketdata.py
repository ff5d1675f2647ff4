"""Sandbox market data: seeded prices, klines, funding and background trades, consistent with themselves."""
from __future__ import annotations

from decimal import Decimal

import pytest

from paradex_ccxt.sandbox.catalog import Catalog
from paradex_ccxt.sandbox.marketdata import FUNDING_DATA_STEP_MS, MarketData, paginate

BTC = "BTC-USD-PERP"
NOW = 1_789_999_200_000  # on the hour
HOUR = 3_600_000


@pytest.fixture
def md() -> MarketData:
    return MarketData(Catalog(), seed=3, genesis_ms=NOW - 86_400_000)


def test_same_seed_gives_the_same_prices_and_another_seed_other_prices():
    a, b, c = (MarketData(Catalog(), seed=s, genesis_ms=NOW) for s in (3, 3, 4))
    assert a.mark_price(BTC, NOW) == b.mark_price(BTC, NOW) != c.mark_price(BTC, NOW)


def test_mark_moves_as_time_passes(md: MarketData):
    assert md.mark_price(BTC, NOW) != md.mark_price(BTC, NOW + 10_000)


def test_underlying_stays_within_a_few_basis_points_of_the_mark(md: MarketData):
    mark, index = md.mark_price(BTC, NOW), md.underlying_price(BTC, NOW)
    assert abs(index / mark - 1) < Decimal("0.001")


def test_prices_stay_near_the_reference_over_a_year(md: MarketData):
    for day in range(0, 365, 30):
        price = md.mark_price(BTC, NOW + day * 86_400_000)
        assert Decimal(30000) < price < Decimal(300000)


def test_klines_over_the_same_range_are_identical_whatever_was_asked_between(md: MarketData):
    first = md.klines(BTC, 5, NOW - 6 * HOUR, NOW, NOW)
    md.klines(BTC, 60, NOW - 200 * HOUR, NOW, NOW, "mark")
    md.mark_price("ETH-USD-PERP", NOW - 50 * HOUR)
    assert md.klines(BTC, 5, NOW - 6 * HOUR, NOW, NOW) == first


@pytest.mark.parametrize("resolution", [1, 3, 5, 15, 30, 60])
@pytest.mark.parametrize("kind", ["last", "mark", "underlying"])
def test_every_candle_has_high_above_and_low_below_open_and_close(md: MarketData, resolution: int, kind: str):
    rows = md.klines(BTC, resolution, NOW - 100 * resolution * 60_000, NOW, NOW, kind)
    assert len(rows) == 101
    for ts, o, h, lo, c, v in rows:
        assert h >= max(o, c) and min(o, c) >= lo and v >= 0
        assert ts % (resolution * 60_000) == 0


def test_each_candle_closes_where_the_next_opens(md: MarketData):
    rows = md.klines(BTC, 1, NOW - 30 * 60_000, NOW, NOW, "mark")
    assert all(prev[4] == nxt[1] for prev, nxt in zip(rows, rows[1:]))


def test_an_hour_candle_spans_its_minute_candles(md: MarketData):
    start = NOW - 2 * HOUR
    [hour] = md.klines(BTC, 60, start, start, NOW, "mark")
    minutes = md.klines(BTC, 1, start, start + HOUR - 1, NOW, "mark")
    assert hour[2] == max(m[2] for m in minutes) and hour[3] == min(m[3] for m in minutes)
    assert hour[1] == minutes[0][1] and hour[4] == minutes[-1][4]
    assert hour[5] == pytest.approx(sum(m[5] for m in minutes), rel=1e-3)


def test_klines_stop_at_the_present(md: MarketData):
    rows = md.klines(BTC, 1, NOW - 5 * 60_000, NOW + HOUR, NOW)
    assert rows[-1][0] <= NOW


def test_last_price_candles_are_on_the_tick(md: MarketData):
    for row in md.klines(BTC, 15, NOW - 10 * 900_000, NOW, NOW):
        assert all((Decimal(repr(p)) / Decimal("0.1")) % 1 == 0 for p in row[1:5])


@pytest.mark.parametrize("resolution, kind", [(2, "last"), (60, "index")])
def test_unknown_resolution_or_price_kind_is_refused(md: MarketData, resolution: int, kind: str):
    with pytest.raises(ValueError):
        md.klines(BTC, resolution, NOW - HOUR, NOW, NOW, kind)


def test_funding_rows_are_newest_first_every_five_seconds_and_pages_join(md: MarketData):
    first = md.funding_data(BTC, None, None, NOW, None, 50)
    second = md.funding_data(BTC, None, None, NOW, first["next"], 50)
    stamps = [r["created_at"] for r in first["results"] + second["results"]]
    assert stamps == list(range(NOW, NOW - 100 * FUNDING_DATA_STEP_MS, -FUNDING_DATA_STEP_MS))
    assert set(first["results"][0]) == {"market", "funding_index", "funding_premium", "funding_rate",
                                        "funding_rate_8h", "funding_period_hours", "created_at"}


def test_funding_index_grows_by_rate_times_price_over_the_period(md: MarketData):
    bucket_start = NOW - NOW % 300_000
    grown = md.funding_index(BTC, bucket_start + 300_000) - md.funding_index(BTC, bucket_start)
    expected = md.funding_rate(BTC, bucket_start) * md.mark_price(BTC, bucket_start) * 300_000 / (8 * HOUR)
    assert abs(grown / expected - 1) < Decimal("0.02")  # the index uses the day-level price, not the tick path


def test_funding_index_is_the_same_however_history_was_walked():
    a = MarketData(Catalog(), seed=3, genesis_ms=NOW)
    b = MarketData(Catalog(), seed=3, genesis_ms=NOW)
    a.funding_index(BTC, NOW - 5 * 86_400_000)
    assert a.funding_index(BTC, NOW + HOUR) == b.funding_index(BTC, NOW + HOUR)


def test_background_trades_page_newest_first_without_gaps_or_repeats(md: MarketData):
    seen, cursor = [], None
    for _ in range(6):
        page = md.trades(BTC, NOW - 10 * 60_000, NOW, NOW, cursor, 7)
        seen.extend(page["results"])
        cursor = page["next"]
    keys = [(t["created_at"], t["id"]) for t in seen]
    assert keys == sorted(set(keys), reverse=True)
    everything = md.trades(BTC, NOW - 10 * 60_000, NOW, NOW, None, 5000)["results"]
    assert keys == [(t["created_at"], t["id"]) for t in everything[:len(keys)]]


def test_trades_paged_back_with_prev_cursors_are_the_pages_seen_going_forward(md: MarketData):
    start = NOW - 10 * 60_000
    first = md.trades(BTC, start, NOW, NOW, None, 7)
    second = md.trades(BTC, start, NOW, NOW, first["next"], 7)
    third = md.trades(BTC, start, NOW, NOW, second["next"], 7)
    assert md.trades(BTC, start, NOW, NOW, third["prev"], 7)["results"] == second["results"]
    assert md.trades(BTC, start, NOW, NOW, second["prev"], 7)["results"] == first["results"]


def test_trades_stay_inside_the_requested_range(md: MarketData):
    start, end = NOW - 5 * 60_000, NOW - 2 * 60_000
    rows = md.trades(BTC, start, end, NOW, None, 5000)["results"]
    assert rows and all(start <= r["created_at"] <= end for r in rows)


def test_real_trades_are_merged_into_the_background_flow(md: MarketData):
    real = [{"id": f"{NOW - 1000:013d}201700000000001", "market": BTC, "side": "BUY", "size": "1",
             "price": "1", "created_at": NOW - 1000, "trade_type": "FILL"}]
    rows = md.trades(BTC, NOW - 60_000, NOW, NOW, None, 100, real)["results"]
    assert real[0] in rows
    assert [r["created_at"] for r in rows] == sorted((r["created_at"] for r in rows), reverse=True)


def test_trade_rows_have_paradex_public_trade_fields(md: MarketData):
    row = md.trades(BTC, None, None, NOW, None, 1)["results"][0]
    assert set(row) == {"id", "market", "side", "size", "price", "created_at", "trade_type"}
    assert row["side"] in ("BUY", "SELL") and row["trade_type"] == "FILL" and row["created_at"] <= NOW


def test_option_premium_is_below_its_underlying_and_positive(md: MarketData):
    premium = md.mark_price("BTC-USD-95000-C", NOW)
    assert Decimal(0) < premium < md.mark_price(BTC, NOW)


def test_prev_cursor_of_the_second_page_returns_the_first(md: MarketData):
    rows = list(range(20, 0, -1))

    def older(bound, n):
        return [r for r in rows if bound is None or r < bound[0]][:n]

    def newer(bound, n):
        return sorted(r for r in rows if r > bound[0])[:n]

    first = paginate(older, newer, None, 6, key=lambda r: (r,))
    second = paginate(older, newer, first["next"], 6, key=lambda r: (r,))
    assert paginate(older, newer, second["prev"], 6, key=lambda r: (r,))["results"] == first["results"]
    assert (first["prev"], second["results"]) == (None, list(range(14, 8, -1)))


def test_malformed_cursor_is_refused():
    with pytest.raises(ValueError):
        paginate(lambda b, n: [], lambda b, n: [], "%%%", 10, key=lambda r: (r,))


def test_call_option_delta_is_between_zero_and_one_and_gamma_and_vega_positive(md: MarketData):
    greeks = {k: Decimal(v) for k, v in md.option_greeks("BTC-USD-95000-C", NOW).items()}
    assert 0 < greeks["delta"] < 1 and greeks["gamma"] > 0 and greeks["vega"] > 0


def test_volume_24h_is_stable_within_the_hour(md: MarketData):
    assert md.volume_24h(BTC, NOW + 60_000) == md.volume_24h(BTC, NOW + 3_500_000) > 0
