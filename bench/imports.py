"""Import cost: peak RSS and wall time of importing the exchange class (and constructing it), ours against ccxt's
built-in, each in a fresh interpreter, median of several runs. Also the sandbox's, which must not load ccxt.

    python bench/imports.py [--runs 7]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = """
import json, resource, sys, time
start = time.perf_counter()
{code}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "sympy": "sympy" in sys.modules, "ccxt": "ccxt" in sys.modules}}))
"""

SUBJECTS = {
    "paradex_ccxt": "from paradex_ccxt import paradex; paradex()",
    "ccxt built-in": "from ccxt.async_support import paradex; paradex()",
    "paradex_ccxt.sandbox": "from paradex_ccxt.sandbox import Sandbox; Sandbox()",
}


def measure(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    print(f"{'import':<22} {'RSS MiB':>8} {'seconds':>8}  loads")
    for name, code in SUBJECTS.items():
        samples = [measure(code) for _ in range(runs)]
        loads = ", ".join(module for module in ("ccxt", "sympy") if samples[0][module]) or "-"
        print(f"{name:<22} {statistics.median(s['rss_mib'] for s in samples):>8.1f} "
              f"{statistics.median(s['seconds'] for s in samples):>8.3f}  {loads}")


if __name__ == "__main__":
    main()
