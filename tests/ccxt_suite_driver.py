"""Runs ccxt's own exchange test suite (ccxt/test/tests_async.py, shipped in the ccxt package) on `paradex`.

    python -m paradex_ccxt.compat tests/ccxt_suite_driver.py paradex --private [--fundedTests] [--info]

Started through paradex_ccxt.compat so that ccxt's runner, which builds `ccxt.async_support.paradex`, gets this
package's class. CCXT_SUITE_ROOT names the folder the runner reads its per-exchange files from: keys.local.json
(credentials, URLs) and skip-tests.json. tests/test_ccxt_suite.py prepares both and a sandbox to run against.
"""
from __future__ import annotations

import asyncio
import os
import sys

import ccxt.async_support

sys.path.insert(0, os.path.join(os.path.dirname(ccxt.__file__), "test"))
# ccxt's runner refuses to import from an installed (site-packages) ccxt, a guard for ccxt's own developers against
# testing a stale install; testing the installed ccxt is exactly the point here, so the guard reads another path.
_installed_at = ccxt.async_support.__file__
ccxt.async_support.__file__ = os.path.join(os.environ["CCXT_SUITE_ROOT"], "ccxt", "async_support", "__init__.py")
try:
    import tests_helpers
finally:
    ccxt.async_support.__file__ = _installed_at
tests_helpers.ROOT_DIR = os.path.join(os.environ["CCXT_SUITE_ROOT"], "")

from tests_async import testMainClass

asyncio.run(testMainClass().init(tests_helpers.argv.exchange, tests_helpers.argvSymbol, tests_helpers.argvMethod))
