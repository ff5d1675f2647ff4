"""When a trigger order fires: the direction it waits for, and whether a mark range reached its trigger price."""
from __future__ import annotations

from decimal import Decimal

from ..vocabulary import ORDER_TYPE_PARTS, STOP_CONDITIONS, TAKE_PROFIT, TPSL_TYPES, Flag, Side
from .order import Order

ABOVE, BELOW = Flag.STOP_CONDITION_ABOVE_TRIGGER, Flag.STOP_CONDITION_BELOW_TRIGGER
TAKE_PROFIT_TYPES = frozenset(kind for kind, (trigger, _) in ORDER_TYPE_PARTS.items() if trigger == TAKE_PROFIT)


def has_condition(order: Order) -> bool:
    return any(f in STOP_CONDITIONS for f in order.flags)


def condition(order: Order, mark: Decimal) -> str:
    """The direction a trigger fires in when the order does not say: TP/SL from the side, STOP from where the
    trigger sits against the mark."""
    if order.type in TPSL_TYPES:
        fires_above = (order.type in TAKE_PROFIT_TYPES) == (order.side == Side.SELL)
    else:
        fires_above = order.trigger_price > mark
    return ABOVE if fires_above else BELOW


def infer_condition(order: Order, mark: Decimal) -> None:
    """Give an order without a stop condition the one ``condition`` chooses (chosen again when its trigger moves)."""
    order.inferred_condition = True
    order.flags = [f for f in order.flags if f not in STOP_CONDITIONS] + [condition(order, mark)]


def crossed(order: Order, low: Decimal, high: Decimal) -> bool:
    if ABOVE in order.flags:
        return high >= order.trigger_price
    return low <= order.trigger_price
