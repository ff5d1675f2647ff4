"""Account API tokens: POST/GET /v1/account/tokens and DELETE /v1/account/tokens/{lookup_id}.

What Paradex documents (docs.paradex.trade "API Authentication", "Create token", "List tokens", "Revoke token";
paradex-py 0.8.2's `CreateToken`, `ApiToken`, `CreateTokenResponse`, `RevokeTokenResponse`):

- a token is a long-lived JWT made by a logged-in account: `{name, token_type, expiry_duration}` with
  `expiry_duration` between one minute and one year; the answer (200) is `{"api_token": ApiToken, "token": jwt}`;
- the token is a bearer like a login JWT but read-only: it carries no signing key, "cannot place orders or modify
  account settings" and is "restricted to GET requests" (the gateway refuses anything else, see server.py);
- GET lists the account's tokens, `kind` filtering by kind ('jwt', 'api_key'), `with_invalid=true` adding revoked
  and expired ones; DELETE revokes one (200 `{"lookup_id"}`), after which it is an invalid bearer.

Sandbox choices, unconfirmed: any non-empty `token_type` is accepted and reported as the token's `kind` (Paradex
names 'jwt' and 'api_key' as kinds but documents no list of token types); the listing holds the tokens made here,
not login sessions, oldest first; an unknown or already revoked lookup id is 404 `NOT_FOUND` (Paradex documents a
404 for an unknown lookup id on PUT /account/tokens/{lookup_id}/allowed-cidrs); no IP allowlists
(`allowed_cidrs` is always empty) and no cap on the number of tokens. ApiToken times are nanoseconds, as
paradex-py describes them and as the sandbox's subkeys report theirs.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .auth import TokenIssuer
from .ledger import SandboxError

MIN_EXPIRY_S = 60
MAX_EXPIRY_S = 365 * 24 * 3600
NS = 1_000_000_000


@dataclass
class ApiToken:
    lookup_id: str
    token_id: str
    name: str
    kind: str
    created_at: int  # ns
    expiry_at: int  # ns
    revoked_at: int = 0  # ns, 0 while not revoked

    @property
    def last_updated_at(self) -> int:
        return self.revoked_at or self.created_at

    def valid(self, now_ns: int) -> bool:
        return not self.revoked_at and now_ns < self.expiry_at

    def to_json(self) -> dict:
        return {
            "allowed_cidrs": [],
            "created_at": self.created_at,
            "expiry_at": self.expiry_at,
            "kind": self.kind,
            "last_updated_at": self.last_updated_at,
            "lookup_id": self.lookup_id,
            "name": self.name,
            "revoked_at": self.revoked_at,
            "token_id": self.token_id,
        }


class ApiTokens:
    """The API tokens of every account; the JWTs themselves come from (and are checked by) ``issuer``."""

    def __init__(self, issuer: TokenIssuer) -> None:
        self.issuer = issuer
        self._by_account: dict[int, dict[str, ApiToken]] = {}

    def _now_ns(self) -> int:
        return int(self.issuer.clock() * NS)

    def create(self, account: int, public_key: int, body: Mapping[str, Any]) -> dict:
        name, kind, duration = body.get("name"), body.get("token_type"), body.get("expiry_duration")
        if not isinstance(name, str) or not name:
            raise SandboxError("VALIDATION_ERROR", "name is required")
        if not isinstance(kind, str) or not kind:
            raise SandboxError("VALIDATION_ERROR", "token_type is required")
        if isinstance(duration, bool) or not isinstance(duration, int) or not MIN_EXPIRY_S <= duration <= MAX_EXPIRY_S:
            raise SandboxError("VALIDATION_ERROR",
                               f"expiry_duration must be {MIN_EXPIRY_S} to {MAX_EXPIRY_S} seconds")
        lookup_id = str(uuid.uuid4())
        jwt = self.issuer.issue(account, public_key, lifetime=duration, lookup_id=lookup_id)
        claims = self.issuer.verify(f"Bearer {jwt}")
        now = self._now_ns()
        token = ApiToken(lookup_id=lookup_id, token_id=str(claims.token_id), name=name, kind=kind, created_at=now,
                         expiry_at=int(claims.expires_at * NS))
        self._by_account.setdefault(account, {})[lookup_id] = token
        return {"api_token": token.to_json(), "token": jwt}

    def listing(self, account: int, kind: str | None = None, with_invalid: bool = False) -> list[dict]:
        now = self._now_ns()
        return [t.to_json() for t in self._by_account.get(account, {}).values()
                if (kind is None or t.kind == kind) and (with_invalid or t.valid(now))]

    def revoke(self, account: int, lookup_id: str) -> dict:
        token = self._by_account.get(account, {}).get(lookup_id)
        if token is None or token.revoked_at:
            raise SandboxError("NOT_FOUND", f"token not found: {lookup_id}", 404)
        token.revoked_at = self._now_ns()
        self.issuer.revoke(lookup_id)
        return {"lookup_id": lookup_id}
