"""The sandbox exchange without HTTP: order lifecycle, matching, triggers, the built-in liquidity provider, and
every read a Paradex REST endpoint answers. Time comes only from the ``clock`` given (a callable returning ms).

Usage by the HTTP layer (server.py)::

    engine = Engine(clock=lambda: int(time.time() * 1000), seed=42)
    engine.onboard(address, public_key, eth_address)          # POST /onboarding (after signature checks)
    order = engine.submit(address, body)                      # POST /orders -> 201, status NEW
    engine.step()                                             # optional: any engine call catches up anyway

Every public method first brings the engine up to ``clock()`` (``step``): marks move, the liquidity provider
re-quotes, stops trigger, and NEW orders older than ``risk_delay_ms`` get their risk check and match. So NEW is
what ``submit`` returns and what a read in the same millisecond may see; a later call shows OPEN / CLOSED.
Cancels are applied when called; the asynchronous 204-then-later behaviour is the HTTP layer's (validate with
``cancellable``, answer 204, call ``cancel`` after the delay, ignore ``ORDER_IS_CLOSED`` then).

Constructor: ``Engine(clock, seed=0, symbols=None, funding_usdc=100000, liquidity=True, risk_delay_ms=0,
funding_sample_offset_ms=0)`` (the last: see ``MarketData``).
``symbols`` picks markets from ``catalog.DEFAULT_SYMBOLS``; ``funding_usdc`` is what onboarding credits;
``liquidity=False`` leaves the book to the users (no built-in market maker); ``risk_delay_ms`` keeps orders NEW
that long. The engine is single-threaded: call it from one event loop.

Gateway checks ``submit`` raises for (nothing is created): ``MARKET_NOT_FOUND``, ``MARKET_NOT_OPEN``,
``VALIDATION_ERROR`` (side, type, instruction, stp, flags, missing price / trigger_price, TP/SL without
``REDUCE_ONLY``, POST_ONLY on a market order, client_id over 64 chars), ``INVALID_ORDER_SIZE`` (not a positive
multiple of the increment, above ``max_order_size``), ``INVALID_PRICE_PRECISION`` (off the tick),
``DUPLICATED_CLIENT_ID`` (another NEW / UNTRIGGERED / OPEN order of the account has it; unconfirmed whether
Paradex also counts closed orders), ``SYSTEM_STATUS_CANCEL_ONLY`` / ``SYSTEM_STATUS_POST_ONLY`` /
``SERVICE_UNAVAILABLE`` (venue state). Everything that depends on prices, positions or margin is a risk-stage
outcome instead: the order is CLOSED with a ``cancel_reason``, as on Paradex. ``submit_batch`` raises the first
gateway error of any body (whole batch refused) and otherwise answers ``{"orders": [...NEW...], "errors": []}``.
``modify`` answers the order (same id); a modify that fails the margin check leaves the order unchanged with
``request_info = {"id", "request_type": "MODIFY_ORDER", "status": "REJECTED", "message": "NOT_ENOUGH_MARGIN"}``
(``status`` ``COMPLETED`` otherwise; these two status strings are the sandbox's, unconfirmed).

Errors: every refusal raises ``SandboxError`` (from ledger; re-exported here) with ``.code`` (Paradex error code),
``.message``, ``.status`` (HTTP status) and ``.body()`` (the Paradex error JSON).

Public API (all bodies Paradex-shaped, numbers as decimal strings, times in ms):

- accounts: ``onboard``, ``account(address)``; ``account_summary``, ``account_info``, ``account_profile``,
  ``balance``, ``positions``, ``fills``, ``funding_payments``, ``transfers``, ``transactions``, ``tradebusts``,
  ``margin_config``, ``set_margin_config``; subkeys via ``engine.ledger``; ``exposure(address)``: the account's
  OPEN orders summed per market for the margin model (``ledger.AccountExposure``), kept up to date as orders
  rest, fill, change and close, so a risk check costs the same with 1 or 400 open orders.
- orders: ``submit``, ``submit_batch``, ``get_order``, ``get_order_by_client_id``, ``open_orders``,
  ``orders_history``, ``cancellable``, ``cancel``, ``cancel_by_client_id``, ``cancel_all``, ``cancel_batch``
  (``plan_cancel_batch`` for the queued form), ``modify``.
- public: ``markets``, ``markets_summary``, ``orderbook``, ``bbo``, ``trades``, ``klines``, ``funding_data``,
  ``system_config``, ``system_state``, ``system_time``, ``portfolio_margin_config``, ``insurance_fund``;
  ``set_system_status`` to drive venue states.
- time and prices: ``step``, ``mark_price(symbol)``.

Cancel reasons written into ``cancel_reason`` (``CancelReason``):

- ``USER_CANCELED`` (user cancel, cancel-all, batch cancel), ``NOT_ENOUGH_MARGIN`` (initial margin check failed),
  ``ORDER_EXCEEDS_POSITION_LIMIT`` (position limit): Paradex's own strings (docs.paradex.trade order examples,
  ccxt 4.5.90 ``paradex.parse_order`` and its rejected-order handling, ccxt issue #26136).
- ``ORDER_SIZE_BELOW_MIN`` (notional under the market's ``min_notional`` at the risk check): Paradex's string, seen
  on a real closed order in ccxt's static paradex response tests (PARADEX.md §9).
- Strings of the CancelReason enum of a public Paradex client (Wayruha/paradex-java-lib), also seen in Paradex
  payloads and logs quoted by public bots (see paradex_ccxt/orders.py, which maps the same strings):
  ``POST_ONLY_WOULD_CROSS`` (post-only order would take), ``REMAINING_IOC_CANCEL`` (unfilled remainder of an IOC
  order), ``EMPTY_MARKET`` (a market order that met no resting liquidity at all), ``EXCEEDS_MAX_SLIPPAGE`` (the
  remainder of a market order beyond ``max_slippage`` of the mark), ``SELF_TRADE`` (self-trade prevention expired
  the order), ``REDUCE_ONLY_WILL_INCREASE`` (a reduce-only order, TP or SL that no longer reduces the position).
- The sandbox's own name, unconfirmed: ``MAX_OPEN_ORDERS_EXCEEDED`` (the market's ``max_open_orders`` reached: no
  Paradex error code exists for it, so it is a risk-stage rejection here).

Trigger semantics: ``STOP_*``, ``TAKE_PROFIT_*`` and ``STOP_LOSS_*`` wait ``UNTRIGGERED`` until the mark crosses
``trigger_price``. ``STOP_CONDITION_ABOVE_TRIGGER`` / ``_BELOW_TRIGGER`` in ``flags`` choose the direction; without
one the engine adds it: for STOP orders from where the trigger sits against the mark at acceptance, for TP/SL from
the side (a SELL take-profit fires above, a SELL stop-loss below, BUY the other way). TP/SL orders must carry
``REDUCE_ONLY``; size ``"0"`` means "the whole position at trigger time" (what ccxt sends). On trigger the order
keeps its id and type and runs as a market (``*_MARKET``) or limit order with the usual risk checks.
"""
from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import catalog as catalog_mod
from .catalog import Catalog, MarketSpec, dec, dec8, dec_str
from .events import Event, EventBus
from .ledger import (Account, AccountExposure, Exposure, FillOrder, IdGen, Ledger, Risk, SandboxError, ceil_to,
                     floor_to, quantity_steps, settle_fill, txn_hash)
from .. import vocabulary
from ..vocabulary import (BATCH_MAX_ORDERS, FLAGS, INSTRUCTIONS, MARKET_TYPES, MAX_CLIENT_ID_LENGTH, ORDER_STATUSES,
                          ORDER_TYPES, STP_MODES, TPSL_TYPES, TRIGGER_TYPES, Flag)
from .history import OrderHistory
from .marketdata import STEP_MS, MarketData, paginate

__all__ = ["Engine", "Order", "SandboxError", "CancelReason", "LIQUIDITY_PROVIDER"]

ZERO = Decimal(0)
LIQUIDITY_PROVIDER = "0x5a9dbeef5a9dbeef5a9dbeef5a9dbeef5a9dbeef5a9dbeef5a9dbeef5a9dbee"


class CancelReason(vocabulary.CancelReason):
    MAX_OPEN_ORDERS_EXCEEDED = "MAX_OPEN_ORDERS_EXCEEDED"  # the sandbox's own name, unconfirmed (module docstring)


ABOVE, BELOW = Flag.STOP_CONDITION_ABOVE_TRIGGER, Flag.STOP_CONDITION_BELOW_TRIGGER
MM_LEVELS = 20
MM_LEVEL_USD = Decimal(25_000)


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
    status: str = "NEW"
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


class Book:
    """Price-time priority book of one market: FIFO queues per price level."""

    def __init__(self, market: str = "", events: EventBus | None = None) -> None:
        self.market = market
        self.events = events
        self.levels: dict[str, dict[Decimal, deque[Order]]] = {"BUY": {}, "SELL": {}}
        self.prices: dict[str, list[Decimal]] = {"BUY": [], "SELL": []}  # ascending
        self.seq_no = 0
        self.last_updated_at = 0

    def touch(self, now: int) -> None:
        """Every change of the book's content ends here, once per change: one sequence number each (Paradex's
        book deltas advance it by exactly one per frame)."""
        self.seq_no += 1
        self.last_updated_at = now
        if self.events is not None and self.events.active:
            self.events.publish(Event("book", None, self.market))

    def add(self, order: Order, now: int) -> None:
        side_levels = self.levels[order.side]
        queue = side_levels.get(order.price)
        if queue is None:
            queue = side_levels[order.price] = deque()
            bisect.insort(self.prices[order.side], order.price)
        queue.append(order)
        self.touch(now)

    def remove(self, order: Order, now: int) -> None:
        side_levels = self.levels[order.side]
        queue = side_levels.get(order.price)
        if queue is None or order not in queue:
            return
        queue.remove(order)
        if not queue:
            del side_levels[order.price]
            prices = self.prices[order.side]
            prices.pop(bisect.bisect_left(prices, order.price))
        self.touch(now)

    def best_price(self, side: str) -> Decimal | None:
        prices = self.prices[side]
        if not prices:
            return None
        return prices[-1] if side == "BUY" else prices[0]

    def makers_for(self, taker_side: str) -> Iterable[Order]:
        """Resting orders a taker on ``taker_side`` meets, best first; safe against removal while iterating."""
        side = "SELL" if taker_side == "BUY" else "BUY"
        while True:
            price = self.best_price(side)
            if price is None:
                return
            queue = self.levels[side][price]
            yield queue[0]

    def depth(self, side: str, levels: int) -> list[list[str]]:
        prices = self.prices[side]
        ordered = reversed(prices) if side == "BUY" else iter(prices)
        out: list[list[str]] = []
        for price in ordered:
            if len(out) >= levels:
                break
            total = sum((o.remaining for o in self.levels[side][price]), ZERO)
            out.append([dec_str(price), dec_str(total)])
        return out


class Engine:
    def __init__(self, clock: Callable[[], int], seed: int = 0, symbols: Iterable[str] | None = None,
                 funding_usdc: Decimal | int | str = Decimal("100000"), liquidity: bool = True,
                 risk_delay_ms: int = 0, history_limit: int | None = None, funding_sample_offset_ms: int = 0):
        self.clock = clock
        self.seed = seed
        self.catalog = Catalog(tuple(symbols) if symbols is not None else None)
        self.ids = IdGen(clock)
        self.ledger = Ledger(clock, self.ids, Decimal(funding_usdc))
        self.genesis = clock()
        self.md = MarketData(self.catalog, seed, self.genesis, funding_sample_offset_ms)
        self.risk = Risk(self.catalog, self.mark_price_now, self.underlying_now)
        self.risk_delay_ms = risk_delay_ms
        self.system_status = "ok"
        self.events = EventBus()
        self.books = {s: Book(s, self.events) for s in self.catalog.symbols}
        self.orders: OrderHistory[Order] = OrderHistory(history_limit)  # user orders accepted, up to the limit
        self._active: dict[str, dict[str, Order]] = {}  # account -> NEW / UNTRIGGERED / OPEN orders
        # Indexes over the live orders, kept by _track as orders change, so no check walks every order of an account
        self._exposure: dict[str, AccountExposure] = {}  # account -> its OPEN orders, summed for the margin model
        self._counted: dict[str, Exposure] = {}  # order id -> what that OPEN order adds to its account's exposure
        self._reduce_only: dict[tuple[str, str], dict[str, Order]] = {}  # (account, market) -> OPEN reduce-only
        self._untriggered: dict[str, Order] = {}  # id -> UNTRIGGERED order
        self._client_ids: dict[str, dict[str, Order]] = {}  # account -> client id -> live order
        self._pending: deque[Order] = deque()  # NEW orders waiting for their risk check
        self._trades: dict[str, list[dict]] = {s: [] for s in self.catalog.symbols}
        self._marks: dict[str, Decimal] = {}
        self._now = self.genesis  # the venue's processing time: marks, fills and updates are stamped with it
        self._quoted_knot: int | None = None
        self._mm: Account | None = None
        if liquidity:
            self._mm = self.ledger.onboard(LIQUIDITY_PROVIDER, LIQUIDITY_PROVIDER, funding=Decimal(10) ** 12,
                                           unlimited=True)
        self._set_time(self.genesis)
        self._requote(self.genesis)

    # ---- time and prices ------------------------------------------------------------------------------------

    def _set_time(self, t: int) -> None:
        if t != self._now or not self._marks:
            self._now = t
            self._marks = {s: self.md.mark_price(s, t) for s in self.catalog.symbols}

    def mark_price_now(self, symbol: str) -> Decimal:
        return self._marks[symbol]

    def underlying_now(self, symbol: str) -> Decimal:
        return self.md.underlying_price(symbol, self._now)

    def _index(self, symbol: str) -> Decimal:
        return self.md.funding_index(symbol, self._now)

    def mark_price(self, symbol: str) -> Decimal:
        self._market(symbol)
        self.step()
        return self._marks[symbol]

    def step(self) -> int:
        """Bring the venue up to ``clock()`` and return that time.

        When resting orders or waiting triggers exist, every 10-second price knot in between is visited, so a
        resting order the price moved through gets filled and a stop whose trigger the price touched fires,
        however long ago the previous step was (the venue runs continuously; the engine only catches up)."""
        now = max(self.clock(), self._now)  # a clock running backwards never rewinds the venue
        first, last = self._now // STEP_MS + 1, now // STEP_MS
        if last >= first and any(self._active.values()):
            for knot in range(first, last + 1):
                self._advance(knot * STEP_MS, catch_up=True)
        self._advance(now, catch_up=False)
        return now

    def _advance(self, t: int, catch_up: bool) -> None:
        prev = self._now
        self._set_time(t)
        due = [o for o in self._pending if o.received_at + self.risk_delay_ms <= t]
        if catch_up:
            # re-quote only markets where the ladder at this knot would trade or where something must execute
            stale = {o.market for o in due} | {s for s in self.catalog.symbols if self._quotes_would_cross(s)}
            stale |= {o.market for o in self._waiting() if self._crossed(o, *self.md.mark_range(o.market, prev, t))}
            if stale:
                self._requote(t, sorted(stale))
        elif t // STEP_MS != self._quoted_knot:
            self._requote(t)
            self._quoted_knot = t // STEP_MS
        self._fire_triggers(prev, t)
        while self._pending and self._pending[0].received_at + self.risk_delay_ms <= t:
            order = self._pending.popleft()
            if order.status == "NEW":
                self._risk_check(order, t)

    def _waiting(self) -> list[Order]:
        return list(self._untriggered.values())

    def _quotes_would_cross(self, symbol: str) -> bool:
        """Would the liquidity provider's ladder at the current mark trade with a resting user order?"""
        if self._mm is None:
            return False
        bid, ask = self._mm_touch(self.catalog.spec(symbol), self._marks[symbol])
        for exposure in self._exposure.values():
            market = exposure.markets.get(symbol)
            if market is None:
                continue
            top_bid, low_ask = market.best("BUY"), market.best("SELL")
            if (top_bid is not None and top_bid >= ask) or (low_ask is not None and low_ask <= bid):
                return True
        return False

    # ---- accounts -------------------------------------------------------------------------------------------

    def onboard(self, address: str, public_key: str, eth_address: str = "") -> Account:
        return self.ledger.onboard(address, public_key, eth_address)

    def account(self, address: str) -> Account:
        return self.ledger.get(address)

    def exposure(self, address: str) -> AccountExposure:
        """The account's OPEN orders as the margin model sees them (kept up to date, not recomputed)."""
        return self._exposure.get(self.ledger.get(address).address) or AccountExposure()

    def account_summary(self, address: str) -> dict:
        self.step()
        return self.account_summary_now(address)

    def account_summary_now(self, address: str) -> dict:
        """The margin summary as of the venue's current time, without stepping (safe inside an event listener)."""
        account = self.ledger.get(address)
        return self.risk.summary_json(account, self._exposure.get(account.address) or AccountExposure(), self._index,
                                      self._now)

    def position_now(self, address: str, market: str) -> dict:
        """One position's Paradex JSON as of the venue's current time, without stepping."""
        account = self.ledger.get(address)
        return self.risk.position_json(account, account.position(market), self._index)

    def account_info(self, address: str) -> dict:
        """GET /v1/account/info: a list (GetAccountsInfoResponse), the account's own row; sandbox accounts have no
        sub-accounts to add to it."""
        return {"results": [self.ledger.get(address).info_json()]}

    def account_profile(self, address: str) -> dict:
        return self.ledger.get(address).profile_json()

    def balance(self, address: str) -> dict:
        self.step()
        return {"results": self.ledger.get(address).balance_json()}

    def positions(self, address: str) -> dict:
        self.step()
        return {"results": self.risk.positions_json(self.ledger.get(address), self._index)}

    def margin_config(self, address: str, market: str | None = None) -> dict:
        if market is not None:
            self._market(market)
        return self.ledger.get(address).margin_json(market, self.catalog)

    def set_margin_config(self, address: str, market: str, body: dict) -> dict:
        return self.ledger.get(address).set_margin(market, body.get("leverage"), body.get("margin_type"),
                                                    self.catalog)

    def _listing(self, rows: list[dict], market: str | None, start_at: int | None, end_at: int | None,
                 cursor: str | None, page_size: int) -> dict:
        """Paginate an account's rows (oldest first in ``rows``) newest first, filtered."""
        def keep(r: dict) -> bool:
            return ((market is None or r.get("market") == market)
                    and (start_at is None or r["created_at"] >= start_at)
                    and (end_at is None or r["created_at"] <= end_at))

        return _paginate_list([r for r in rows if keep(r)], lambda r: (r["created_at"], r["id"]), cursor, page_size)

    def fills(self, address: str, market: str | None = None, start_at: int | None = None, end_at: int | None = None,
              cursor: str | None = None, page_size: int = 100) -> dict:
        self.step()
        return self._listing(self.ledger.get(address).fills, market, start_at, end_at, cursor, page_size)

    def funding_payments(self, address: str, market: str | None = None, start_at: int | None = None,
                         end_at: int | None = None, cursor: str | None = None, page_size: int = 100) -> dict:
        self.step()
        return self._listing(self.ledger.get(address).funding_payments, market, start_at, end_at, cursor,
                             page_size)

    def transfers(self, address: str, start_at: int | None = None, end_at: int | None = None,
                  cursor: str | None = None, page_size: int = 100) -> dict:
        return self._listing(self.ledger.get(address).transfers, None, start_at, end_at, cursor, page_size)

    def transactions(self, address: str, start_at: int | None = None, end_at: int | None = None,
                     cursor: str | None = None, page_size: int = 100) -> dict:
        """GET /transactions: the settlement transaction of each of the account's fills. The sandbox settles a
        fill the moment it happens, so every one is ACCEPTED_ON_L2 and completed when created."""
        self.step()
        rows = [{"id": f["id"], "type": "TRANSACTION_FILL", "hash": txn_hash(f["id"]), "state": "ACCEPTED_ON_L2",
                 "created_at": f["created_at"], "completed_at": f["created_at"]}
                for f in self.ledger.get(address).fills]
        return self._listing(rows, None, start_at, end_at, cursor, page_size)

    def tradebusts(self, address: str, start_at: int | None = None, end_at: int | None = None,
                   cursor: str | None = None, page_size: int = 100) -> dict:
        """GET /tradebusts: fills the chain busted. Sandbox fills settle at once and are never busted."""
        self.ledger.get(address)
        return self._listing([], None, start_at, end_at, cursor, page_size)

    # ---- order entry ----------------------------------------------------------------------------------------

    def _market(self, symbol: object) -> MarketSpec:
        if not isinstance(symbol, str) or not symbol:
            raise SandboxError("VALIDATION_ERROR", "market is required")
        if symbol not in self.catalog:
            raise SandboxError("MARKET_NOT_FOUND", f"market not found: {symbol}")
        return self.catalog.spec(symbol)

    def _decimal(self, body: dict, name: str, code: str) -> Decimal:
        raw = body.get(name)
        if raw is None or raw == "":
            return ZERO
        try:
            return dec(raw)
        except ValueError:
            raise SandboxError(code, f"invalid {name}: {raw!r}") from None

    def _parse(self, address: str, body: object, now: int) -> Order:
        """Gateway checks (Paradex answers these with an HTTP error, nothing is created)."""
        if not isinstance(body, dict):
            raise SandboxError("BINDING_ERROR", "order body must be a JSON object")
        if self.system_status == "maintenance":
            raise SandboxError("SERVICE_UNAVAILABLE", "exchange under maintenance", 503)
        if self.system_status == "cancel_only":
            raise SandboxError("SYSTEM_STATUS_CANCEL_ONLY", "exchange is in cancel-only mode")
        spec = self._market(body.get("market"))
        if not spec.open_at <= now or (spec.expiry_at and now >= spec.expiry_at):
            raise SandboxError("MARKET_NOT_OPEN", f"market not open: {spec.symbol}")
        side = body.get("side")
        if side not in ("BUY", "SELL"):
            raise SandboxError("VALIDATION_ERROR", f"invalid side: {side!r}")
        kind = body.get("type")
        if kind not in ORDER_TYPES:
            raise SandboxError("VALIDATION_ERROR", f"invalid order type: {kind!r}")
        instruction = body.get("instruction") or "GTC"
        if instruction not in INSTRUCTIONS:
            raise SandboxError("VALIDATION_ERROR", f"invalid instruction: {instruction!r}")
        is_market = "MARKET" in kind
        if is_market and instruction == "POST_ONLY":
            raise SandboxError("VALIDATION_ERROR", "POST_ONLY is only allowed with limit orders")
        if self.system_status == "post_only" and instruction != "POST_ONLY":
            raise SandboxError("SYSTEM_STATUS_POST_ONLY", "exchange is in post-only mode")
        stp = body.get("stp") or "EXPIRE_TAKER"
        if stp not in STP_MODES:
            raise SandboxError("VALIDATION_ERROR", f"invalid stp: {stp!r}")
        flags = body.get("flags") or []
        if not isinstance(flags, list) or any(f not in FLAGS for f in flags):
            raise SandboxError("VALIDATION_ERROR", f"invalid flags: {flags!r}")
        if ABOVE in flags and BELOW in flags:
            raise SandboxError("VALIDATION_ERROR", "conflicting stop conditions")
        if kind in TPSL_TYPES and Flag.REDUCE_ONLY not in flags:
            raise SandboxError("VALIDATION_ERROR", "TP/SL orders must be REDUCE_ONLY")
        size = self._decimal(body, "size", "INVALID_ORDER_SIZE")
        if size < 0 or (size == 0 and kind not in TPSL_TYPES):
            raise SandboxError("INVALID_ORDER_SIZE", f"invalid order size: {body.get('size')!r}")
        if not quantity_steps(size, spec.order_size_increment) and size != 0:
            raise SandboxError("INVALID_ORDER_SIZE",
                               f"size must be a multiple of {dec_str(spec.order_size_increment)}")
        if size > spec.max_order_size:
            raise SandboxError("INVALID_ORDER_SIZE", f"size above max order size {dec_str(spec.max_order_size)}")
        price = ZERO if is_market else self._decimal(body, "price", "INVALID_PRICE_PRECISION")
        if not is_market:
            if price <= 0:
                raise SandboxError("VALIDATION_ERROR", "price is required for limit orders")
            if not quantity_steps(price, spec.price_tick_size):
                raise SandboxError("INVALID_PRICE_PRECISION",
                                   f"price must be a multiple of {dec_str(spec.price_tick_size)}")
        trigger = self._decimal(body, "trigger_price", "INVALID_PRICE_PRECISION")
        if kind in TRIGGER_TYPES:
            if trigger <= 0:
                raise SandboxError("VALIDATION_ERROR", f"trigger_price is required for {kind}")
            if not quantity_steps(trigger, spec.price_tick_size):
                raise SandboxError("INVALID_PRICE_PRECISION",
                                   f"trigger_price must be a multiple of {dec_str(spec.price_tick_size)}")
        elif trigger != 0:
            raise SandboxError("VALIDATION_ERROR", f"trigger_price is not allowed for {kind}")
        client_id = body.get("client_id") or ""
        if not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID_LENGTH:
            raise SandboxError("VALIDATION_ERROR",
                               f"client_id must be a string of at most {MAX_CLIENT_ID_LENGTH} chars")
        if client_id and self._active_by_client_id(address, client_id) is not None:
            raise SandboxError("DUPLICATED_CLIENT_ID", f"duplicated client id: {client_id}")
        ts = body.get("signature_timestamp", now)
        return Order(
            id=self.ids.next_id(), account=address, market=spec.symbol, side=side, type=kind, size=size,
            remaining=size, price=price, trigger_price=trigger, instruction=instruction, flags=list(flags), stp=stp,
            client_id=client_id, timestamp=int(ts) if isinstance(ts, (int, str)) and str(ts).isdigit() else now,
            created_at=now, received_at=now, published_at=now, last_updated_at=now,
        )

    def submit(self, address: str, body: dict) -> dict:
        """POST /orders: gateway checks, then the order is queued as NEW (its risk check runs at the next step)."""
        self.step()
        account = self.ledger.get(address)
        order = self._accept(self._parse(account.address, body, self._now))
        return order.to_json()

    def _accept(self, order: Order) -> Order:
        order.seq_no = self.ids.seq_no()
        self.orders.add(order)
        self._active.setdefault(order.account, {})[order.id] = order
        self._track(order)
        self._pending.append(order)
        return order

    def submit_batch(self, address: str, bodies: object) -> dict:
        """POST /orders/batch: 1-10 orders. A body failing the gateway checks rejects the whole batch (the
        first error is raised, nothing is created); otherwise every order is queued and risk-checked alone."""
        self.step()
        account = self.ledger.get(address)
        if not isinstance(bodies, list) or not 1 <= len(bodies) <= BATCH_MAX_ORDERS:
            raise SandboxError("BATCH_SIZE_OUT_OF_RANGE", f"batch must hold 1 to {BATCH_MAX_ORDERS} orders")
        now = self._now
        parsed: list[Order] = []
        seen: set[str] = set()
        for body in bodies:
            order = self._parse(account.address, body, now)
            if order.client_id and order.client_id in seen:
                raise SandboxError("DUPLICATED_CLIENT_ID", f"duplicated client id: {order.client_id}")
            if order.client_id:
                seen.add(order.client_id)
            parsed.append(order)
        return {"orders": [self._accept(o).to_json() for o in parsed], "errors": []}

    # ---- risk check and matching ----------------------------------------------------------------------------

    def _close(self, order: Order, reason: str, now: int) -> None:
        if order.status == "CLOSED":
            return
        if order.status == "OPEN":
            self.books[order.market].remove(order, now)
        order.status = "CLOSED"
        order.cancel_reason = reason
        order.last_updated_at = now
        order.seq_no = self.ids.seq_no()
        self._active.get(order.account, {}).pop(order.id, None)
        self._track(order)

    def _update(self, order: Order, now: int) -> None:
        order.last_updated_at = now
        order.seq_no = self.ids.seq_no()
        self._track(order)

    def _track(self, order: Order) -> None:
        """File ``order`` again in the indexes of live orders after its status, size or price changed (every such
        change ends in ``_update`` or ``_close``): the margin totals of OPEN orders, OPEN reduce-only orders,
        UNTRIGGERED orders, client ids of live orders. The liquidity provider's quotes are in none of them."""
        live = order.id in self._active.get(order.account, ())
        counted = self._counted.pop(order.id, None)
        if counted is not None:
            self._exposure[order.account].remove(counted)
        resting = live and order.status == "OPEN"
        if resting:
            counted = self._counted[order.id] = Exposure(order.market, order.side, order.remaining, order.price)
            self._exposure.setdefault(order.account, AccountExposure()).add(counted)
        if order.reduce_only:
            reduce_only = self._reduce_only.setdefault((order.account, order.market), {})
            if resting:
                reduce_only[order.id] = order
            else:
                reduce_only.pop(order.id, None)
        if live and order.status == "UNTRIGGERED":
            self._untriggered[order.id] = order
        else:
            self._untriggered.pop(order.id, None)
        if order.client_id:
            by_client_id = self._client_ids.setdefault(order.account, {})
            if live:
                by_client_id[order.client_id] = order
            elif by_client_id.get(order.client_id) is order:
                del by_client_id[order.client_id]
        if self.events.active:
            self.events.publish(Event("order", order.account, order.to_json()))

    def _risk_check(self, order: Order, now: int) -> None:
        if order.type in TRIGGER_TYPES:
            self._arm_trigger(order, now)
        else:
            self._activate(order, now)

    def _arm_trigger(self, order: Order, now: int) -> None:
        account = self.ledger.get(order.account)
        if order.reduce_only and not self._reduces(account, order, order.size or None):
            self._close(order, CancelReason.REDUCE_ONLY_WILL_INCREASE, now)
            return
        if ABOVE not in order.flags and BELOW not in order.flags:
            order.inferred_condition = True
            order.flags.append(self._condition(order))
        order.status = "UNTRIGGERED"
        self._update(order, now)
        if self._crossed(order, self._marks[order.market], self._marks[order.market]):
            self._trigger(order, now)

    def _condition(self, order: Order) -> str:
        """The direction a trigger fires in when the order does not say: TP/SL from the side, STOP from where the
        trigger sits against the mark."""
        if order.type in TPSL_TYPES:
            fires_above = order.type.startswith("TAKE_PROFIT") == (order.side == "SELL")
        else:
            fires_above = order.trigger_price > self._marks[order.market]
        return ABOVE if fires_above else BELOW

    @staticmethod
    def _crossed(order: Order, low: Decimal, high: Decimal) -> bool:
        if ABOVE in order.flags:
            return high >= order.trigger_price
        return low <= order.trigger_price

    def _fire_triggers(self, since: int, now: int) -> None:
        waiting = self._waiting()
        if not waiting:
            return
        ranges: dict[str, tuple[Decimal, Decimal]] = {}
        for order in sorted(waiting, key=lambda o: o.id):
            if order.market not in ranges:
                ranges[order.market] = self.md.mark_range(order.market, min(since, now), now)
            low, high = ranges[order.market]
            if order.status == "UNTRIGGERED" and self._crossed(order, low, high):
                self._trigger(order, now)

    def _trigger(self, order: Order, now: int) -> None:
        account = self.ledger.get(order.account)
        if order.whole_position:
            pos = account.position_size(order.market)
            closing = (pos > 0 and order.side == "SELL") or (pos < 0 and order.side == "BUY")
            if not closing:
                self._close(order, CancelReason.REDUCE_ONLY_WILL_INCREASE, now)
                return
            order.size = order.remaining = abs(pos)
        self._activate(order, now)

    def _reduces(self, account: Account, order: Order, size: Decimal | None) -> bool:
        """A reduce-only order is valid while it (with the other reduce-only orders on its side) does not exceed
        the position it closes. ``size`` None: a whole-position TP/SL, valid while a position exists to close."""
        pos = account.position_size(order.market)
        if pos == 0 or (pos > 0) == (order.side == "BUY"):
            return False
        if size is None:
            return True
        others = sum((o.remaining for o in self._reduce_only.get((account.address, order.market), {}).values()
                      if o is not order and o.side == order.side), ZERO)
        return others + size <= abs(pos)

    def _activate(self, order: Order, now: int) -> None:
        """Risk checks for an order about to reach the book (a new LIMIT/MARKET or a fired trigger), then match."""
        account = self.ledger.get(order.account)
        spec = self.catalog.spec(order.market)
        mark = self._marks[order.market]
        reason = self._risk_reason(account, spec, order, mark)
        if reason:
            self._close(order, reason, now)
            return
        if order.instruction == "POST_ONLY" and self._would_cross(order):
            self._close(order, CancelReason.POST_ONLY_WOULD_CROSS, now)
            return
        limit = order.price
        if order.is_market:
            slip = spec.max_slippage
            limit = ceil_to(mark * (1 + slip), spec.price_tick_size) if order.side == "BUY" \
                else floor_to(mark * (1 - slip), spec.price_tick_size)
        self._match(order, limit, now)
        if order.status == "CLOSED":
            return
        if order.remaining == 0:
            self._close(order, "", now)
        elif order.is_market:
            opposite = "SELL" if order.side == "BUY" else "BUY"
            liquidity_left = self.books[order.market].best_price(opposite) is not None
            self._close(order, CancelReason.EXCEEDS_MAX_SLIPPAGE if liquidity_left else CancelReason.EMPTY_MARKET, now)
        elif order.instruction == "IOC":
            self._close(order, CancelReason.REMAINING_IOC_CANCEL, now)
        else:
            order.status = "OPEN"
            self._update(order, now)
            self.books[order.market].add(order, now)

    def _risk_reason(self, account: Account, spec: MarketSpec, order: Order, mark: Decimal) -> str:
        if account.unlimited:
            return ""
        resting = self._exposure.get(account.address) or AccountExposure()
        market = resting.market(spec.symbol)  # the order being checked is not OPEN, so not in it
        if market.count >= spec.max_open_orders:
            return CancelReason.MAX_OPEN_ORDERS_EXCEEDED
        pos = account.position_size(spec.symbol)
        if order.reduce_only and not self._reduces(account, order, order.remaining):
            return CancelReason.REDUCE_ONLY_WILL_INCREASE
        closes_whole = order.reduce_only and order.remaining == abs(pos)
        # min_notional is size x mark for futures, size x spot for options (Paradex's MarketResp)
        notional_price = self.underlying_now(spec.symbol) if spec.is_option else mark
        if order.remaining * notional_price < spec.min_notional and not closes_whole:
            return CancelReason.ORDER_SIZE_BELOW_MIN
        signed = order.remaining if order.side == "BUY" else -order.remaining
        same_side = market.size[order.side]
        projected = pos + signed + (same_side if order.side == "BUY" else -same_side)
        if abs(projected) > spec.position_limit and abs(projected) > abs(pos):
            return CancelReason.ORDER_EXCEEDS_POSITION_LIMIT
        # Paradex accepts an order when the account still meets IMR with it, or when it does not raise IMR
        candidate = Exposure(order.market, order.side, order.remaining, ZERO if order.is_market else order.price)
        before = self.risk.imr(account, resting)
        after = self.risk.imr(account, resting, plus=candidate)
        if after > before and self.risk.account_value(account, self._index) < after:
            return CancelReason.NOT_ENOUGH_MARGIN
        return ""

    def _would_cross(self, order: Order) -> bool:
        best = self.books[order.market].best_price("SELL" if order.side == "BUY" else "BUY")
        if best is None:
            return False
        return order.price >= best if order.side == "BUY" else order.price <= best

    def _match(self, taker: Order, limit: Decimal, now: int) -> None:
        book = self.books[taker.market]
        for maker in book.makers_for(taker.side):
            if taker.remaining == 0:
                return
            if (taker.side == "BUY" and maker.price > limit) or (taker.side == "SELL" and maker.price < limit):
                return
            if maker.account == taker.account:
                # self-trade prevention, decided by the incoming order's stp
                if taker.stp in ("EXPIRE_MAKER", "EXPIRE_BOTH"):
                    self._close(maker, CancelReason.SELF_TRADE, now)
                if taker.stp in ("EXPIRE_TAKER", "EXPIRE_BOTH"):
                    self._close(taker, CancelReason.SELF_TRADE, now)
                    return
                continue
            self._trade(taker, maker, min(taker.remaining, maker.remaining), maker.price, now)
            if maker.remaining == 0:
                self._close(maker, "", now)

    def _trade(self, taker: Order, maker: Order, size: Decimal, price: Decimal, now: int) -> None:
        book = self.books[taker.market]
        for order in (taker, maker):
            order.remaining -= size
            order.filled_notional += size * price
        # after the sizes change, so the book's change carries the maker's new level size
        book.touch(now)
        index = self._index(taker.market)
        underlying = self.md.underlying_price(taker.market, now)
        for order, liquidity in ((taker, "TAKER"), (maker, "MAKER")):
            self._update(order, now)
            account = self.ledger.get(order.account)
            fill = settle_fill(account, self.ids, order.market, FillOrder(order.id, order.client_id, order.side,
                                                                          order.remaining),
                               size, price, liquidity, index, underlying, book.seq_no, now)
            if self.events.active:
                self.events.publish(Event("fill", account.address, fill))
        trade = {
            "id": self.ids.next_id(), "market": taker.market, "side": taker.side, "size": dec_str(size),
            "price": dec_str(price), "created_at": now, "trade_type": "FILL",
        }
        self._trades[taker.market].append(trade)
        if self.events.active:
            self.events.publish(Event("trade", None, trade))
        for order in (taker, maker):
            self._expire_reduce_only(order.account, order.market, now)

    def _expire_reduce_only(self, address: str, market: str, now: int) -> None:
        """After a fill: reduce-only orders that would now increase the position, or that together exceed it,
        are cancelled (least aggressive first, as Paradex documents for reduce-only orders)."""
        account = self.ledger.get(address)
        if account.unlimited:
            return
        pos = account.position_size(market)
        for side in ("BUY", "SELL"):
            ro = [o for o in self._reduce_only.get((address, market), {}).values() if o.side == side]
            if not ro:
                continue
            reduces = pos != 0 and (pos > 0) != (side == "BUY")
            ro.sort(key=lambda o: (-o.price if side == "BUY" else o.price, o.id))
            room = abs(pos) if reduces else ZERO
            for o in ro:
                if o.remaining <= room:
                    room -= o.remaining
                else:
                    self._close(o, CancelReason.REDUCE_ONLY_WILL_INCREASE, now)

    # ---- the built-in liquidity provider --------------------------------------------------------------------

    @staticmethod
    def _mm_steps(spec: MarketSpec, mark: Decimal) -> tuple[Decimal, Decimal]:
        """(half spread, gap between levels) of the ladder: 1 and 2 basis points of the mark, at least a tick."""
        tick = spec.price_tick_size
        return max(tick, floor_to(mark * Decimal("0.0001"), tick)), max(tick, floor_to(mark * Decimal("0.0002"), tick))

    def _mm_touch(self, spec: MarketSpec, mark: Decimal) -> tuple[Decimal, Decimal]:
        half, _ = self._mm_steps(spec, mark)
        tick = spec.price_tick_size
        # a mark near its one-tick floor (a far out-of-the-money option) still gets a bid of one tick
        return max(tick, floor_to(mark - half, tick)), ceil_to(mark + half, tick)

    def _requote(self, now: int, symbols: Iterable[str] | None = None) -> None:
        """Replace the liquidity provider's ladder (MM_LEVELS a side, growing sizes) around the current mark."""
        if self._mm is None:
            return
        for symbol in symbols if symbols is not None else self.catalog.symbols:
            book = self.books[symbol]
            for side in ("BUY", "SELL"):
                for price in list(book.prices[side]):
                    for order in [o for o in book.levels[side].get(price, ()) if o.account == self._mm.address]:
                        book.remove(order, now)
            spec = self.catalog.spec(symbol)
            mark = self._marks[symbol]
            _, gap = self._mm_steps(spec, mark)
            bid, ask = self._mm_touch(spec, mark)
            for level in range(MM_LEVELS):
                for side in ("BUY", "SELL"):
                    price = bid - gap * level if side == "BUY" else ask + gap * level
                    if price <= 0:
                        continue
                    weight = Decimal(1) + Decimal(level) / 4
                    size = max(spec.order_size_increment,
                               floor_to(MM_LEVEL_USD * weight / mark, spec.order_size_increment))
                    quote = Order(id=self.ids.next_id(), account=self._mm.address, market=symbol, side=side,
                                  type="LIMIT", size=size, remaining=size, price=price, trigger_price=ZERO,
                                  instruction="GTC", flags=[], stp="EXPIRE_TAKER", client_id="", timestamp=now,
                                  created_at=now, status="OPEN", received_at=now, published_at=now,
                                  last_updated_at=now)
                    # a quote that crosses a user's resting order trades with it: the user is the maker
                    self._match(quote, price, now)
                    if quote.remaining > 0:
                        book.add(quote, now)

    # ---- queries --------------------------------------------------------------------------------------------

    def _own(self, address: str, order_id: str) -> Order:
        order = self.orders.get(str(order_id))
        if order is None or order.account != self.ledger.get(address).address:
            raise SandboxError("ORDER_ID_NOT_FOUND", f"order not found: {order_id}", 404)
        return order

    def _active_by_client_id(self, address: str, client_id: str) -> Order | None:
        return self._client_ids.get(address, {}).get(client_id)

    def get_order(self, address: str, order_id: str) -> dict:
        self.step()
        return self._own(address, order_id).to_json()

    def get_order_by_client_id(self, address: str, client_id: str) -> dict:
        """Paradex serves only orders that are not CLOSED here (closed ones: orders-history by client_id)."""
        self.step()
        order = self._active_by_client_id(self.ledger.get(address).address, client_id)
        if order is None:
            raise SandboxError("CLIENT_ORDER_ID_NOT_FOUND", f"client order id not found: {client_id}", 404)
        return order.to_json()

    def open_orders(self, address: str, market: str | None = None) -> dict:
        self.step()
        active = self._active.get(self.ledger.get(address).address, {}).values()
        return {"results": [o.to_json() for o in sorted(active, key=lambda o: o.id, reverse=True)
                            if market is None or o.market == market]}

    def orders_history(self, address: str, market: str | None = None, client_id: str | None = None,
                       side: str | None = None, status: str | None = None, type: str | None = None,
                       start_at: int | None = None, end_at: int | None = None, cursor: str | None = None,
                       page_size: int = 100) -> dict:
        self.step()
        if status is not None and status not in ORDER_STATUSES:
            raise SandboxError("VALIDATION_ERROR", f"invalid status: {status!r}")

        def keep(o: Order) -> bool:
            return ((market is None or o.market == market) and (client_id is None or o.client_id == client_id)
                    and (side is None or o.side == side) and (status is None or o.status == status)
                    and (type is None or o.type == type))

        try:
            page = self.orders.page(self.ledger.get(address).address, keep, start_at, end_at, cursor, page_size)
        except ValueError as exc:
            raise SandboxError("INVALID_REQUEST_PARAMETER", str(exc)) from None
        page["results"] = [o.to_json() for o in page["results"]]
        return page

    # ---- cancels --------------------------------------------------------------------------------------------

    def cancellable(self, address: str, order_id: str) -> dict:
        """The checks DELETE /orders/{id} answers synchronously; returns the order, raises if closed/unknown."""
        self.step()
        order = self._own(address, order_id)
        if order.status == "CLOSED":
            raise SandboxError("ORDER_IS_CLOSED", f"order is closed: {order.id}")
        return order.to_json()

    def cancel(self, address: str, order_id: str) -> dict:
        self.cancellable(address, order_id)
        order = self._own(address, order_id)
        self._close(order, CancelReason.USER_CANCELED, self._now)
        return order.to_json()

    def cancel_by_client_id(self, address: str, client_id: str, market: str | None = None) -> dict:
        self.step()
        order = self._active_by_client_id(self.ledger.get(address).address, client_id)
        if order is None or (market is not None and order.market != market):
            raise SandboxError("CLIENT_ORDER_ID_NOT_FOUND", f"client order id not found: {client_id}", 404)
        self._close(order, CancelReason.USER_CANCELED, self._now)
        return order.to_json()

    def cancel_all(self, address: str, market: str | None = None) -> list[dict]:
        """DELETE /orders: every NEW / UNTRIGGERED / OPEN order (of one market if given); returns them."""
        self.step()
        if market is not None:
            self._market(market)
        account = self.ledger.get(address)
        now = self._now
        victims = [o for o in self._active.get(account.address, {}).values() if market is None or o.market == market]
        for order in sorted(victims, key=lambda o: o.id):
            self._close(order, CancelReason.USER_CANCELED, now)
        return [o.to_json() for o in victims]

    def plan_cancel_batch(self, address: str, order_ids: Iterable[str] = (),
                          client_order_ids: Iterable[str] = ()) -> tuple[dict, list[str]]:
        """DELETE /orders/batch answered now, cancelled later: (response body, ids the caller must cancel)."""
        self.step()
        account = self.ledger.get(address)
        results: list[dict] = []
        to_cancel: list[str] = []

        def report(order: Order) -> None:
            closed = order.status == "CLOSED"
            results.append({"id": order.id, "client_id": order.client_id, "account": order.account,
                            "market": order.market, "status": "ALREADY_CLOSED" if closed else
                            "QUEUED_FOR_CANCELLATION"})
            if not closed:
                to_cancel.append(order.id)

        for oid in order_ids:
            order = self.orders.get(str(oid))
            if order is None or order.account != account.address:
                results.append({"id": str(oid), "status": "NOT_FOUND"})
            else:
                report(order)
        for cid in client_order_ids:
            order = (self._active_by_client_id(account.address, str(cid))
                     or self.orders.last_by_client_id(account.address, str(cid)))
            if order is None:
                results.append({"client_id": str(cid), "status": "NOT_FOUND"})
            else:
                report(order)
        return {"results": results}, to_cancel

    def cancel_batch(self, address: str, order_ids: Iterable[str] = (), client_order_ids: Iterable[str] = ()) -> dict:
        body, ids = self.plan_cancel_batch(address, order_ids, client_order_ids)
        now = self._now
        for oid in ids:
            order = self.orders.get(oid)
            if order is not None:  # the ids come from plan_cancel_batch, a moment ago
                self._close(order, CancelReason.USER_CANCELED, now)
        return body

    # ---- modify ---------------------------------------------------------------------------------------------

    def modify(self, address: str, order_id: str, body: dict) -> dict:
        """PUT /orders/{id}: new price / size / trigger_price for an OPEN limit-priced or an UNTRIGGERED order.
        Same id. A price change or a size increase sends the order to the back of its new level; a pure size
        decrease keeps its place. A modify the account cannot afford leaves the order as it was and says so in
        ``request_info``."""
        self.step()
        now = self._now
        order = self._own(address, order_id)
        if not isinstance(body, dict):
            raise SandboxError("BINDING_ERROR", "modify body must be a JSON object")
        if order.status == "CLOSED":
            raise SandboxError("ORDER_IS_CLOSED", f"order is closed: {order.id}")
        if order.status not in ("OPEN", "UNTRIGGERED"):
            raise SandboxError("ORDER_IS_NOT_OPEN", f"order is not open: {order.id}")
        if str(body.get("id", order.id)) != order.id:
            raise SandboxError("VALIDATION_ERROR", "id in body does not match the path")
        for name, current in (("market", order.market), ("side", order.side), ("type", order.type)):
            if body.get(name, current) != current:
                raise SandboxError("VALIDATION_ERROR", f"{name} cannot be modified")
        if order.is_market and order.status != "UNTRIGGERED":
            raise SandboxError("VALIDATION_ERROR", "market orders cannot be modified")
        spec = self.catalog.spec(order.market)
        size = self._decimal(body, "size", "INVALID_ORDER_SIZE") if "size" in body else order.size
        whole = size == 0 and order.whole_position  # a whole-position TP/SL may stay one
        if not whole and (size <= order.filled or not quantity_steps(size, spec.order_size_increment)
                          or size > spec.max_order_size):
            raise SandboxError("INVALID_ORDER_SIZE", f"invalid order size: {body.get('size')!r}")
        price = order.price
        if not order.is_market:
            price = self._decimal(body, "price", "INVALID_PRICE_PRECISION") if "price" in body else order.price
            if price <= 0 or not quantity_steps(price, spec.price_tick_size):
                raise SandboxError("INVALID_PRICE_PRECISION",
                                   f"price must be a positive multiple of {dec_str(spec.price_tick_size)}")
        trigger = order.trigger_price
        if body.get("trigger_price") not in (None, ""):
            new_trigger = self._decimal(body, "trigger_price", "INVALID_PRICE_PRECISION")
            if order.status != "UNTRIGGERED" and new_trigger != order.trigger_price:
                raise SandboxError("VALIDATION_ERROR", "trigger_price can only change before the order triggers")
            if order.status == "UNTRIGGERED":
                if new_trigger <= 0 or not quantity_steps(new_trigger, spec.price_tick_size):
                    raise SandboxError("INVALID_PRICE_PRECISION", "invalid trigger_price")
                trigger = new_trigger
        request = {"id": self.ids.next_id(), "request_type": "MODIFY_ORDER", "message": "", "status": "COMPLETED"}
        new_remaining = size - order.filled
        if order.status == "OPEN":
            candidate = Exposure(order.market, order.side, new_remaining, price)
            account = self.ledger.get(order.account)
            resting = self._exposure[account.address]
            before = self.risk.imr(account, resting)
            after = self.risk.imr(account, resting, plus=candidate, minus=self._counted[order.id])
            if after > before and self.risk.account_value(account, self._index) < after:
                order.request_info = {**request, "status": "REJECTED", "message": CancelReason.NOT_ENOUGH_MARGIN}
                self._update(order, now)
                return order.to_json()
            book = self.books[order.market]
            keeps_place = price == order.price and new_remaining <= order.remaining
            order.size, order.remaining = size, new_remaining
            if not keeps_place:
                book.remove(order, now)
                order.price = price
                order.request_info = request
                self._update(order, now)
                if order.instruction == "POST_ONLY" and self._would_cross(order):
                    self._close(order, CancelReason.POST_ONLY_WOULD_CROSS, now)
                    return order.to_json()
                self._match(order, price, now)
                if order.status == "CLOSED":
                    return order.to_json()
                if order.remaining == 0:
                    self._close(order, "", now)
                    return order.to_json()
                book.add(order, now)
            else:
                book.touch(now)
        else:
            order.size, order.remaining, order.price, order.trigger_price = size, new_remaining, price, trigger
            if order.inferred_condition:
                order.flags = [f for f in order.flags if f not in (ABOVE, BELOW)] + [self._condition(order)]
        order.request_info = request
        self._update(order, now)
        if order.status == "UNTRIGGERED" and self._crossed(order, self._marks[order.market],
                                                           self._marks[order.market]):
            self._trigger(order, now)
        return order.to_json()

    # ---- public market data ---------------------------------------------------------------------------------

    def markets(self, market: str | None = None) -> dict:
        return {"results": self.catalog.markets(market)}

    def system_config(self) -> dict:
        return catalog_mod.system_config()

    def system_state(self) -> dict:
        return catalog_mod.system_state(self.system_status)

    def set_system_status(self, status: Any) -> None:
        catalog_mod.system_state(status)  # validates
        self.system_status = status

    def system_time(self) -> dict:
        return catalog_mod.system_time(self.clock())

    def portfolio_margin_config(self, base_asset: str | None = None) -> dict:
        """GET /v1/system/portfolio-margin-config: a row per base asset of the listed markets, or the one asked
        for; an asset without one is 404 PORTFOLIO_MARGIN_CONFIG_NOT_FOUND (the 404 Paradex documents here)."""
        assets = self.catalog.base_assets()
        if base_asset is not None:
            wanted = base_asset.upper()
            if wanted not in assets:
                raise SandboxError("PORTFOLIO_MARGIN_CONFIG_NOT_FOUND",
                                   f"portfolio margin config not found: {base_asset}", 404)
            assets = (wanted,)
        return {"results": [catalog_mod.portfolio_margin_params(asset) for asset in assets]}

    def insurance_fund(self) -> dict:
        return catalog_mod.insurance_fund(self.genesis)

    def orderbook(self, market: str, depth: int = 20) -> dict:
        self._market(market)
        self.step()
        book = self.books[market]
        depth = max(1, min(int(depth), 200))
        bids, asks = book.depth("BUY", depth), book.depth("SELL", depth)
        return {
            "market": market,
            "seq_no": book.seq_no,
            "last_updated_at": book.last_updated_at,
            "asks": asks,
            "bids": bids,
            # the sandbox has no RPI liquidity, so API and interactive views share the top of book
            "best_ask_api": asks[0] if asks else [],
            "best_bid_api": bids[0] if bids else [],
            "best_ask_interactive": asks[0] if asks else [],
            "best_bid_interactive": bids[0] if bids else [],
        }

    def bbo(self, market: str) -> dict:
        book = self.orderbook(market, 1)
        bid, ask = (book["bids"] or [["", ""]])[0], (book["asks"] or [["", ""]])[0]
        return {"market": market, "bid": bid[0], "bid_size": bid[1], "ask": ask[0], "ask_size": ask[1],
                "seq_no": book["seq_no"], "last_updated_at": book["last_updated_at"]}

    def _last_traded(self, symbol: str, now: int) -> Decimal:
        real = self._trades[symbol]
        background = self.md.trades(symbol, None, now, now, None, 1)["results"]
        candidates = ([(real[-1]["created_at"], real[-1]["price"])] if real else []) + \
                     [(r["created_at"], r["price"]) for r in background]
        return Decimal(max(candidates)[1]) if candidates else self.md.last_price(symbol, now)

    def markets_summary(self, market: str = "ALL") -> dict:
        self.step()
        now = self._now
        symbols = self.catalog.symbols if market in (None, "", "ALL") else (self._market(market).symbol,)
        rows = []
        for symbol in symbols:
            spec = self.catalog.spec(symbol)
            book = self.books[symbol]
            bids, asks = book.depth("BUY", 1), book.depth("SELL", 1)
            mark = self._marks[symbol]
            volume = self.md.volume_24h(symbol, now)
            row = {
                "symbol": symbol,
                "mark_price": dec_str(mark),
                "last_traded_price": dec_str(self._last_traded(symbol, now)),
                "bid": bids[0][0] if bids else "",
                "bid_size": bids[0][1] if bids else "",
                "ask": asks[0][0] if asks else "",
                "ask_size": asks[0][1] if asks else "",
                "volume_24h": dec_str(volume),
                "total_volume": dec_str(dec8(volume * 365)),
                "created_at": now,
                "underlying_price": dec_str(self.md.underlying_price(symbol, now)),
                "external_fair_price": dec_str(mark),
                "open_interest": dec_str(self.md.open_interest(symbol, now)),
                "funding_rate": dec_str(self.md.funding_rate(symbol, now)),
                "future_funding_rate": dec_str(self.md.funding_rate(symbol, now + 300_000)),
                "price_change_rate_24h": dec_str(self.md.price_change_rate_24h(symbol, now)),
            }
            if spec.is_option:
                iv = dec_str(spec.iv)
                greeks = self.md.option_greeks(symbol, now)
                row.update({"mark_iv": iv, "bid_iv": iv, "ask_iv": iv, "last_iv": iv, "delta": greeks["delta"],
                            "greeks": greeks})
            rows.append(row)
        return {"results": rows}

    def trades(self, market: str, start_at: int | None = None, end_at: int | None = None,
               cursor: str | None = None, page_size: int = 100) -> dict:
        self._market(market)
        self.step()
        return self.md.trades(market, start_at, end_at, self._now, cursor, page_size, self._trades[market])

    def klines(self, symbol: str, resolution: int | str, start_at: int, end_at: int,
               price_kind: str = "last") -> dict:
        self._market(symbol)
        now = self.step()
        try:
            rows = self.md.klines(symbol, resolution, int(start_at), int(end_at), now, price_kind or "last")
        except ValueError as exc:
            raise SandboxError("INVALID_REQUEST_PARAMETER", str(exc)) from None
        return {"results": rows}

    def funding_data(self, market: str, start_at: int | None = None, end_at: int | None = None,
                     cursor: str | None = None, page_size: int = 100) -> dict:
        self._market(market)
        return self.md.funding_data(market, start_at, end_at, self.step(), cursor, page_size)


def _paginate_list(rows: list, key: Callable[[Any], tuple], cursor: str | None, page_size: int) -> dict:
    """Newest-first pages over rows kept oldest first (sorted by ``key``)."""
    keys = [key(r) for r in rows]

    def older(bound: tuple | None, n: int) -> list:
        end = len(rows) if bound is None else bisect.bisect_left(keys, tuple(bound))
        return rows[max(0, end - n):end][::-1]

    def newer(bound: tuple, n: int) -> list:
        start = bisect.bisect_right(keys, tuple(bound))
        return rows[start:start + n]

    try:
        return paginate(older, newer, cursor, page_size, key)
    except ValueError as exc:
        raise SandboxError("INVALID_REQUEST_PARAMETER", str(exc)) from None
