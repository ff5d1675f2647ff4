"""Paradex order <-> unified order: the status table, the field mapping, the request bodies.

Unified fields this adapter adds to ccxt's order structure (README: "Orders"):

- ``cancelReason``: Paradex's raw ``cancel_reason`` of a CLOSED order (None while open, when filled, or unknown).
  Always present; ``info['cancel_reason']`` carries the same string.
- ``cancelPending`` (orders returned by the cancel methods only): True when the cancel was queued but the order was
  not yet seen CLOSED before the confirmation deadline; the status is then ``'open'`` and callers re-check later.
- ``notFound`` (entries returned by ``cancel_orders`` only): True for an id Paradex did not know; status None.
"""
from __future__ import annotations

from typing import Any

from ccxt.base.errors import ArgumentsRequired, BadRequest, InvalidOrder
from ccxt.base.precise import Precise

from . import order_input, signing
from .mixin_base import ExchangeBase
from .vocabulary import (
    FLAGS, MARKET_TYPES, MAX_CLIENT_ID_LENGTH, MIN_RECV_WINDOW_MS, OPEN_STATUSES, ORDER_TYPE_PARTS,
    POST_ONLY_INSTRUCTIONS, SIDES, STOP, STOP_LOSS, STP_MODES, TAKE_PROFIT, CancelReason, Flag, Instruction,
    OrderStatus, OrderType,
)

CANCEL_PENDING = "cancelPending"
NOT_FOUND = "notFound"

CLOSED = OrderStatus.CLOSED

# How a CLOSED order that did not fill completely ended, by its cancel_reason. Paradex types cancel_reason as a free
# string and publishes no list; every entry names where the string was seen.
#   canceled  accepted, then ended by the user or by the system (a partial fill is kept in `filled`)
#   rejected  refused by risk or validation before it could rest (only while nothing filled, else canceled)
#   expired   ended by its own instruction: IOC remainder, market order out of liquidity, self-trade prevention,
#             expiry (only while nothing filled; a partly filled one is canceled, see unified_status)
CANCELED = "canceled"
REJECTED = "rejected"
EXPIRED = "expired"
# Sources:
#   [openapi]  Paradex OpenAPI/AsyncAPI order model example (tradeparadex/paradex-docs, docs/apis/prod_ws)
#   [mmp]      Paradex AsyncAPI `mmp` channel description (tradeparadex/paradex-docs, docs/apis/prod_ws)
#   [ccxt]     ccxt's paradex implementation and its static response tests (ccxt 4.5.90)
#   [java]     CancelReason enum of the Paradex Java client Wayruha/paradex-java-lib
#              (src/main/java/trade/wayruha/paradex/dto/CancelReason.java)
#   [bots]     Paradex responses and logs quoted in public trading bots (REMAINING_IOC_CANCEL in a Paradex order
#              payload of a carry bot's tests; "Market order canceled: SELF_TRADE" and "Paradex rejected both close
#              orders with REDUCE_ONLY_WILL_INCREASE" in bot incident notes)
#   [shared]   PARADEX.md §9 (MMP reasons listed in Paradex's MMP documentation)
CANCEL_REASONS: dict[str, str] = {
    CancelReason.USER_CANCELED: CANCELED,  # [ccxt] [java]
    CancelReason.DELEVERAGE: CANCELED,  # [java] closed by auto-deleveraging
    CancelReason.IN_LIQUIDATION: CANCELED,  # [java] the account entered liquidation
    CancelReason.MMP_TRIGGERED: CANCELED,  # [mmp] open MMP orders cancelled when a protection limit trips
    CancelReason.ASSET_EXPIRED: CANCELED,  # [java] the market expired (dated futures/options)
    CancelReason.ASSET_UNAVAILABLE: CANCELED,  # [java] the market became unavailable (delisting)
    CancelReason.UNEXPECTED_FAILURE: CANCELED,  # [java] system-side failure
    CancelReason.NOT_ENOUGH_MARGIN: REJECTED,  # [openapi] [ccxt] [java]
    CancelReason.ORDER_EXCEEDS_POSITION_LIMIT: REJECTED,  # [ccxt] [java]
    CancelReason.ORDER_SIZE_BELOW_MIN: REJECTED,  # [ccxt] static response test: CLOSED, remaining_size = size
    CancelReason.REDUCE_ONLY_WILL_INCREASE: REJECTED,  # [java] [bots]
    CancelReason.POST_ONLY_WOULD_CROSS: REJECTED,  # [java]
    CancelReason.MARKET_NOT_OPEN: REJECTED,  # [java]
    CancelReason.ORDER_TYPE_INVALID: REJECTED,  # [java]
    CancelReason.PRICE_NOT_AVAILABLE: REJECTED,  # [java] no mark/oracle price to check the order against
    CancelReason.MMP_FROZEN: REJECTED,  # [mmp] new MMP orders refused while frozen
    CancelReason.MMP_DISABLED: REJECTED,  # [shared]
    CancelReason.MMP_GREEKS_UNAVAILABLE: REJECTED,  # [shared]
    CancelReason.MMP_NOT_CONFIGURED: REJECTED,  # [shared]
    CancelReason.REMAINING_IOC_CANCEL: EXPIRED,  # [java] [bots] the unfilled rest of an IOC order
    CancelReason.EMPTY_MARKET: EXPIRED,  # [java] a market order met no liquidity
    CancelReason.EXCEEDS_MAX_SLIPPAGE: EXPIRED,  # [java] a market order's rest beyond the market's max_slippage
    CancelReason.SELF_TRADE: EXPIRED,  # [java] [bots] self-trade prevention (the order's stp mode)
    CancelReason.EXPIRED: EXPIRED,  # [java]
    # [java] The meaning is not documented; read as the order's recv_window running out before it was processed.
    CancelReason.TIMEOUT: EXPIRED,
}


def unified_status(status: str | None, cancel_reason: str | None, size: str | None,
                   remaining: str | None) -> str | None:
    """The one place a Paradex (status, cancel_reason, fill) becomes a unified order status.

    - NEW, UNTRIGGERED, OPEN -> 'open'
    - CLOSED with nothing remaining -> 'closed' (fully filled, whatever the reason field says)
    - CLOSED otherwise -> CANCEL_REASONS[cancel_reason]; an empty or unknown reason -> 'canceled'
    - a 'rejected' or 'expired' outcome after a partial fill -> 'canceled': ccxt's convention is that an order that
      filled in part and then ended is 'canceled' with filled > 0 and remaining > 0 (ccxt/ccxt#3851, #10966)
    - a whole-position TP/SL (size "0": it takes the position's size only when it fires) that closed without firing
      has nothing remaining and nothing filled: its reason alone says how it ended, an empty one meaning it filled
    - any other Paradex status -> None
    """
    if status in OPEN_STATUSES:
        return "open"
    if status != CLOSED:
        return None
    if is_whole_position(size):
        return CANCEL_REASONS.get(cancel_reason, CANCELED) if cancel_reason else "closed"
    if remaining is not None and remaining != "" and Precise.string_eq(remaining, "0"):
        return "closed"
    outcome = CANCEL_REASONS.get(cancel_reason, CANCELED) if cancel_reason else CANCELED
    partly_filled = size not in (None, "") and remaining not in (None, "") and \
        Precise.string_gt(Precise.string_sub(size, remaining), "0")
    if outcome != CANCELED and partly_filled:
        return CANCELED
    return outcome


def is_whole_position(size: str | None) -> bool:
    """Size "0" is Paradex's "the whole position, whatever it is when the order fires" (TP/SL orders)."""
    return size not in (None, "") and Precise.string_eq(size, "0")


# How a unified order names the parts of a Paradex order type (vocabulary.ORDER_TYPE_PARTS): its trigger, by the ccxt
# param that sets it, and how it executes.
TRIGGER_PARAM_OF = {None: None, STOP: "triggerPrice", TAKE_PROFIT: "takeProfitPrice", STOP_LOSS: "stopLossPrice"}
UNIFIED_TYPE_OF = {OrderType.LIMIT: "limit", OrderType.MARKET: "market"}
# Paradex order type -> (unified type, the ccxt field that names what its trigger_price is, besides triggerPrice)
ORDER_TYPES: dict[str, tuple[str, str | None]] = {
    kind: (UNIFIED_TYPE_OF[execution], None if trigger == STOP else TRIGGER_PARAM_OF[trigger])
    for kind, (trigger, execution) in ORDER_TYPE_PARTS.items()
}
# (trigger param, unified type) -> Paradex order type
PARADEX_TYPES: dict[tuple[str | None, str], str] = {
    (TRIGGER_PARAM_OF[trigger], UNIFIED_TYPE_OF[execution]): kind
    for kind, (trigger, execution) in ORDER_TYPE_PARTS.items()
}
# Paradex instruction -> ccxt timeInForce. RPI orders are post-only by rule (docs.paradex.trade/trading/rpi).
TIME_IN_FORCE = {Instruction.GTC: "GTC", Instruction.IOC: "IOC", Instruction.POST_ONLY: "PO", Instruction.RPI: "PO"}
# ccxt timeInForce (or Paradex's own spelling) -> Paradex instruction
INSTRUCTIONS = {"GTC": Instruction.GTC, "IOC": Instruction.IOC, "PO": Instruction.POST_ONLY,
                "POST_ONLY": Instruction.POST_ONLY, "RPI": Instruction.RPI}
# ccxt triggerDirection -> Paradex stop condition flag
TRIGGER_DIRECTIONS = {
    "above": Flag.STOP_CONDITION_ABOVE_TRIGGER,
    "ascending": Flag.STOP_CONDITION_ABOVE_TRIGGER,
    "below": Flag.STOP_CONDITION_BELOW_TRIGGER,
    "descending": Flag.STOP_CONDITION_BELOW_TRIGGER,
}
CLIENT_ID_KEYS = ["clientOrderId", "client_id", "clOrdID"]
TRIGGER_PARAMS = ["triggerPrice", "stopPrice", "stopLossPrice", "takeProfitPrice"]
# Unified order params consumed by the body builder; anything else in params must be a Paradex order field.
UNIFIED_ORDER_PARAMS = [
    *CLIENT_ID_KEYS, *TRIGGER_PARAMS, "triggerDirection", "timeInForce", "postOnly", "reduceOnly", "reduce_only",
    "rpi", "stp", "selfTradePrevention", "recv_window", "recvWindow", "on_behalf_of_account", "onBehalfOfAccount",
]
# What editOrder's params may hold: ModifyOrder carries a new trigger price and the sub-account, nothing else.
MODIFY_PARAMS = frozenset([*TRIGGER_PARAMS, "on_behalf_of_account", "onBehalfOfAccount"])
SIGNATURE_FIELDS = ("signature", "signature_timestamp")


def order_params(params: Any) -> dict:
    """The params dict of an order method; None is no params."""
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise BadRequest(f"paradex params must be a dict, not {type(params).__name__}")
    return params


def is_market_type(paradex_type: str) -> bool:
    """Market-flavoured types carry no price: it is left out of the body and signed as 0 (PARADEX.md §7.1)."""
    return paradex_type in MARKET_TYPES


class OrdersMixin(ExchangeBase):
    # -- Paradex order -> unified order ---------------------------------------------------------------------------

    # Paradex's answer (POST /orders, GET /orders/{id}, the `orders` stream; the order of a cancel confirmed closed):
    # {"id": "1763787600100201709190000040", "account": "0x69b0...d32", "market": "BTC-USD-PERP", "side": "BUY",
    #  "type": "LIMIT", "size": "0.01", "remaining_size": "0.004", "price": "60000", "status": "CLOSED",
    #  "created_at": 1763787600100, "last_updated_at": 1763787601000, "timestamp": 1763787600097,
    #  "cancel_reason": "USER_CANCELED", "client_id": "bot-40", "seq_no": 1763787601000593648, "instruction": "GTC",
    #  "avg_fill_price": "59998.5", "stp": "EXPIRE_TAKER", "received_at": 1763787600850,
    #  "published_at": 1763787600900, "flags": [], "trigger_price": "0"}
    def parse_order(self, order: dict, market: dict | None = None) -> dict:
        market = self.safe_market(self.safe_string(order, "market"), market)
        size = self.safe_string(order, "size")
        remaining = self._present(self.safe_string(order, "remaining_size"))
        whole_position = is_whole_position(size)
        filled = Precise.string_sub(size, remaining) if size is not None and remaining is not None else None
        cancel_reason = self._present(self.safe_string(order, "cancel_reason"))
        status = unified_status(self.safe_string(order, "status"), cancel_reason, size, remaining)
        average = self.omit_zero(self.safe_string(order, "avg_fill_price"))
        cost = None
        if filled is not None:
            cost = Precise.string_mul(filled, average) if average is not None else (
                "0" if Precise.string_eq(filled, "0") else None)
        paradex_type = self.safe_string(order, "type")
        unified_type, trigger_field = ORDER_TYPES.get(paradex_type, (self.safe_string_lower(order, "type"), None))
        trigger_price = self.omit_zero(self.safe_string(order, "trigger_price"))
        instruction = self.safe_string(order, "instruction")
        flags = self.safe_list(order, "flags", [])
        last_update = self._timestamp(order, "last_updated_at")
        filled_any = filled is not None and Precise.string_gt(filled, "0")
        created = self._timestamp(order, "created_at")
        return self.safe_order({
            "id": self._present(self.safe_string(order, "id")),
            "clientOrderId": self._present(self.safe_string(order, "client_id")),
            "timestamp": created,
            "datetime": self.iso8601(created),
            # Paradex orders carry no fill time; the last update of a fully filled order is its last fill (of an open
            # one it may be an edit, of a cancelled one the cancel, so it is not used for those).
            "lastTradeTimestamp": last_update if filled_any and status == "closed" else None,
            "lastUpdateTimestamp": last_update,
            "status": status,
            "symbol": market["symbol"],
            "type": unified_type,
            "timeInForce": TIME_IN_FORCE.get(instruction),
            "postOnly": instruction in POST_ONLY_INSTRUCTIONS if instruction is not None else None,
            "reduceOnly": Flag.REDUCE_ONLY in flags,
            "side": self.safe_string_lower(order, "side"),
            "price": self.omit_zero(self.safe_string(order, "price")),
            "triggerPrice": trigger_price,
            "stopLossPrice": trigger_price if trigger_field == "stopLossPrice" else None,
            "takeProfitPrice": trigger_price if trigger_field == "takeProfitPrice" else None,
            # A whole-position TP/SL has no size of its own until it fires.
            "amount": None if whole_position else size,
            "filled": filled,
            "remaining": None if whole_position else remaining,
            "average": average,
            "cost": cost,
            "trades": None,
            "fee": None,
            "cancelReason": cancel_reason,
            "info": order,
        }, market)

    def _present(self, value: str | None) -> str | None:
        """Paradex writes "" for an absent string."""
        return None if value == "" else value

    def _timestamp(self, order: dict, key: str) -> int | None:
        """Paradex writes 0 for an absent time (e.g. `timestamp` of some closed orders)."""
        value = self.safe_integer(order, key)
        return value if value else None

    # -- unified arguments -> Paradex order body ------------------------------------------------------------------

    def create_order_body(self, symbol: Any, type: Any, side: Any, amount: Any, price: Any = None,
                          params: Any = None) -> dict:
        """The unsigned POST /orders body for a unified createOrder call, validated and rounded to the market.

        Always carries a client_id (the caller's, or one generated with options['clientOrderIdPrefix']) so that a
        request whose answer was lost can be found again, and a recv_window no longer than the client waits for an
        answer (see order_recv_window) so that a lost request can no longer land once the order is sent again.
        """
        params = order_params(params)
        market = self.market(order_input.symbol(symbol))
        symbol = market["symbol"]
        unified_type = (order_input.text(type, "type") or "").lower()
        if unified_type not in ("limit", "market"):
            raise InvalidOrder(f"{self.id} order type {type!r} is not supported: use 'limit' or 'market' "
                               f"(with triggerPrice, stopLossPrice or takeProfitPrice for conditional orders)")
        paradex_side = (order_input.text(side, "side") or "").upper()
        if paradex_side not in SIDES:
            raise InvalidOrder(f"{self.id} order side {side!r} must be 'buy' or 'sell'")
        amount_text = order_input.number(amount, "amount", positive=False)
        if amount_text is None:
            raise ArgumentsRequired(f"{self.id} createOrder() needs an amount")
        if Precise.string_lt(amount_text, "0"):
            raise InvalidOrder(f"{self.id} amount must be greater than 0, not {amount!r}")
        price_text = order_input.number(price, "price")
        trigger_kind, trigger_price = self._trigger(symbol, params)
        paradex_type = PARADEX_TYPES[(trigger_kind, unified_type)]
        reduce_only = bool(order_input.flag(params.get("reduceOnly"), "reduceOnly")
                           or order_input.flag(params.get("reduce_only"), "reduce_only"))
        tpsl = trigger_kind in ("stopLossPrice", "takeProfitPrice")
        if tpsl:
            # Paradex expects TP/SL orders to be reduce-only.
            reduce_only = True
        # A TP/SL of size 0 closes the whole position when it fires (what ccxt's built-in paradex always sends).
        whole_position = tpsl and Precise.string_eq(amount_text, "0")
        if Precise.string_eq(amount_text, "0") and not whole_position:
            raise InvalidOrder(f"{self.id} amount must be greater than 0 (0 means the whole position only for a "
                               f"stopLossPrice / takeProfitPrice order)")
        size = "0" if whole_position else self.amount_to_precision(symbol, amount_text)
        body: dict[str, Any] = {
            "market": market["id"],
            "side": paradex_side,
            "type": paradex_type,
            "size": size,
            "instruction": self._instruction(unified_type, params),
            "client_id": self._client_id(params),
            "recv_window": self.order_recv_window(params),
        }
        if not is_market_type(paradex_type):
            if price_text is None:
                raise ArgumentsRequired(f"{self.id} createOrder() needs a price for a {unified_type} order")
            body["price"] = self.price_to_precision(symbol, price_text)
        flags = [Flag.REDUCE_ONLY] if reduce_only else []
        if trigger_price is not None:
            body["trigger_price"] = trigger_price
            direction = order_input.text(params.get("triggerDirection"), "triggerDirection")
            if direction is not None:
                direction = direction.lower()
                if direction not in TRIGGER_DIRECTIONS:
                    raise InvalidOrder(f"{self.id} triggerDirection {direction!r} must be one of "
                                       f"{sorted(TRIGGER_DIRECTIONS)}")
                flags.append(TRIGGER_DIRECTIONS[direction])
        if flags:
            body["flags"] = flags
        stp = order_input.text(params.get("stp", params.get("selfTradePrevention")), "stp")
        if stp is not None:
            if stp.upper() not in STP_MODES:
                raise InvalidOrder(f"{self.id} self-trade prevention {stp!r} must be one of "
                                   f"{', '.join(sorted(STP_MODES))}")
            body["stp"] = stp.upper()
        on_behalf_of = order_input.identifier(params.get("on_behalf_of_account", params.get("onBehalfOfAccount")),
                                              "on_behalf_of_account", max_length=66)
        if on_behalf_of is not None:
            body["on_behalf_of_account"] = on_behalf_of
        self._apply_raw_fields(body, self.omit(params, UNIFIED_ORDER_PARAMS))
        if not whole_position:
            self._check_order_limits(market, body, price_text, Flag.REDUCE_ONLY in body.get("flags", []))
        return body

    def order_recv_window(self, params: dict) -> int:
        """The recv_window (ms) every order carries: the caller's, else options['orderRecvWindow'], else the
        client's own request timeout. Paradex drops an order that reaches it later than signature_timestamp +
        recv_window, so once that moment has passed a request that got no answer can no longer create an order,
        and only then is the order sent again (TradingMixin._place waits for it)."""
        given = order_input.integer(params.get("recv_window", params.get("recvWindow")), "recv_window")
        if given is None:
            given = order_input.integer(self.options.get("orderRecvWindow"), "options['orderRecvWindow']")
        if given is None:
            given = int(self.timeout)
        if given < MIN_RECV_WINDOW_MS:
            raise InvalidOrder(f"{self.id} recv_window must be at least {MIN_RECV_WINDOW_MS} ms")
        return given

    def _apply_raw_fields(self, body: dict, raw: dict) -> None:
        """Raw Paradex fields in params: one the unified arguments already set must say the same (else BadRequest),
        one no argument covers is checked and added before signing, and anything Paradex's order does not have is
        refused rather than dropped or sent."""
        for field, value in raw.items():
            if field in SIGNATURE_FIELDS:
                raise BadRequest(f"{self.id} params['{field}'] cannot be set: the adapter signs every order itself")
            if field == "flags":
                if not isinstance(value, list) or any(not isinstance(f, str) or f.upper() not in FLAGS
                                                      for f in value):
                    raise BadRequest(f"{self.id} params['flags'] must be a list of {sorted(FLAGS)}")
                body["flags"] = list(dict.fromkeys([*body.get("flags", []), *(f.upper() for f in value)]))
                if not body["flags"]:
                    del body["flags"]
            elif field in body:
                if not order_input.same_value(value, body[field]):
                    raise order_input.contradiction(field, value, body[field])
            elif field == "vwap_price":
                body[field] = self.price_to_precision(self.safe_market(body["market"])["symbol"],
                                                      order_input.number(value, "vwap_price"))
            elif field == "dime_discount":
                body[field] = order_input.flag(value, "dime_discount")
            elif field == "marginMode" and isinstance(value, str) and value.lower() == "cross":
                continue  # Paradex's main account is cross-margined: nothing to send
            elif field in ("price", "trigger_price"):
                raise BadRequest(f"{self.id} params['{field}'] does not fit a {body['type']} order: use the "
                                 f"unified price / triggerPrice arguments")
            else:
                raise BadRequest(f"{self.id} Paradex orders have no field {field!r} (params are checked rather than "
                                 f"dropped: an ignored stop loss or flag would change what the order means)")

    def _trigger(self, symbol: str, params: dict) -> tuple[str | None, str | None]:
        """Which conditional kind the params ask for, and its trigger price rounded to the tick."""
        given = {
            "triggerPrice": order_input.number(params.get("triggerPrice", params.get("stopPrice")), "triggerPrice"),
            "stopLossPrice": order_input.number(params.get("stopLossPrice"), "stopLossPrice"),
            "takeProfitPrice": order_input.number(params.get("takeProfitPrice"), "takeProfitPrice"),
        }
        present = [kind for kind, value in given.items() if value is not None]
        if len(present) > 1:
            raise InvalidOrder(f"{self.id} one Paradex order has one trigger; got {', '.join(present)}: "
                               f"place the stop loss and the take profit as separate orders")
        if not present:
            return None, None
        kind = present[0]
        return kind, self.price_to_precision(symbol, given[kind])

    def _instruction(self, unified_type: str, params: dict) -> str:
        time_in_force = order_input.text(params.get("timeInForce"), "timeInForce")
        time_in_force = time_in_force.upper() if time_in_force is not None else None
        post_only = order_input.flag(params.get("postOnly"), "postOnly")
        if order_input.flag(params.get("rpi"), "rpi"):
            time_in_force = "RPI"
        if time_in_force is not None and time_in_force not in INSTRUCTIONS:
            raise InvalidOrder(f"{self.id} timeInForce {time_in_force} is not supported by Paradex: use GTC, IOC, "
                               f"PO (post-only) or RPI")
        instruction = INSTRUCTIONS[time_in_force] if time_in_force is not None else "GTC"
        if post_only and instruction not in POST_ONLY_INSTRUCTIONS:
            if time_in_force is not None and instruction != "GTC":
                raise InvalidOrder(f"{self.id} postOnly conflicts with timeInForce {time_in_force}")
            instruction = "POST_ONLY"
        if post_only is False and instruction in POST_ONLY_INSTRUCTIONS:
            raise InvalidOrder(f"{self.id} postOnly=False conflicts with timeInForce {time_in_force}")
        if unified_type == "market" and instruction in POST_ONLY_INSTRUCTIONS:
            raise InvalidOrder(f"{self.id} a market order cannot be post-only")
        return instruction

    def _client_id(self, params: dict) -> str:
        given = [params[key] for key in CLIENT_ID_KEYS if params.get(key) is not None]
        if not given:
            prefix = self.safe_string(self.options, "clientOrderIdPrefix", "pccxt-")
            return prefix + self.uuid().replace("-", "")
        client_id = order_input.identifier(given[0], "clientOrderId", MAX_CLIENT_ID_LENGTH)
        if any(order_input.identifier(other, "clientOrderId", MAX_CLIENT_ID_LENGTH) != client_id
               for other in given[1:]):
            raise BadRequest(f"{self.id} two different client ids given: {given}")
        return client_id  # type: ignore[return-value]

    def _check_order_limits(self, market: dict, body: dict, price: str | None, reduce_only: bool) -> None:
        """Refuse, before anything is sent, what Paradex would refuse for size and notional.

        The notional is size x a reference price: the limit price, else the trigger price, else the price the caller
        passed with a market order. A plain market order without one is left to Paradex (it values notional at the
        mark price, which we do not fetch per order), and so are reduce-only orders (exempt when they close a
        position, which only Paradex knows).
        """
        size = body["size"]
        limits = market["limits"]
        min_size = self.number_to_string(limits["amount"]["min"])
        max_size = self.number_to_string(limits["amount"]["max"])
        if Precise.string_le(size, "0") or (min_size is not None and Precise.string_lt(size, min_size)):
            raise InvalidOrder(f"{self.id} amount {size} is below the minimum order size {min_size} of "
                               f"{market['symbol']}")
        if max_size is not None and Precise.string_gt(size, max_size):
            raise InvalidOrder(f"{self.id} amount {size} is above the maximum order size {max_size} of "
                               f"{market['symbol']}")
        for field in ("price", "trigger_price"):
            if field in body and Precise.string_le(body[field], "0"):
                raise InvalidOrder(f"{self.id} {field} {body[field]} rounds to nothing at the tick size of "
                                   f"{market['symbol']}")
        min_notional = self.number_to_string(limits["cost"]["min"])
        if min_notional is None or reduce_only:
            return
        reference = body.get("price") or body.get("trigger_price") or price
        if reference is None:
            return
        notional = Precise.string_mul(size, reference)
        if Precise.string_lt(notional, min_notional):
            raise InvalidOrder(f"{self.id} order notional {notional} is below the minimum {min_notional} of "
                               f"{market['symbol']}")

    def modify_order_body(self, current: dict, amount: Any = None, price: Any = None,
                          params: Any = None) -> dict:
        """The unsigned PUT /orders/{id} body: the order's own market, side and type with a new size, price or
        trigger price; what is not given is taken from `current` (the Paradex order as fetched). Only what Paradex's
        ModifyOrder carries is sent; a param it cannot carry (postOnly, clientOrderId, timeInForce, ...) raises
        BadRequest instead of being dropped, and the new size and price are checked as createOrder checks them."""
        params = order_params(params)
        unknown = [key for key in params if key not in MODIFY_PARAMS]
        if unknown:
            raise BadRequest(f"{self.id} editOrder() cannot change {', '.join(map(str, unknown))}: Paradex modifies "
                             f"only an order's size, price and trigger price")
        market = self.safe_market(self.safe_string(current, "market"))
        symbol = market["symbol"]
        paradex_type = self.safe_string(current, "type")
        if paradex_type == "MARKET":
            raise InvalidOrder(f"{self.id} a market order cannot be edited")
        amount_text = order_input.number(amount, "amount")
        price_text = order_input.number(price, "price")
        body: dict[str, Any] = {
            "id": self.safe_string(current, "id"),
            "market": market["id"],
            "side": self.safe_string(current, "side"),
            "type": paradex_type,
            "size": self.amount_to_precision(symbol, amount_text) if amount_text is not None else current["size"],
        }
        if is_market_type(paradex_type):
            if price_text is not None:
                raise InvalidOrder(f"{self.id} a {paradex_type} order has no limit price: edit its trigger price "
                                   f"(params triggerPrice) or its amount")
        else:
            body["price"] = self.price_to_precision(symbol, price_text) if price_text is not None else \
                current["price"]
        triggers = [order_input.number(params.get(key), key) for key in TRIGGER_PARAMS]
        trigger = next((t for t in triggers if t is not None), None)
        if trigger is not None:
            if paradex_type == "LIMIT":
                raise InvalidOrder(f"{self.id} a LIMIT order has no trigger price to edit")
            body["trigger_price"] = self.price_to_precision(symbol, trigger)
        elif self.omit_zero(self.safe_string(current, "trigger_price")) is not None:
            body["trigger_price"] = current["trigger_price"]
        on_behalf_of = order_input.identifier(params.get("on_behalf_of_account", params.get("onBehalfOfAccount")),
                                              "on_behalf_of_account", max_length=66)
        if on_behalf_of is not None:
            body["on_behalf_of_account"] = on_behalf_of
        if not is_whole_position(body["size"]):
            self._check_order_limits(market, body, None, Flag.REDUCE_ONLY in self.safe_list(current, "flags", []))
        return body

    # -- signing ----------------------------------------------------------------------------------------------------

    async def sign_order_body(self, body: dict, modify: bool = False) -> dict:
        """`body` plus its Stark signature and the signature timestamp (a fresh, strictly increasing ms value).

        New orders sign the `Order` typed data; modifications (`modify`) sign `ModifyOrder`, which adds the order id.
        Market-flavoured types sign price 0.
        """
        credentials = await self.load_credentials()
        timestamp = self.signature_clock.next()
        try:
            size = signing.chain_units(body["size"])
            price = 0 if is_market_type(body["type"]) else signing.chain_units(body["price"])
            fields = (self.chain_id, credentials.address, timestamp, body["market"], body["side"], body["type"], size,
                      price)
            msg_hash = signing.modify_order_hash(*fields, body["id"]) if modify else signing.order_hash(*fields)
        except signing.SigningError as error:
            raise InvalidOrder(str(error)) from None
        signed = dict(body)
        signed["signature"] = signing.format_signature(*credentials.signer.sign(msg_hash))
        signed["signature_timestamp"] = timestamp
        return signed

    # -- batch entries Paradex did not answer with an order -------------------------------------------------------

    def requested_order(self, body: dict, status: str | None, info: dict) -> dict:
        """The unified entry for a batch order that has no Paradex order behind it: what was asked (client id,
        symbol, side, type, amount, prices) with `status` 'rejected' (Paradex refused it; its {error, message} is the
        info) or None (its fate stayed unknown after retries)."""
        market = self.safe_market(body["market"])
        unified_type, trigger_field = ORDER_TYPES[body["type"]]
        trigger = body.get("trigger_price")
        return self.safe_order({
            "id": None,
            "clientOrderId": body["client_id"],
            "symbol": market["symbol"],
            "type": unified_type,
            "side": body["side"].lower(),
            "amount": body["size"],
            "price": body.get("price"),
            "triggerPrice": trigger,
            "stopLossPrice": trigger if trigger_field == "stopLossPrice" else None,
            "takeProfitPrice": trigger if trigger_field == "takeProfitPrice" else None,
            "timeInForce": TIME_IN_FORCE.get(body["instruction"]),
            "postOnly": body["instruction"] in POST_ONLY_INSTRUCTIONS,
            "reduceOnly": Flag.REDUCE_ONLY in body.get("flags", []),
            "status": status,
            "filled": "0" if status == REJECTED else None,
            "remaining": body["size"] if status == REJECTED else None,
            "cancelReason": None,
            "info": info,
        }, market)
