"""A clock a test sets by hand, for the engine, ledger, JWT and auth tests that must not depend on real time."""
from __future__ import annotations


class ManualClock:
    """Calling it reads `now` (ms or s, as the code under test counts); a test moves it by assigning `now` or with
    `tick`."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def tick(self, step: float = 1) -> None:
        self.now += step
