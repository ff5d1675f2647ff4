"""What happened on the sandbox exchange, for whoever streams it (the WebSocket layer).

The engine publishes synchronously, at the moment of each change, so a listener sees every state an order passes
through (NEW, OPEN, partly filled, CLOSED) and not just the last one. Listeners must not call back into the engine's
stepping methods: they run in the middle of a match.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    kind: str  # "order" (payload: the order's Paradex JSON), "fill" (a fill row), "trade" (a trade row),
    # "book" (payload: the market whose book changed)
    account: str | None  # the account an order or fill belongs to; None for public events
    payload: Any


Listener = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns the function that removes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @property
    def active(self) -> bool:
        """Whether anyone listens: publishers skip building payloads nobody reads."""
        return bool(self._listeners)

    def publish(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - a streaming bug must not break the match it was told about
                log.exception("sandbox event listener failed on %s", event.kind)
