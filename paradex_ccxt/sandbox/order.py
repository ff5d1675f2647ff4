"""One order as the sandbox holds it, and its Paradex JSON (OrderResp)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .. import vocabulary
from ..vocabulary import MARKET_TYPES, TPSL_TYPES, Flag, OrderStatus
from .catalog import dec8, dec_str

ZERO = Decimal(0)


class CancelReason(vocabulary.CancelReason):
    MAX_OPEN_ORDERS_EXCEEDED = "MAX_OPEN_ORDERS_EXCEEDED"  # the sandbox's own name, unconfirmed (engine docstring)


@dataclass(eq=False)  # an order is itself: books find and remove it by identity, not by comparing every field
class Order:
    id: str
    account: str
    market: str
    side: str
    type: str
    size: Decimal
    remaining: Decimal
    price: Decimal
    trigger_price: Decimal
    instruction: str
    flags: list[str]
    stp: str
    client_id: str
    timestamp: int
    created_at: int
    status: str = OrderStatus.NEW
    cancel_reason: str = ""
    received_at: int = 0
    published_at: int = 0
    last_updated_at: int = 0
    seq_no: int = 0
    filled_notional: Decimal = ZERO
    request_info: dict = field(default_factory=dict)
    inferred_condition: bool = False  # the engine chose the STOP_CONDITION flag (re-chosen if the trigger moves)

    @property
    def reduce_only(self) -> bool:
        return Flag.REDUCE_ONLY in self.flags

    @property
    def is_market(self) -> bool:
        return self.type in MARKET_TYPES

    @property
    def whole_position(self) -> bool:
        """A TP/SL sent with size 0: closes whatever position exists when it fires."""
        return self.type in TPSL_TYPES and self.size == 0

    @property
    def filled(self) -> Decimal:
        return self.size - self.remaining

    def to_json(self) -> dict:
        filled = self.filled
        return {
            "id": self.id,
            "account": self.account,
            "market": self.market,
            "side": self.side,
            "type": self.type,
            "size": dec_str(self.size),
            "remaining_size": dec_str(self.remaining),
            "price": dec_str(self.price),
            "avg_fill_price": dec_str(dec8(self.filled_notional / filled)) if filled > 0 else "",
            "trigger_price": dec_str(self.trigger_price),
            "instruction": self.instruction,
            "flags": list(self.flags),
            "stp": self.stp,
            "status": self.status,
            "cancel_reason": self.cancel_reason,
            "client_id": self.client_id,
            "timestamp": self.timestamp,
            "created_at": self.created_at,
            "received_at": self.received_at,
            "published_at": self.published_at,
            "last_updated_at": self.last_updated_at,
            "seq_no": self.seq_no,
            # Only a modified order has one: when present Paradex fills all of id, request_type, status, message
            **({"request_info": dict(self.request_info)} if self.request_info else {}),
        }


def opposite(side: str) -> str:
    return vocabulary.Side.SELL if side == vocabulary.Side.BUY else vocabulary.Side.BUY
