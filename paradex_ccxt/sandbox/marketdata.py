"""Seeded, clock-free market data: price paths, klines, funding, background trades, and cursor pagination.

Everything here is a pure function of (seed, market, time): asking twice for the same range gives the same rows,
whatever was asked in between, and no real time is read (callers pass ``now_ms``).

Public API (stable):

- ``MarketData(catalog, seed, genesis_ms, funding_sample_offset_ms=0)`` (``genesis_ms``: the sandbox's start; the
  funding index is summed from that day, so pick it once per sandbox; ``funding_sample_offset_ms``: the phase of
  the ``/funding/data`` samples within their 5-second step)
  - ``mark_price(symbol, t_ms) -> Decimal`` (8 decimals) and ``underlying_price(symbol, t_ms) -> Decimal``: the
    price the engine marks positions and triggers stops with, moving as the clock moves;
    ``mark_range(symbol, t0, t1)``: lowest and highest mark in between; ``last_price``: the mark on the tick.
  - ``klines(symbol, resolution, start_at, end_at, now_ms, price_kind="last") -> list[list]``:
    ``GET /v1/markets/klines`` ``results``: ``[ts_ms, open, high, low, close, volume]`` ascending, JSON numbers
    like Paradex; ``resolution`` in minutes (1, 3, 5, 15, 30, 60); ``price_kind`` ``last`` | ``mark`` |
    ``underlying``. Raises ``ValueError`` for a bad resolution or price kind.
  - ``funding_rate(symbol, t_ms) -> Decimal`` (per funding period), ``funding_index(symbol, t_ms) -> Decimal``
    (cumulative USD per unit of base; a long pays ``size * Δindex``).
  - ``funding_data(symbol, start_at, end_at, now_ms, cursor, page_size) -> {next, prev, results}``:
    ``GET /v1/funding/data`` rows ``{market, funding_index, funding_premium, funding_rate, funding_rate_8h,
    funding_period_hours, created_at}`` newest first, one row per ``FUNDING_DATA_STEP_MS``, at
    ``created_at`` = offset (mod the step).
  - ``trades(symbol, start_at, end_at, now_ms, cursor, page_size, real=()) -> {next, prev, results}``:
    ``GET /v1/trades``: background trades generated from the seed merged with the engine's real trades
    (``real``: trade dicts sorted oldest first), newest first.
  - ``volume_24h(symbol, now_ms)``, ``price_change_rate_24h(symbol, now_ms)``,
    ``open_interest(symbol, now_ms)``: the statistics a markets-summary row needs.
- ``paginate(older, newer, cursor, page_size, key) -> {next, prev, results}``: the cursor scheme every paginated
  sandbox endpoint uses (opaque base64 cursors; ``next`` is ``None`` on the last page). ``ValueError`` on a
  malformed cursor.

How prices move: every market has a log-price path made of (a) day-level knots from multi-scale value noise
around the market's reference price (so prices stay realistic however far the clock runs) and (b) within each day
a Brownian bridge of 10-second steps between the two day knots. Between 10-second knots the price is linear, so
a candle's high/low over its knots bounds every price inside it. Options price off their underlying's path with
an everlasting-option premium at the market's implied volatility.
"""
from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import heapq
import itertools
import json
import math
import random
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from .catalog import Catalog, MarketSpec, dec8, dec_str

STEP_MS = 10_000
DAY_MS = 86_400_000
STEPS_PER_DAY = DAY_MS // STEP_MS
MINUTE_MS = 60_000
RESOLUTIONS = (1, 3, 5, 15, 30, 60)
PRICE_KINDS = ("last", "mark", "underlying")
FUNDING_DATA_STEP_MS = 5_000
FUNDING_BUCKET_MS = 300_000
TRADE_BUCKET_MS = 10_000
MAX_PAGE_SIZE = 5000
_DAY_SCALES = (1, 4, 16, 64)  # days: slow components of the day knots
_SERIES_CACHE = 96  # day series kept per MarketData (a day is 8641 floats)


def _unit(*parts: object) -> float:
    """A uniform number in [0, 1) from the parts, stable across processes (no PYTHONHASHSEED)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _seed_int(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest(), "big")


def _smooth_noise(seed: int, tag: str, x: float) -> float:
    """Value noise in [-1, 1], smooth in x (cosine interpolation between hashed integer points)."""
    i = math.floor(x)
    f = x - i
    a = _unit(seed, tag, i) * 2 - 1
    b = _unit(seed, tag, i + 1) * 2 - 1
    w = (1 - math.cos(math.pi * f)) / 2
    return a + (b - a) * w


def _norm_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


class _Path:
    """The mark-price path of one perp (floats inside; Decimals leave through MarketData)."""

    def __init__(self, seed: int, spec: MarketSpec):
        self.seed = seed
        self.spec = spec
        self.log_ref = math.log(float(spec.ref_price))
        self.vol = float(spec.daily_vol)
        self._days: OrderedDict[tuple[str, int], list[float]] = OrderedDict()

    def log_knot(self, day: int) -> float:
        total = 0.0
        for scale in _DAY_SCALES:
            total += 0.8 * self.vol * math.sqrt(scale) * _smooth_noise(self.seed, f"{self.spec.symbol}/d{scale}",
                                                                       day / scale)
        return self.log_ref + total

    def basis(self, t_ms: int) -> float:
        """Index = mark * (1 - basis): a few basis points, drifting over hours."""
        return 0.0004 * _smooth_noise(self.seed, f"{self.spec.symbol}/basis", t_ms / 3_600_000)

    def series(self, kind: str, day: int) -> list[float]:
        key = (kind, day)
        cached = self._days.get(key)
        if cached is not None:
            self._days.move_to_end(key)
            return cached
        if kind == "mark":
            values = self._bridge(day)
        else:
            t0 = day * DAY_MS
            values = [p * (1 - self.basis(t0 + i * STEP_MS)) for i, p in enumerate(self.series("mark", day))]
        self._days[key] = values
        while len(self._days) > _SERIES_CACHE:
            self._days.popitem(last=False)
        return values

    def _bridge(self, day: int) -> list[float]:
        rng = random.Random(_seed_int(self.seed, self.spec.symbol, "day", day))
        sigma = self.vol / math.sqrt(STEPS_PER_DAY)
        walk = [0.0]
        for _ in range(STEPS_PER_DAY):
            walk.append(walk[-1] + rng.gauss(0.0, sigma))
        start, end = self.log_knot(day), self.log_knot(day + 1)
        drift = end - start - walk[-1]
        return [math.exp(start + w + drift * i / STEPS_PER_DAY) for i, w in enumerate(walk)]

    def at(self, kind: str, t_ms: int) -> float:
        day, offset = divmod(t_ms, DAY_MS)
        step, rest = divmod(offset, STEP_MS)
        values = self.series(kind, day)
        a, b = values[step], values[step + 1]
        return a + (b - a) * rest / STEP_MS

    def knots(self, kind: str, t0: int, t1: int) -> list[float]:
        """Prices at t0, every 10-second knot strictly inside (t0, t1), and t1."""
        out = [self.at(kind, t0)]
        k = t0 // STEP_MS + 1
        last = (t1 - 1) // STEP_MS
        while k <= last:
            day, step = divmod(k, STEPS_PER_DAY)
            values = self.series(kind, day)
            stop = min(last, (day + 1) * STEPS_PER_DAY - 1)
            out.extend(values[step:step + stop - k + 1])
            k = stop + 1
        out.append(self.at(kind, t1))
        return out

    def slow_price(self, t_ms: int) -> float:
        """The day-knot level only: cheap, used where hours of history must be summed (funding index)."""
        x = t_ms / DAY_MS
        day = math.floor(x)
        a, b = self.log_knot(day), self.log_knot(day + 1)
        return math.exp(a + (b - a) * (x - day))


class MarketData:
    def __init__(self, catalog: Catalog, seed: int = 0, genesis_ms: int = 1_767_225_600_000,
                 funding_sample_offset_ms: int = 0):
        self.catalog = catalog
        self.seed = seed
        self.funding_sample_offset_ms = funding_sample_offset_ms % FUNDING_DATA_STEP_MS
        # the funding index is summed from the genesis day; its value there is a seeded constant
        self._anchor_bucket = genesis_ms // DAY_MS * DAY_MS // FUNDING_BUCKET_MS
        self._paths: dict[str, _Path] = {}
        for spec in catalog.specs():
            if not spec.is_option:
                self._paths[spec.symbol] = _Path(seed, spec)
        self._funding_prefix: dict[str, dict[int, float]] = {}
        self._hour_volumes: dict[tuple[str, int], float] = {}

    # ---- prices ---------------------------------------------------------------------------------------------

    def _price_f(self, symbol: str, kind: str, t_ms: int) -> float:
        spec = self.catalog.spec(symbol)
        if spec.is_option:
            under = self._paths[spec.underlying].at("underlying" if kind == "underlying" else "mark", t_ms)
            return under if kind == "underlying" else self._premium(spec, under)
        return self._paths[symbol].at(kind, t_ms)

    def _knots(self, symbol: str, kind: str, t0: int, t1: int) -> list[float]:
        spec = self.catalog.spec(symbol)
        if spec.is_option:
            under = self._paths[spec.underlying].knots("underlying" if kind == "underlying" else "mark", t0, t1)
            return under if kind == "underlying" else [self._premium(spec, u) for u in under]
        return self._paths[symbol].knots("underlying" if kind == "underlying" else "mark", t0, t1)

    @staticmethod
    def _premium(spec: MarketSpec, spot: float) -> float:
        """Value of a perpetual option: the everlasting-option sum of Black-Scholes values (zero rates) at
        expiries of k funding periods weighted 2^-k, floored at one tick as a mark price is."""
        strike = float(spec.strike_price)
        value = 0.0
        for k in range(1, 13):
            sig = float(spec.iv) * math.sqrt(k * spec.funding_period_hours / (24 * 365))
            d1 = (math.log(spot / strike) + sig * sig / 2) / sig
            d2 = d1 - sig
            if spec.option_type == "CALL":
                bs = spot * _norm_cdf(d1) - strike * _norm_cdf(d2)
            else:
                bs = strike * _norm_cdf(-d2) - spot * _norm_cdf(-d1)
            value += bs / 2 ** k
        return max(value, float(spec.price_tick_size))

    def option_greeks(self, symbol: str, t_ms: int) -> dict[str, str]:
        """Delta, gamma and vega (per 1.00 of volatility) of an option's mark, by finite differences."""
        spec = self.catalog.spec(symbol)
        spot = self._paths[spec.underlying].at("mark", t_ms)
        h = spot * 1e-4
        up, mid, down = (self._premium(spec, spot + h), self._premium(spec, spot), self._premium(spec, spot - h))
        bumped = replace(spec, iv=spec.iv + Decimal("0.01"))
        values = {
            "delta": (up - down) / (2 * h),
            "gamma": (up - 2 * mid + down) / (h * h),
            "vega": (self._premium(bumped, spot) - mid) / 0.01,
        }
        return {k: dec_str(dec8(Decimal(repr(v)))) for k, v in values.items()}

    def mark_price(self, symbol: str, t_ms: int) -> Decimal:
        return dec8(Decimal(repr(self._price_f(symbol, "mark", t_ms))))

    def underlying_price(self, symbol: str, t_ms: int) -> Decimal:
        return dec8(Decimal(repr(self._price_f(symbol, "underlying", t_ms))))

    def mark_range(self, symbol: str, t0: int, t1: int) -> tuple[Decimal, Decimal]:
        """Lowest and highest mark over [t0, t1] (the path is linear between knots, so knots bound it)."""
        knots = self._knots(symbol, "mark", t0, t1)
        return dec8(Decimal(repr(min(knots)))), dec8(Decimal(repr(max(knots))))

    def last_price(self, symbol: str, t_ms: int) -> Decimal:
        """The mark rounded to the tick: what the background trades print."""
        return self._to_tick(symbol, self._price_f(symbol, "mark", t_ms))

    def _to_tick(self, symbol: str, value: float) -> Decimal:
        tick = self.catalog.spec(symbol).price_tick_size
        return (Decimal(repr(value)) / tick).quantize(Decimal(1), ROUND_HALF_EVEN) * tick

    # ---- klines ---------------------------------------------------------------------------------------------

    def _minute_volume(self, symbol: str, minute: int) -> float:
        spec = self.catalog.spec(symbol)
        # about 2M USD a day of background flow, in base units at the reference price
        typical = 2_000_000 / 1440 / float(spec.ref_price)
        return typical * 2 * _unit(self.seed, symbol, "vol", minute)

    def klines(self, symbol: str, resolution: int | str, start_at: int, end_at: int, now_ms: int,
               price_kind: str = "last") -> list[list]:
        try:
            res = int(resolution)
        except (TypeError, ValueError):
            raise ValueError(f"resolution must be one of {RESOLUTIONS}") from None
        if res not in RESOLUTIONS:
            raise ValueError(f"resolution must be one of {RESOLUTIONS}")
        if price_kind not in PRICE_KINDS:
            raise ValueError(f"price_kind must be one of {PRICE_KINDS}")
        span = res * MINUTE_MS
        end = min(end_at, now_ms)
        first = -(-start_at // span) * span  # the first candle opening at or after start_at
        spec = self.catalog.spec(symbol)
        step = spec.order_size_increment
        rows: list[list] = []
        ts = first
        while ts <= end:
            close_at = min(ts + span, now_ms)
            prices = self._knots(symbol, "underlying" if price_kind == "underlying" else "mark", ts, close_at)
            o, h, lo, c = prices[0], max(prices), min(prices), prices[-1]
            volume = sum(self._minute_volume(symbol, m) for m in range(ts // MINUTE_MS, -(-close_at // MINUTE_MS)))
            vol_dec = (Decimal(repr(volume)) / step).quantize(Decimal(1)) * step
            if price_kind == "last":
                quad = [self._to_tick(symbol, v) for v in (o, h, lo, c)]
            else:
                quad = [dec8(Decimal(repr(v))) for v in (o, h, lo, c)]
            rows.append([ts, *(float(q) for q in quad), float(vol_dec)])
            ts += span
        return rows

    # ---- 24h statistics -------------------------------------------------------------------------------------

    def _hour_volume_usd(self, symbol: str, hour: int) -> float:
        key = (symbol, hour)
        cached = self._hour_volumes.get(key)
        if cached is None:
            if len(self._hour_volumes) > 10_000:
                self._hour_volumes.clear()
            first = hour * 60
            price = self._price_f(symbol, "mark", hour * 3_600_000)
            cached = self._hour_volumes[key] = price * sum(self._minute_volume(symbol, m)
                                                           for m in range(first, first + 60))
        return cached

    def volume_24h(self, symbol: str, now_ms: int) -> Decimal:
        """USD volume of the background flow over the 24 whole hours before the current one."""
        hour = now_ms // 3_600_000
        return dec8(Decimal(repr(sum(self._hour_volume_usd(symbol, h) for h in range(hour - 24, hour)))))

    def price_change_rate_24h(self, symbol: str, now_ms: int) -> Decimal:
        before = self._price_f(symbol, "mark", now_ms - DAY_MS)
        return dec8(Decimal(repr(self._price_f(symbol, "mark", now_ms) / before - 1)))

    def open_interest(self, symbol: str, now_ms: int) -> Decimal:
        spec = self.catalog.spec(symbol)
        level = 0.2 + 0.1 * _smooth_noise(self.seed, f"{symbol}/oi", now_ms / 3_600_000)
        raw = Decimal(repr(level)) * spec.position_limit
        return (raw / spec.order_size_increment).quantize(Decimal(1)) * spec.order_size_increment

    # ---- funding --------------------------------------------------------------------------------------------

    def funding_rate(self, symbol: str, t_ms: int) -> Decimal:
        """Rate per funding period, constant within each 5-minute bucket, clamped to max_funding_rate."""
        return dec8(Decimal(repr(self._rate_f(symbol, t_ms // FUNDING_BUCKET_MS))))

    def _rate_f(self, symbol: str, bucket: int) -> float:
        spec = self.catalog.spec(symbol)
        base = 0.0001 * spec.funding_period_hours / 8
        swing = 3 * base * _smooth_noise(self.seed, f"{symbol}/funding", bucket / 36)
        cap = float(spec.max_funding_rate)
        return max(-cap, min(cap, base + swing))

    def _bucket_accrual(self, symbol: str, bucket: int) -> float:
        """Index growth over one bucket: rate x price x (bucket / funding period)."""
        spec = self.catalog.spec(symbol)
        path = self._paths[spec.underlying or symbol]
        price = path.slow_price(bucket * FUNDING_BUCKET_MS)
        if spec.is_option:
            price = self._premium(spec, price)
        period_ms = spec.funding_period_hours * 3_600_000
        return self._rate_f(symbol, bucket) * price * FUNDING_BUCKET_MS / period_ms

    def _index_f(self, symbol: str, t_ms: int) -> float:
        prefix = self._funding_prefix.get(symbol)
        if prefix is None:
            start = float(self.catalog.spec(symbol).ref_price) * 0.25 * _unit(self.seed, symbol, "index")
            prefix = self._funding_prefix[symbol] = {self._anchor_bucket: start}
        bucket, rest = divmod(t_ms, FUNDING_BUCKET_MS)
        if bucket not in prefix:
            known = sorted(prefix)
            if bucket > known[-1]:
                b, value = known[-1], prefix[known[-1]]
                while b < bucket:
                    value += self._bucket_accrual(symbol, b)
                    b += 1
                    prefix[b] = value
            else:
                b, value = known[0], prefix[known[0]]
                while b > bucket:
                    b -= 1
                    value -= self._bucket_accrual(symbol, b)
                    prefix[b] = value
        return prefix[bucket] + self._bucket_accrual(symbol, bucket) * rest / FUNDING_BUCKET_MS

    def funding_index(self, symbol: str, t_ms: int) -> Decimal:
        return dec8(Decimal(repr(self._index_f(symbol, t_ms))))

    def _funding_row(self, symbol: str, ts: int) -> dict:
        spec = self.catalog.spec(symbol)
        rate = self.funding_rate(symbol, ts)
        return {
            "market": symbol,
            "funding_index": dec_str(self.funding_index(symbol, ts)),
            "funding_premium": dec_str(dec8(rate * self.mark_price(symbol, ts))),
            "funding_rate": dec_str(rate),
            "funding_rate_8h": dec_str(dec8(rate * 8 / spec.funding_period_hours)),
            "funding_period_hours": spec.funding_period_hours,
            "created_at": ts,
        }

    def funding_data(self, symbol: str, start_at: int | None, end_at: int | None, now_ms: int,
                     cursor: str | None = None, page_size: int = 100) -> dict:
        offset = self.funding_sample_offset_ms
        newest = min(end_at if end_at is not None else now_ms, now_ms)
        hi = (newest - offset) // FUNDING_DATA_STEP_MS * FUNDING_DATA_STEP_MS + offset
        lo = start_at if start_at is not None else 0

        def older(bound: tuple | None, n: int) -> list[dict]:
            ts = hi if bound is None else bound[0] - FUNDING_DATA_STEP_MS
            out: list[dict] = []
            while ts >= lo and len(out) < n:
                out.append(self._funding_row(symbol, ts))
                ts -= FUNDING_DATA_STEP_MS
            return out

        def newer(bound: tuple, n: int) -> list[dict]:
            ts = bound[0] + FUNDING_DATA_STEP_MS
            out: list[dict] = []
            while ts <= hi and len(out) < n:
                out.append(self._funding_row(symbol, ts))
                ts += FUNDING_DATA_STEP_MS
            return out

        return paginate(older, newer, cursor, page_size, key=lambda r: (r["created_at"],))

    # ---- background trades ----------------------------------------------------------------------------------

    def _bucket_trades(self, symbol: str, bucket: int) -> list[dict]:
        """0-2 trades printed by the background flow in one 10-second bucket, oldest first."""
        spec = self.catalog.spec(symbol)
        count = int(_unit(self.seed, symbol, "n", bucket) * 3)
        rows = []
        for k in range(count):
            ts = bucket * TRADE_BUCKET_MS + int(_unit(self.seed, symbol, "t", bucket, k) * TRADE_BUCKET_MS)
            side = "BUY" if _unit(self.seed, symbol, "s", bucket, k) < 0.5 else "SELL"
            notional = 50 + 5000 * _unit(self.seed, symbol, "q", bucket, k) ** 3
            size = max(spec.order_size_increment,
                       (Decimal(repr(notional / float(spec.ref_price))) / spec.order_size_increment).quantize(
                           Decimal(1)) * spec.order_size_increment)
            rows.append({
                "id": f"{ts:013d}1999{bucket % 10**9:09d}{k:02d}",
                "market": symbol,
                "side": side,
                "size": dec_str(size),
                "price": dec_str(self.last_price(symbol, ts)),
                "created_at": ts,
                "trade_type": "FILL",
            })
        rows.sort(key=lambda r: (r["created_at"], r["id"]))
        return rows

    def trades(self, symbol: str, start_at: int | None, end_at: int | None, now_ms: int,
               cursor: str | None = None, page_size: int = 100, real: Sequence[dict] = ()) -> dict:
        hi = min(end_at if end_at is not None else now_ms, now_ms)
        lo = start_at if start_at is not None else 0
        real_keys = [(r["created_at"], r["id"]) for r in real]

        def key(r: dict) -> tuple:
            return (r["created_at"], r["id"])

        def in_range(r: dict) -> bool:
            return lo <= r["created_at"] <= hi

        def older(bound: tuple | None, n: int) -> list[dict]:
            # Start no newer than the range's end, so the walk only has to stop at its start.
            limit = min(tuple(bound), (hi, "\x7f")) if bound is not None else (hi, "\x7f")
            idx = bisect.bisect_left(real_keys, limit)
            real_rows = (real[i] for i in range(idx - 1, -1, -1))
            synthetic = (r for bucket in range(limit[0] // TRADE_BUCKET_MS, lo // TRADE_BUCKET_MS - 1, -1)
                         for r in reversed(self._bucket_trades(symbol, bucket)) if key(r) < limit)
            return merged(real_rows, synthetic, n, newest_first=True)

        def newer(bound: tuple, n: int) -> list[dict]:
            limit = max(tuple(bound), (lo, ""))
            idx = bisect.bisect_right(real_keys, limit)
            real_rows = (real[i] for i in range(idx, len(real)))
            synthetic = (r for bucket in range(limit[0] // TRADE_BUCKET_MS, hi // TRADE_BUCKET_MS + 1)
                         for r in self._bucket_trades(symbol, bucket) if key(r) > limit)
            return merged(real_rows, synthetic, n, newest_first=False)

        def merged(real_rows: Iterable[dict], synthetic: Iterable[dict], n: int, newest_first: bool) -> list[dict]:
            """Up to n rows of two streams sorted the same way, merged lazily until the range ends."""
            rows = heapq.merge(real_rows, synthetic, key=key, reverse=newest_first)
            return list(itertools.islice(itertools.takewhile(in_range, rows), n))

        return paginate(older, newer, cursor, page_size, key=key)


# ---- cursor pagination --------------------------------------------------------------------------------------

def encode_cursor(key: Iterable, direction: str) -> str:
    payload = json.dumps({"k": list(key), "d": direction}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode()


def decode_cursor(cursor: str) -> tuple[tuple, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        key, direction = tuple(data["k"]), data["d"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise ValueError("malformed cursor") from exc
    if direction not in ("next", "prev") or not key:
        raise ValueError("malformed cursor")
    return key, direction


def paginate(older: Callable[[tuple | None, int], list], newer: Callable[[tuple, int], list],
             cursor: str | None, page_size: int, key: Callable[[Any], tuple]) -> dict:
    """One page of a newest-first listing.

    ``older(bound, n)``: up to n rows strictly older than ``bound`` (``None``: from the newest), newest first.
    ``newer(bound, n)``: up to n rows strictly newer than ``bound``, oldest first.
    Cursors carry the boundary row's key, so rows added meanwhile never shift a page: no row is lost or repeated.
    """
    size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    if cursor:
        bound, direction = decode_cursor(cursor)
    else:
        bound, direction = None, "next"
    if direction == "next":
        rows = older(bound, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        nxt = encode_cursor(key(rows[-1]), "next") if more else None
        prev = encode_cursor(key(rows[0]), "prev") if bound is not None and rows else None
        return {"next": nxt, "prev": prev, "results": rows}
    assert bound is not None  # a cursor always carries its boundary
    rows = newer(bound, size + 1)
    more = len(rows) > size
    rows = list(reversed(rows[:size]))
    prev = encode_cursor(key(rows[0]), "prev") if more else None
    nxt = encode_cursor(key(rows[-1]), "next") if rows else encode_cursor(bound, "next")
    return {"next": nxt, "prev": prev, "results": rows}
