"""SBE decode throughput: paradex_ccxt.sbe against ccxt 4.5.90's built-in decoder, per template, offline.

Run from the repository root:

    python bench/sbe.py [--budget SECONDS]

Frames: the real captures of tests/data/sbe (BBO, a 2918-byte book snapshot of 175 levels, a one-level book
delta, an option markets summary), and frames written by `from_paradex_json` at schema version 2 for the
templates no capture exists of (trade, funding data, order, fill, position, account).

Columns, in frames per second on one core:
  decode        paradex_ccxt.sbe.decode (raw message: schema names, exact decimal strings, us timestamps)
  + json        decode followed by to_paradex_json (the JSON channel payload a stream handler consumes)
  ccxt          ccxt.pro.paradex().parse_sbe_message, the same job (frame -> JSON channel payload); "-" where
                it returns nothing for that template
  encode        from_paradex_json: JSON payload -> frame, what the sandbox's server does per event
Then the ratio (+ json) / ccxt. That both produce the same JSON payloads is a test
(tests/test_sbe_real_frames.py), not part of this run.
"""
from __future__ import annotations

import argparse
import base64
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ccxt.pro  # noqa: E402

from paradex_ccxt.sbe import decode, from_paradex_json, to_paradex_json  # noqa: E402
from tests import sbe_samples  # noqa: E402

DATA = ROOT / "tests" / "data" / "sbe"


def captured(name: str) -> list[bytes]:
    lines = [json.loads(line) for line in (DATA / name).read_text().splitlines()]
    return [base64.b64decode(line["b64"]) for line in lines if line["opcode"] == "binary"]


def frames() -> list[tuple[str, bytes]]:
    book = captured("btc-order-book-deltas-2026-10-08.jsonl")
    cases = [
        ("BboEvent (captured)", captured("btc-bbo-2026-10-08.jsonl")[0]),
        ("BookEvent snapshot, 175 levels (captured)", book[0]),
        ("BookEvent delta, 1 level (captured)", book[1]),
        ("MarketSummaryEvent option (captured)",
         bytes.fromhex((DATA / "btc-option-markets-summary-2026-10-04.hex").read_text().strip())),
    ]
    for channel in ("trades.BTC-USD-PERP", "funding_data", "orders.BTC-USD-PERP", "fills.BTC-USD-PERP",
                    "positions", "account"):
        frame = from_paradex_json(channel, sbe_samples.CHANNEL_SAMPLES[channel], 2)
        cases.append((f"{decode(frame).template} v2", frame))
    return cases


def rate(step: Callable[[], object], budget_s: float) -> float:
    runs = 0
    start = time.perf_counter()
    while True:
        for _ in range(50):
            step()
        runs += 50
        elapsed = time.perf_counter() - start
        if elapsed >= budget_s:
            return runs / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget", type=float, default=0.4, help="seconds per measurement (default 0.4)")
    budget = parser.parse_args().budget
    builtin = ccxt.pro.paradex()
    print(f"{'frame':44} {'bytes':>6} {'decode':>10} {'+ json':>10} {'ccxt':>10} {'encode':>10} {'ratio':>6}")
    for label, frame in frames():
        message = decode(frame)
        channel, data = to_paradex_json(message)
        theirs = builtin.parse_sbe_message(frame)
        ours_decode = rate(lambda: decode(frame), budget)
        ours_json = rate(lambda: to_paradex_json(decode(frame)), budget)
        ccxt_rate = rate(lambda: builtin.parse_sbe_message(frame), budget) if theirs is not None else None
        encode_rate = rate(lambda: from_paradex_json(channel, data, message.version), budget)
        print(
            f"{label:44} {len(frame):>6} {ours_decode:>10,.0f} {ours_json:>10,.0f} "
            f"{ccxt_rate and f'{ccxt_rate:,.0f}' or '-':>10} {encode_rate:>10,.0f} "
            f"{ccxt_rate and f'{ours_json / ccxt_rate:.1f}x' or '-':>6}"
        )


if __name__ == "__main__":
    main()
