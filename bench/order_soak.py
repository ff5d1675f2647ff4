"""The order soak of issue 8 at full length: randomized order operations from 8 concurrent tasks through an HTTP/TCP
fault proxy (about 30% of requests faulted: answers dropped, connections reset, 502/503 gateways, cut and garbled
bodies, requests held past the client's 1.5 s timeout) against the in-process sandbox, with the table of what went
wrong per 1000 operations. Exits 1 when any row is not zero.

    python bench/order_soak.py                         # seeds 1 and 2, 1000 operations each
    python bench/order_soak.py --seed 7 --operations 3000 --closed-order-ttl -1
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.order_soak import main  # noqa: E402

if __name__ == "__main__":
    main()
