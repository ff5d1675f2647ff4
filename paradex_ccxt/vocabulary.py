"""Paradex's order vocabulary, named once for the client and the sandbox alike (no ccxt here).

Every value is Paradex's own spelling (OrderResp in Paradex's OpenAPI; tests/test_vocabulary.py checks each set
against tests/data/paradex_api_schemas.json). Groups are spelled out as explicit sets, never as slices of a list, so
that adding a value means adding it where it belongs; reverse maps are derived from their forward map.
"""
from __future__ import annotations


class Side:
    BUY = "BUY"
    SELL = "SELL"


class OrderType:
    LIMIT = "LIMIT"
    MARKET = "MARKET"
    STOP_LIMIT = "STOP_LIMIT"
    STOP_MARKET = "STOP_MARKET"
    TAKE_PROFIT_LIMIT = "TAKE_PROFIT_LIMIT"
    TAKE_PROFIT_MARKET = "TAKE_PROFIT_MARKET"
    STOP_LOSS_LIMIT = "STOP_LOSS_LIMIT"
    STOP_LOSS_MARKET = "STOP_LOSS_MARKET"


class Instruction:
    """Time in force. RPI (retail price improvement) orders are post-only by rule (docs.paradex.trade/trading/rpi)."""

    GTC = "GTC"
    IOC = "IOC"
    POST_ONLY = "POST_ONLY"
    RPI = "RPI"


class Stp:
    """Self-trade prevention modes."""

    EXPIRE_MAKER = "EXPIRE_MAKER"
    EXPIRE_TAKER = "EXPIRE_TAKER"
    EXPIRE_BOTH = "EXPIRE_BOTH"


class Flag:
    REDUCE_ONLY = "REDUCE_ONLY"
    STOP_CONDITION_BELOW_TRIGGER = "STOP_CONDITION_BELOW_TRIGGER"
    STOP_CONDITION_ABOVE_TRIGGER = "STOP_CONDITION_ABOVE_TRIGGER"
    INTERACTIVE = "INTERACTIVE"
    TARGET_STRATEGY_VWAP = "TARGET_STRATEGY_VWAP"
    MMP = "MMP"


class OrderStatus:
    NEW = "NEW"
    UNTRIGGERED = "UNTRIGGERED"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class CancelReason:
    """The `cancel_reason` strings of CLOSED orders seen from Paradex. Paradex types the field as a free string and
    publishes no list: orders.py names where each was seen and what it means for the unified status."""

    USER_CANCELED = "USER_CANCELED"
    DELEVERAGE = "DELEVERAGE"
    IN_LIQUIDATION = "IN_LIQUIDATION"
    MMP_TRIGGERED = "MMP_TRIGGERED"
    ASSET_EXPIRED = "ASSET_EXPIRED"
    ASSET_UNAVAILABLE = "ASSET_UNAVAILABLE"
    UNEXPECTED_FAILURE = "UNEXPECTED_FAILURE"
    NOT_ENOUGH_MARGIN = "NOT_ENOUGH_MARGIN"
    ORDER_EXCEEDS_POSITION_LIMIT = "ORDER_EXCEEDS_POSITION_LIMIT"
    ORDER_SIZE_BELOW_MIN = "ORDER_SIZE_BELOW_MIN"
    REDUCE_ONLY_WILL_INCREASE = "REDUCE_ONLY_WILL_INCREASE"
    POST_ONLY_WOULD_CROSS = "POST_ONLY_WOULD_CROSS"
    MARKET_NOT_OPEN = "MARKET_NOT_OPEN"
    ORDER_TYPE_INVALID = "ORDER_TYPE_INVALID"
    PRICE_NOT_AVAILABLE = "PRICE_NOT_AVAILABLE"
    MMP_FROZEN = "MMP_FROZEN"
    MMP_DISABLED = "MMP_DISABLED"
    MMP_GREEKS_UNAVAILABLE = "MMP_GREEKS_UNAVAILABLE"
    MMP_NOT_CONFIGURED = "MMP_NOT_CONFIGURED"
    REMAINING_IOC_CANCEL = "REMAINING_IOC_CANCEL"
    EMPTY_MARKET = "EMPTY_MARKET"
    EXCEEDS_MAX_SLIPPAGE = "EXCEEDS_MAX_SLIPPAGE"
    SELF_TRADE = "SELF_TRADE"
    EXPIRED = "EXPIRED"
    TIMEOUT = "TIMEOUT"


def _members(namespace: type) -> frozenset[str]:
    return frozenset(value for name, value in vars(namespace).items() if name.isupper())


SIDES = _members(Side)
ORDER_TYPES = _members(OrderType)
INSTRUCTIONS = _members(Instruction)
STP_MODES = _members(Stp)
FLAGS = _members(Flag)
ORDER_STATUSES = _members(OrderStatus)
CANCEL_REASONS = _members(CancelReason)

# What each order type is made of: its trigger (None: none) and how it executes once live.
STOP, TAKE_PROFIT, STOP_LOSS = "STOP", "TAKE_PROFIT", "STOP_LOSS"
ORDER_TYPE_PARTS: dict[str, tuple[str | None, str]] = {
    OrderType.LIMIT: (None, OrderType.LIMIT),
    OrderType.MARKET: (None, OrderType.MARKET),
    OrderType.STOP_LIMIT: (STOP, OrderType.LIMIT),
    OrderType.STOP_MARKET: (STOP, OrderType.MARKET),
    OrderType.TAKE_PROFIT_LIMIT: (TAKE_PROFIT, OrderType.LIMIT),
    OrderType.TAKE_PROFIT_MARKET: (TAKE_PROFIT, OrderType.MARKET),
    OrderType.STOP_LOSS_LIMIT: (STOP_LOSS, OrderType.LIMIT),
    OrderType.STOP_LOSS_MARKET: (STOP_LOSS, OrderType.MARKET),
}
ORDER_TYPE_OF_PARTS: dict[tuple[str | None, str], str] = {parts: kind for kind, parts in ORDER_TYPE_PARTS.items()}

# Types with a trigger_price (they wait UNTRIGGERED); among them the take-profit / stop-loss ones, which are
# reduce-only and may have size 0 (the whole position when they fire).
TRIGGER_TYPES = frozenset({OrderType.STOP_LIMIT, OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_LIMIT,
                           OrderType.TAKE_PROFIT_MARKET, OrderType.STOP_LOSS_LIMIT, OrderType.STOP_LOSS_MARKET})
TPSL_TYPES = frozenset({OrderType.TAKE_PROFIT_LIMIT, OrderType.TAKE_PROFIT_MARKET, OrderType.STOP_LOSS_LIMIT,
                        OrderType.STOP_LOSS_MARKET})
# Types that execute at market: no price in the body, signed with price 0.
MARKET_TYPES = frozenset({OrderType.MARKET, OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_MARKET,
                          OrderType.STOP_LOSS_MARKET})

POST_ONLY_INSTRUCTIONS = frozenset({Instruction.POST_ONLY, Instruction.RPI})
STOP_CONDITIONS = frozenset({Flag.STOP_CONDITION_ABOVE_TRIGGER, Flag.STOP_CONDITION_BELOW_TRIGGER})
OPEN_STATUSES = frozenset({OrderStatus.NEW, OrderStatus.UNTRIGGERED, OrderStatus.OPEN})

# The `side` felt of the signed Order typed data.
SIDE_CODES: dict[str, int] = {Side.BUY: 1, Side.SELL: 2}

BATCH_MAX_ORDERS = 10  # POST and DELETE /orders/batch: 1 to 10 orders
MAX_CLIENT_ID_LENGTH = 64
MIN_RECV_WINDOW_MS = 10  # paradex-py's OrderRequest: "minimum is 10 milliseconds"
