"""The JWT session: one login at a time, refresh before expiry, forget a token the server rejected.

Knows nothing of HTTP or ccxt: the exchange hands it a coroutine that logs in and returns a JWT.
"""
from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Awaitable, Callable

# Paradex JWTs live five minutes; a token whose lifetime cannot be read is assumed to live that long.
DEFAULT_LIFETIME_SECONDS = 300.0


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT, read without verifying it (the server verifies; we only schedule refreshes)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None


class JwtSession:
    def __init__(
        self,
        login: Callable[[], Awaitable[str]],
        *,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._login = login
        self._clock = clock
        self.refresh_margin = refresh_margin
        self._token: str | None = None
        self._expires_at = 0.0
        self._margin = refresh_margin
        self._lock = asyncio.Lock()
        self.logins = 0

    @property
    def current(self) -> str | None:
        return self._token if self._fresh() else None

    def _fresh(self) -> bool:
        return self._token is not None and self._clock() < self._expires_at - self._margin

    def _keep(self, token: str, expires_at: float, obtained_at: float) -> None:
        self._token = token
        self._expires_at = expires_at
        # A token that lives less than twice the margin is refreshed at half its life, not at once (it would
        # never count as fresh, and every caller would log in again).
        self._margin = min(self.refresh_margin, max(0.0, expires_at - obtained_at) / 2)

    async def token(self) -> str:
        if self._fresh():
            return self._token  # type: ignore[return-value]
        async with self._lock:
            # Whoever waited on the lock finds the token the first caller fetched: N callers, one login.
            if not self._fresh():
                issued_at = self._clock()
                token = await self._login()
                self.logins += 1
                self._keep(token, jwt_expiry(token) or issued_at + DEFAULT_LIFETIME_SECONDS, self._clock())
            return self._token  # type: ignore[return-value]

    def adopt(self, token: str, expires_at: float | None = None) -> None:
        """Use a bearer token obtained elsewhere (a long-lived API token, or a JWT from another process)."""
        now = self._clock()
        self._keep(token, expires_at or jwt_expiry(token) or now + DEFAULT_LIFETIME_SECONDS, now)

    def invalidate(self, token: str | None) -> None:
        """Forget `token` if it is still the current one; a token refreshed meanwhile by another caller stays."""
        if token is not None and token == self._token:
            self._token = None
            self._expires_at = 0.0
