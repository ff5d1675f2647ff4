"""Paradex's cross-margin maintenance requirement of a perpetual position, and the price at which it liquidates.

From Paradex's cross margin documentation, per market (``delta1_cross_margin_params`` of GET /markets):

    position IMF = max(imf_base, imf_factor * sqrt(max(|size| * mark - imf_shift, 0)))
    MMR          = |size| * mark * (mmf_factor * position IMF + fee rate)     (the fee provision)

An account is liquidated when its account value (balance plus unrealised PnL of every position) falls below the sum
of its positions' MMR. With one position moving and everything else held, the liquidation price is the mark at which
that happens; the IMF grows with the notional, so it is found by bisection rather than a closed form.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# Bisection steps: each halves the bracket, so 200 are far below a tick at any price.
_STEPS = 200


@dataclass(frozen=True)
class CrossMarginParams:
    imf_base: float
    imf_factor: float
    imf_shift: float
    mmf_factor: float

    @classmethod
    def from_market(cls, market_info: dict) -> CrossMarginParams:
        """From a GET /markets row (its ``delta1_cross_margin_params``; Paradex sends numbers as strings)."""
        params = market_info["delta1_cross_margin_params"]
        return cls(*(float(params.get(name) or 0) for name in ("imf_base", "imf_factor", "imf_shift", "mmf_factor")))

    def position_imf(self, notional: float) -> float:
        return max(self.imf_base, self.imf_factor * math.sqrt(max(notional - self.imf_shift, 0.0)))

    def maintenance_requirement(self, size: float, mark: float, fee_rate: float) -> float:
        notional = abs(size) * mark
        return notional * (self.mmf_factor * self.position_imf(notional) + fee_rate)


def liquidation_price(params: CrossMarginParams, *, size: float, entry: float, fee_rate: float, balance: float,
                      others: float = 0.0) -> float | None:
    """Mark price at which a cross-margin account holding `size` (signed: negative is short) at `entry` reaches its
    maintenance requirement. `balance`: the account's collateral without this position's PnL; `others`: the rest of
    the account's positions' unrealised PnL minus their MMR. None when no price liquidates it (a long whose
    collateral outlasts a zero price)."""
    if size == 0:
        return None

    def cushion(mark: float) -> float:
        return balance + others + size * (mark - entry) - params.maintenance_requirement(size, mark, fee_rate)

    if cushion(entry) <= 0:
        return entry
    if size > 0:
        low, high = 0.0, entry
        if cushion(low) > 0:
            return None
    else:
        low, high = entry, entry * 2
        while cushion(high) > 0:
            low, high = high, high * 2
    # The cushion is positive on the entry's side of the bracket and not on the other.
    safe_is_high = size > 0
    for _ in range(_STEPS):
        middle = (low + high) / 2
        if (cushion(middle) > 0) == safe_is_high:
            high = middle
        else:
            low = middle
    return high if size > 0 else low
