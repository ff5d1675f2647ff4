"""The sandbox exchange without HTTP: order lifecycle, matching, triggers, the built-in liquidity provider, and
every read a Paradex REST endpoint answers. Time comes only from the ``clock`` given (a callable returning ms).

``Engine`` is the facade; the work is done by its parts, built the way simulated exchanges usually are:
validation.py (the gateway's checks, one validator for submit and modify), live.py (accepted orders and the
indexes over the live ones), risk_stage.py and triggers.py (risk check, triggers, the margin check of a modify),
matching.py (one ``Matcher`` per market: its book.py ``Book``, its trades, self-trade prevention, settlement),
liquidity.py (the built-in market maker), timeline.py (catching up with the clock), views.py (JSON of reads).

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

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from . import catalog as catalog_mod
from . import views
from ..vocabulary import BATCH_MAX_ORDERS, ORDER_STATUSES, OrderStatus
from .book import Book
from .catalog import Catalog, MarketSpec
from .events import EventBus
from .ledger import Account, AccountExposure, IdGen, Ledger, Risk, SandboxError
from .liquidity import ADDRESS as LIQUIDITY_PROVIDER
from .liquidity import LiquidityProvider
from .live import LiveOrders
from .marketdata import MarketData
from .matching import Matcher
from .order import CancelReason, Order
from .risk_stage import RiskStage
from .timeline import Timeline
from .validation import OrderValidator

__all__ = ["Engine", "Order", "Book", "SandboxError", "CancelReason", "LIQUIDITY_PROVIDER"]


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
        self.system_status = "ok"
        self.events = EventBus()
        self.books = {s: Book(s, self.events) for s in self.catalog.symbols}
        self.live = LiveOrders(self.ids, self.books, self.events, history_limit)
        self.orders = self.live.history  # user orders accepted, up to the limit
        self.matchers = {s: Matcher(s, self.live, self.ledger, self.ids, self.md, self.events)
                         for s in self.catalog.symbols}
        self._trades = {s: m.trades for s, m in self.matchers.items()}  # each market's own trades
        self.validator = OrderValidator(self.catalog, self.ids, self.live)
        self.time = Timeline(clock, self.catalog, self.md, self.live, risk_delay_ms, self.genesis)
        self.stage = RiskStage(self.catalog, self.ledger, self.risk, self.live, self.matchers, self.md,
                               self.mark_price_now, self.underlying_now, self._index)
        provider = None
        if liquidity:
            self.ledger.onboard(LIQUIDITY_PROVIDER, LIQUIDITY_PROVIDER, funding=Decimal(10) ** 12, unlimited=True)
            provider = LiquidityProvider(self.catalog, self.matchers, self.ids, self.mark_price_now)
        self.time.start(self.stage, provider)

    # ---- time and prices ------------------------------------------------------------------------------------

    def mark_price_now(self, symbol: str) -> Decimal:
        return self.time.marks[symbol]

    def underlying_now(self, symbol: str) -> Decimal:
        return self.md.underlying_price(symbol, self.time.now)

    def _index(self, symbol: str) -> Decimal:
        return self.md.funding_index(symbol, self.time.now)

    def mark_price(self, symbol: str) -> Decimal:
        self._market(symbol)
        self.step()
        return self.time.marks[symbol]

    def step(self) -> int:
        """Bring the venue up to ``clock()`` and return that time (``Timeline.step``)."""
        return self.time.step()

    # ---- accounts -------------------------------------------------------------------------------------------

    def onboard(self, address: str, public_key: str, eth_address: str = "") -> Account:
        return self.ledger.onboard(address, public_key, eth_address)

    def account(self, address: str) -> Account:
        return self.ledger.get(address)

    def exposure(self, address: str) -> AccountExposure:
        """The account's OPEN orders as the margin model sees them (kept up to date, not recomputed)."""
        return self.live.exposure(self.ledger.get(address).address)

    def account_summary(self, address: str) -> dict:
        self.step()
        return self.account_summary_now(address)

    def account_summary_now(self, address: str) -> dict:
        """The margin summary as of the venue's current time, without stepping (safe inside an event listener)."""
        account = self.ledger.get(address)
        return self.risk.summary_json(account, self.live.exposure(account.address), self._index, self.time.now)

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

    def fills(self, address: str, market: str | None = None, start_at: int | None = None, end_at: int | None = None,
              cursor: str | None = None, page_size: int = 100) -> dict:
        self.step()
        return views.listing(self.ledger.get(address).fills, market, start_at, end_at, cursor, page_size)

    def funding_payments(self, address: str, market: str | None = None, start_at: int | None = None,
                         end_at: int | None = None, cursor: str | None = None, page_size: int = 100) -> dict:
        self.step()
        return views.listing(self.ledger.get(address).funding_payments, market, start_at, end_at, cursor, page_size)

    def transfers(self, address: str, start_at: int | None = None, end_at: int | None = None,
                  cursor: str | None = None, page_size: int = 100) -> dict:
        return views.listing(self.ledger.get(address).transfers, None, start_at, end_at, cursor, page_size)

    def transactions(self, address: str, start_at: int | None = None, end_at: int | None = None,
                     cursor: str | None = None, page_size: int = 100) -> dict:
        self.step()
        rows = views.transactions(self.ledger.get(address).fills)
        return views.listing(rows, None, start_at, end_at, cursor, page_size)

    def tradebusts(self, address: str, start_at: int | None = None, end_at: int | None = None,
                   cursor: str | None = None, page_size: int = 100) -> dict:
        """GET /tradebusts: fills the chain busted. Sandbox fills settle at once and are never busted."""
        self.ledger.get(address)
        return views.listing([], None, start_at, end_at, cursor, page_size)

    # ---- orders ---------------------------------------------------------------------------------------------

    def _market(self, symbol: object) -> MarketSpec:
        return self.validator.market(symbol)

    def submit(self, address: str, body: dict) -> dict:
        """POST /orders: gateway checks, then the order is queued as NEW (its risk check runs at the next step)."""
        self.step()
        order = self.validator.new_order(self.ledger.get(address).address, body, self.time.now, self.system_status)
        return self._accept(order).to_json()

    def _accept(self, order: Order) -> Order:
        self.live.accept(order)
        self.time.pending.append(order)
        return order

    def submit_batch(self, address: str, bodies: object) -> dict:
        """POST /orders/batch: 1-10 orders. A body failing the gateway checks rejects the whole batch (the
        first error is raised, nothing is created); otherwise every order is queued and risk-checked alone."""
        self.step()
        account = self.ledger.get(address)
        if not isinstance(bodies, list) or not 1 <= len(bodies) <= BATCH_MAX_ORDERS:
            raise SandboxError("BATCH_SIZE_OUT_OF_RANGE", f"batch must hold 1 to {BATCH_MAX_ORDERS} orders")
        parsed: list[Order] = []
        for body in bodies:
            order = self.validator.new_order(account.address, body, self.time.now, self.system_status)
            if order.client_id and any(o.client_id == order.client_id for o in parsed):
                raise SandboxError("DUPLICATED_CLIENT_ID", f"duplicated client id: {order.client_id}")
            parsed.append(order)
        return {"orders": [self._accept(o).to_json() for o in parsed], "errors": []}

    def modify(self, address: str, order_id: str, body: dict) -> dict:
        """PUT /orders/{id}: new price / size / trigger_price for an OPEN limit-priced or an UNTRIGGERED order.
        Same id. A price change or a size increase sends the order to the back of its new level; a pure size
        decrease keeps its place. A modify the account cannot afford leaves the order as it was and says so in
        ``request_info``."""
        self.step()
        now = self.time.now
        order = self._own(address, order_id)
        change = self.validator.change(order, body)
        request = {"id": self.ids.next_id(), "request_type": "MODIFY_ORDER", "message": "", "status": "COMPLETED"}
        if order.status == OrderStatus.OPEN:
            self.stage.reprice(order, change, request, now)
        else:
            self.stage.rearm(order, change, request, now)
        return order.to_json()

    def _own(self, address: str, order_id: str) -> Order:
        order = self.orders.get(str(order_id))
        if order is None or order.account != self.ledger.get(address).address:
            raise SandboxError("ORDER_ID_NOT_FOUND", f"order not found: {order_id}", 404)
        return order

    def get_order(self, address: str, order_id: str) -> dict:
        self.step()
        return self._own(address, order_id).to_json()

    def get_order_by_client_id(self, address: str, client_id: str) -> dict:
        """Paradex serves only orders that are not CLOSED here (closed ones: orders-history by client_id)."""
        self.step()
        order = self.live.by_client_id(self.ledger.get(address).address, client_id)
        if order is None:
            raise SandboxError("CLIENT_ORDER_ID_NOT_FOUND", f"client order id not found: {client_id}", 404)
        return order.to_json()

    def open_orders(self, address: str, market: str | None = None) -> dict:
        self.step()
        active = self.live.of(self.ledger.get(address).address)
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
        if order.status == OrderStatus.CLOSED:
            raise SandboxError("ORDER_IS_CLOSED", f"order is closed: {order.id}")
        return order.to_json()

    def cancel(self, address: str, order_id: str) -> dict:
        self.cancellable(address, order_id)
        order = self._own(address, order_id)
        self.live.close(order, CancelReason.USER_CANCELED, self.time.now)
        return order.to_json()

    def cancel_by_client_id(self, address: str, client_id: str, market: str | None = None) -> dict:
        self.step()
        order = self.live.by_client_id(self.ledger.get(address).address, client_id)
        if order is None or (market is not None and order.market != market):
            raise SandboxError("CLIENT_ORDER_ID_NOT_FOUND", f"client order id not found: {client_id}", 404)
        self.live.close(order, CancelReason.USER_CANCELED, self.time.now)
        return order.to_json()

    def cancel_all(self, address: str, market: str | None = None) -> list[dict]:
        """DELETE /orders: every NEW / UNTRIGGERED / OPEN order (of one market if given); returns them."""
        self.step()
        if market is not None:
            self._market(market)
        account = self.ledger.get(address)
        victims = [o for o in self.live.of(account.address) if market is None or o.market == market]
        for order in sorted(victims, key=lambda o: o.id):
            self.live.close(order, CancelReason.USER_CANCELED, self.time.now)
        return [o.to_json() for o in victims]

    def plan_cancel_batch(self, address: str, order_ids: Iterable[str] = (),
                          client_order_ids: Iterable[str] = ()) -> tuple[dict, list[str]]:
        """DELETE /orders/batch answered now, cancelled later: (response body, ids the caller must cancel)."""
        self.step()
        return self.live.plan_cancels(self.ledger.get(address).address, order_ids, client_order_ids)

    def cancel_batch(self, address: str, order_ids: Iterable[str] = (), client_order_ids: Iterable[str] = ()) -> dict:
        body, ids = self.plan_cancel_batch(address, order_ids, client_order_ids)
        for oid in ids:
            order = self.orders.get(oid)
            if order is not None:  # the ids come from plan_cancel_batch, a moment ago
                self.live.close(order, CancelReason.USER_CANCELED, self.time.now)
        return body

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
        return views.orderbook(market, self.books[market], depth)

    def bbo(self, market: str) -> dict:
        self._market(market)
        self.step()
        return views.bbo(market, self.books[market])

    def markets_summary(self, market: str = "ALL") -> dict:
        self.step()
        symbols = self.catalog.symbols if market in (None, "", "ALL") else (self._market(market).symbol,)
        return {"results": [views.market_summary(self.md, self.catalog.spec(s), self.books[s], self._trades[s],
                                                 self.time.marks[s], self.time.now) for s in symbols]}

    def trades(self, market: str, start_at: int | None = None, end_at: int | None = None,
               cursor: str | None = None, page_size: int = 100) -> dict:
        self._market(market)
        self.step()
        return self.md.trades(market, start_at, end_at, self.time.now, cursor, page_size, self._trades[market])

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
