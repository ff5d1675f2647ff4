"""register(): frameworks that look `paradex` up on ccxt's modules by name get our classes, and it can be undone."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ccxt
import ccxt.async_support
import ccxt.pro
import pytest

from paradex_ccxt import compat
from paradex_ccxt import paradex as AsyncParadex
from paradex_ccxt.sync import paradex as SyncParadex

BUILT_IN = {
    "ccxt": ccxt.paradex,
    "ccxt.async_support": ccxt.async_support.paradex,
    "ccxt.pro": ccxt.pro.paradex,
}
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def unregistered() -> Iterator[None]:
    compat.unregister()
    yield
    compat.unregister()


def test_ccxt_paradex_is_the_sync_class_after_register() -> None:
    compat.register()
    assert getattr(ccxt, "paradex") is SyncParadex


def test_async_support_and_pro_paradex_are_the_async_class_after_register() -> None:
    compat.register()
    assert getattr(ccxt.async_support, "paradex") is AsyncParadex
    # freqtrade builds its async exchange from ccxt.pro when ccxt.pro lists the name.
    assert getattr(ccxt.pro, "paradex") is AsyncParadex


def test_ccxt_pro_paradex_keeps_streaming_after_register() -> None:
    compat.register()
    exchange = ccxt.pro.paradex()
    assert exchange.has["ws"] is True and exchange.has["watchOrderBook"] is True and exchange.has["watchBidsAsks"]
    assert callable(exchange.watch_orders)


def test_paradex_stays_listed_in_every_module() -> None:
    compat.register()
    assert all("paradex" in module.exchanges for module in (ccxt, ccxt.async_support, ccxt.pro))


def test_register_returns_the_classes_it_displaced() -> None:
    assert compat.register() == BUILT_IN


def test_register_twice_changes_nothing_more() -> None:
    first = compat.register()
    assert compat.register() == first == BUILT_IN
    assert ccxt.exchanges.count("paradex") == 1


def test_unregister_restores_ccxt_built_ins() -> None:
    compat.register()
    compat.unregister()
    assert {name: sys.modules[name].paradex for name in BUILT_IN} == BUILT_IN
    assert not compat.is_registered()


def test_the_framework_construction_pattern_gives_our_sync_exchange() -> None:
    compat.register()
    name = "paradex"
    assert name in ccxt.exchanges
    exchange = getattr(ccxt, name)({"walletAddress": "0xabc", "timeout_on_exit": 0})
    try:
        assert isinstance(exchange, SyncParadex)
        assert exchange.walletAddress == "0xabc"
    finally:
        exchange.close()


def run_launcher(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(cwd), str(REPO)]))
    return subprocess.run([sys.executable, "-m", "paradex_ccxt.compat", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=True)


PROBE = "import sys, ccxt\nprint(ccxt.paradex.__module__, ccxt.pro.paradex.__module__, sys.argv[1:])\n"


def test_launcher_runs_a_script_with_paradex_registered(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text(PROBE)
    result = run_launcher("bot.py", "trade", "--dry-run", cwd=tmp_path)
    assert result.stdout.split("\n")[0] == "paradex_ccxt.sync paradex_ccxt.exchange ['trade', '--dry-run']"


def test_launcher_runs_without_warnings(tmp_path: Path) -> None:
    # runpy warns when the package import already loaded paradex_ccxt.compat: the package must not import it eagerly.
    (tmp_path / "bot.py").write_text(PROBE)
    assert run_launcher("bot.py", cwd=tmp_path).stderr == ""


def test_launcher_without_a_target_prints_its_usage() -> None:
    with pytest.raises(SystemExit, match="usage: python -m paradex_ccxt.compat"):
        compat.main([])


def test_launcher_runs_a_module_with_paradex_registered(tmp_path: Path) -> None:
    (tmp_path / "botpkg").mkdir()
    (tmp_path / "botpkg" / "__init__.py").write_text("")
    (tmp_path / "botpkg" / "__main__.py").write_text(PROBE)
    result = run_launcher("-m", "botpkg", "trade", cwd=tmp_path)
    assert result.stdout.split("\n")[0] == "paradex_ccxt.sync paradex_ccxt.exchange ['trade']"


def test_launcher_lets_a_script_import_modules_beside_it(tmp_path: Path) -> None:
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "helper.py").write_text("VALUE = 'beside'\n")
    (tmp_path / "tools" / "bot.py").write_text("import helper\nprint(helper.VALUE)\n")
    assert run_launcher("tools/bot.py", cwd=tmp_path).stdout.strip() == "beside"


def launcher_error(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "paradex_ccxt.compat", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_launcher_help_prints_its_usage_and_exits_0(tmp_path: Path) -> None:
    result = launcher_error("--help", cwd=tmp_path)
    assert (result.returncode, result.stdout.splitlines()[0]) == (
        0, "usage: python -m paradex_ccxt.compat (-m module | script.py) [args...]")


def test_launcher_with_a_missing_script_says_so_in_one_line(tmp_path: Path) -> None:
    result = launcher_error("nosuch.py", "trade", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1, "python -m paradex_ccxt.compat: can't open file 'nosuch.py': no such file\n")


@pytest.mark.parametrize("module", ["nosuchbot", "nosuchbot.main", "json.nosuch"])
def test_launcher_with_a_missing_module_says_so_in_one_line(tmp_path: Path, module: str) -> None:
    result = launcher_error("-m", module, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, f"python -m paradex_ccxt.compat: no module named '{module}'\n")


def test_launcher_keeps_the_traceback_of_an_import_failing_inside_the_module(tmp_path: Path) -> None:
    (tmp_path / "brokenbot.py").write_text("import nosuchdependency\n")
    result = launcher_error("-m", "brokenbot", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" in result.stderr and "nosuchdependency" in result.stderr
