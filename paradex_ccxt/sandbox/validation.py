"""The gateway's checks of an order body: what Paradex answers with an HTTP error before anything is created.

One validator for both ways an order's terms arrive, a new order (``new_order``) and a modify (``change``), so a
size, a price or a trigger price is judged by the same rule in either.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..vocabulary import (FLAGS, INSTRUCTIONS, MARKET_TYPES, MAX_CLIENT_ID_LENGTH, ORDER_TYPES, SIDES, STP_MODES,
                          TPSL_TYPES, TRIGGER_TYPES, Flag, Instruction, OrderStatus, Stp)
from .catalog import Catalog, MarketSpec, dec, dec_str
from .ledger import IdGen, SandboxError, quantity_steps
from .live import LiveOrders
from .order import ZERO, Order
from .triggers import ABOVE, BELOW

# Venue states (catalog.system_state) in which the gateway refuses new orders
MAINTENANCE, CANCEL_ONLY, POST_ONLY_STATE = "maintenance", "cancel_only", "post_only"


@dataclass(frozen=True)
class Change:
    """The terms a modify asks for, checked; unchanged terms carry the order's current value."""

    size: Decimal
    price: Decimal
    trigger_price: Decimal


def decimal_field(body: dict, name: str, code: str) -> Decimal:
    raw = body.get(name)
    if raw is None or raw == "":
        return ZERO
    try:
        return dec(raw)
    except ValueError:
        raise SandboxError(code, f"invalid {name}: {raw!r}") from None


def check_size(spec: MarketSpec, size: Decimal, raw: object, may_be_zero: bool, above: Decimal = ZERO) -> None:
    """A positive multiple of the size increment, over ``above`` (what has already filled), within the market's
    maximum; ``may_be_zero``: a TP/SL for the whole position."""
    if size == 0 and may_be_zero:
        return
    if size <= above:
        raise SandboxError("INVALID_ORDER_SIZE", f"invalid order size: {raw!r}")
    if not quantity_steps(size, spec.order_size_increment):
        raise SandboxError("INVALID_ORDER_SIZE", f"size must be a multiple of {dec_str(spec.order_size_increment)}")
    if size > spec.max_order_size:
        raise SandboxError("INVALID_ORDER_SIZE", f"size above max order size {dec_str(spec.max_order_size)}")


def check_tick(spec: MarketSpec, price: Decimal, name: str) -> None:
    if price <= 0 or not quantity_steps(price, spec.price_tick_size):
        raise SandboxError("INVALID_PRICE_PRECISION",
                           f"{name} must be a positive multiple of {dec_str(spec.price_tick_size)}")


class OrderValidator:
    def __init__(self, catalog: Catalog, ids: IdGen, live: LiveOrders) -> None:
        self.catalog = catalog
        self.ids = ids
        self.live = live

    def market(self, symbol: object) -> MarketSpec:
        if not isinstance(symbol, str) or not symbol:
            raise SandboxError("VALIDATION_ERROR", "market is required")
        if symbol not in self.catalog:
            raise SandboxError("MARKET_NOT_FOUND", f"market not found: {symbol}")
        return self.catalog.spec(symbol)

    def new_order(self, address: str, body: object, now: int, system_status: str) -> Order:
        """A POST /orders body as an Order, NEW and not yet accepted."""
        if not isinstance(body, dict):
            raise SandboxError("BINDING_ERROR", "order body must be a JSON object")
        if system_status == MAINTENANCE:
            raise SandboxError("SERVICE_UNAVAILABLE", "exchange under maintenance", 503)
        if system_status == CANCEL_ONLY:
            raise SandboxError("SYSTEM_STATUS_CANCEL_ONLY", "exchange is in cancel-only mode")
        spec = self.market(body.get("market"))
        if not spec.open_at <= now or (spec.expiry_at and now >= spec.expiry_at):
            raise SandboxError("MARKET_NOT_OPEN", f"market not open: {spec.symbol}")
        side = body.get("side")
        if side not in SIDES:
            raise SandboxError("VALIDATION_ERROR", f"invalid side: {side!r}")
        kind = body.get("type")
        if kind not in ORDER_TYPES:
            raise SandboxError("VALIDATION_ERROR", f"invalid order type: {kind!r}")
        instruction = body.get("instruction") or Instruction.GTC
        if instruction not in INSTRUCTIONS:
            raise SandboxError("VALIDATION_ERROR", f"invalid instruction: {instruction!r}")
        is_market = kind in MARKET_TYPES
        if is_market and instruction == Instruction.POST_ONLY:
            raise SandboxError("VALIDATION_ERROR", "POST_ONLY is only allowed with limit orders")
        if system_status == POST_ONLY_STATE and instruction != Instruction.POST_ONLY:
            raise SandboxError("SYSTEM_STATUS_POST_ONLY", "exchange is in post-only mode")
        stp = body.get("stp") or Stp.EXPIRE_TAKER
        if stp not in STP_MODES:
            raise SandboxError("VALIDATION_ERROR", f"invalid stp: {stp!r}")
        flags = body.get("flags") or []
        if not isinstance(flags, list) or any(f not in FLAGS for f in flags):
            raise SandboxError("VALIDATION_ERROR", f"invalid flags: {flags!r}")
        if ABOVE in flags and BELOW in flags:
            raise SandboxError("VALIDATION_ERROR", "conflicting stop conditions")
        if kind in TPSL_TYPES and Flag.REDUCE_ONLY not in flags:
            raise SandboxError("VALIDATION_ERROR", "TP/SL orders must be REDUCE_ONLY")
        size = decimal_field(body, "size", "INVALID_ORDER_SIZE")
        check_size(spec, size, body.get("size"), may_be_zero=kind in TPSL_TYPES)
        price = ZERO
        if not is_market:
            price = decimal_field(body, "price", "INVALID_PRICE_PRECISION")
            if price <= 0:
                raise SandboxError("VALIDATION_ERROR", "price is required for limit orders")
            check_tick(spec, price, "price")
        trigger = decimal_field(body, "trigger_price", "INVALID_PRICE_PRECISION")
        if kind in TRIGGER_TYPES:
            if trigger <= 0:
                raise SandboxError("VALIDATION_ERROR", f"trigger_price is required for {kind}")
            check_tick(spec, trigger, "trigger_price")
        elif trigger != 0:
            raise SandboxError("VALIDATION_ERROR", f"trigger_price is not allowed for {kind}")
        client_id = body.get("client_id") or ""
        if not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID_LENGTH:
            raise SandboxError("VALIDATION_ERROR",
                               f"client_id must be a string of at most {MAX_CLIENT_ID_LENGTH} chars")
        if client_id and self.live.by_client_id(address, client_id) is not None:
            raise SandboxError("DUPLICATED_CLIENT_ID", f"duplicated client id: {client_id}")
        ts = body.get("signature_timestamp", now)
        return Order(
            id=self.ids.next_id(), account=address, market=spec.symbol, side=side, type=kind, size=size,
            remaining=size, price=price, trigger_price=trigger, instruction=instruction, flags=list(flags), stp=stp,
            client_id=client_id, timestamp=int(ts) if isinstance(ts, (int, str)) and str(ts).isdigit() else now,
            created_at=now, received_at=now, published_at=now, last_updated_at=now,
        )

    def change(self, order: Order, body: object) -> Change:
        """A PUT /orders/{id} body against the order it modifies: only price, size and (before it fires) the
        trigger price of an OPEN limit-priced or an UNTRIGGERED order may change."""
        if not isinstance(body, dict):
            raise SandboxError("BINDING_ERROR", "modify body must be a JSON object")
        if order.status == OrderStatus.CLOSED:
            raise SandboxError("ORDER_IS_CLOSED", f"order is closed: {order.id}")
        if order.status not in (OrderStatus.OPEN, OrderStatus.UNTRIGGERED):
            raise SandboxError("ORDER_IS_NOT_OPEN", f"order is not open: {order.id}")
        if str(body.get("id", order.id)) != order.id:
            raise SandboxError("VALIDATION_ERROR", "id in body does not match the path")
        for name, current in (("market", order.market), ("side", order.side), ("type", order.type)):
            if body.get(name, current) != current:
                raise SandboxError("VALIDATION_ERROR", f"{name} cannot be modified")
        untriggered = order.status == OrderStatus.UNTRIGGERED
        if order.is_market and not untriggered:
            raise SandboxError("VALIDATION_ERROR", "market orders cannot be modified")
        spec = self.catalog.spec(order.market)
        size = decimal_field(body, "size", "INVALID_ORDER_SIZE") if "size" in body else order.size
        check_size(spec, size, body.get("size"), may_be_zero=order.whole_position, above=order.filled)
        price = order.price
        if not order.is_market and "price" in body:
            price = decimal_field(body, "price", "INVALID_PRICE_PRECISION")
            check_tick(spec, price, "price")
        trigger = order.trigger_price
        if body.get("trigger_price") not in (None, ""):
            trigger = decimal_field(body, "trigger_price", "INVALID_PRICE_PRECISION")
            if not untriggered:
                if trigger != order.trigger_price:
                    raise SandboxError("VALIDATION_ERROR", "trigger_price can only change before the order triggers")
            else:
                check_tick(spec, trigger, "trigger_price")
        return Change(size, price, trigger)
