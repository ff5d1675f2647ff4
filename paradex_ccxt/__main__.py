"""`python -m paradex_ccxt COMMAND [args...]`: the package's commands (`--help` lists them)."""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

PROG = "python -m paradex_ccxt"


def _demo(argv: Sequence[str]) -> None:
    from .demo import main

    main(argv)


def _onboard(argv: Sequence[str]) -> None:
    from .onboard import main

    main(argv)


def _sandbox(argv: Sequence[str]) -> None:
    from .sandbox.__main__ import main

    main(argv)


# name -> (entry point, one-line summary); imported on use, so `--help` stays instant.
COMMANDS: dict[str, tuple[Callable[[Sequence[str]], None], str]] = {
    "demo": (_demo, ("a trading session on the embedded sandbox, no account needed (--testnet: read-only on "
                     "Paradex testnet)")),
    "onboard": (_onboard, "register an Ethereum key's Paradex account (reads the key from a freqtrade config)"),
    "sandbox": (_sandbox, ("serve a local Paradex and print ready-to-use accounts (same as python -m "
                           "paradex_ccxt.sandbox)")),
}

HELP = f"""usage: {PROG} COMMAND [args...]

commands:
{chr(10).join(f"  {name:<9} {summary}" for name, (_, summary) in COMMANDS.items())}

`{PROG} COMMAND --help` describes a command. Also:
  python -m paradex_ccxt.compat (-m module | script.py) [args...]   run a program with ccxt's paradex replaced
  python -m paradex_ccxt.freqtrade trade --config ...                run freqtrade on Paradex (needs freqtrade)
"""


def main(argv: Sequence[str]) -> None:
    if not argv or argv[0] in ("-h", "--help"):
        print(HELP, end="")
        if not argv:
            raise SystemExit(2)
        return
    if argv[0] not in COMMANDS:
        raise SystemExit(f"{PROG}: unknown command {argv[0]!r} (commands: {', '.join(COMMANDS)}; --help for more)")
    COMMANDS[argv[0]][0](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
