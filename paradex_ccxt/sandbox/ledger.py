"""Accounts and money: keys, USDC balance, positions, fills, funding payments, margin settings, and the
cross-margin arithmetic that decides whether an account can afford an order.

Public API (stable; every ``*_json`` returns a Paradex-shaped dict, numbers as decimal strings):

- ``SandboxError(code, message, status=400, data=None)``: the one error type of the sandbox. ``code`` is a
  Paradex error code (``MARKET_NOT_FOUND``, ``DUPLICATED_CLIENT_ID``, ...), ``status`` the HTTP status Paradex
  answers with, ``body()`` the Paradex error body ``{"error", "message", "data"}`` (``data`` null when there is
  nothing more to say, as in the NOT_ONBOARDED body ccxt 4.5.90 quotes from Paradex).
- ``IdGen(clock)``: Paradex-style ids (28 decimal digits: ms timestamp first, so ids sort by time) and
  ``seq_no`` values (``ms * 10**6 + n``, strictly increasing).
- ``Ledger(clock, ids, funding_usdc=Decimal("100000"))``
  - ``onboard(address, public_key, eth_address="", *, funding=None, unlimited=False) -> Account``: registers and
    funds (``funding`` or the ledger's ``funding_usdc``) on first call, returns the existing account afterwards.
    ``ETHEREUM_ADDRESS_ALREADY_ONBOARDED`` if the eth address belongs to another account.
  - ``get(address) -> Account`` (``NOT_ONBOARDED``, HTTP 400 as on POST /auth, when unknown); ``find(address)``
    (``None`` if not).
  - ``key_allowed(address, public_key) -> bool``: the main key or an active subkey.
  - ``add_subkey(address, public_key, name, state="active")``, ``revoke_subkey(address, public_key)``,
    ``rename_subkey(address, public_key, name)``,
    ``subkeys_json(address, with_revoked=False)``, ``subkey_json(address, public_key)``.
  - ``deposit(address, amount)``: credits USDC (and records a DEPOSIT transfer).
- ``Account``: ``address``, ``public_key``, ``eth_address``, ``balance`` (USDC, Decimal), ``positions``
  (market -> ``Position``), ``fills`` (oldest first), ``funding_payments``, ``transfers``, ``leverage``
  (market -> int), ``maker_fee`` / ``taker_fee``.
  - ``margin_json(market_or_None, catalog)``: ``GET /v1/account/margin``; ``set_margin(market, leverage,
    margin_type, catalog) -> dict``: ``POST /v1/account/margin/{market}``.
  - ``balance_json()``: ``GET /v1/balance`` rows; ``info_json()``: a ``GET /v1/account/info`` row;
    ``profile_json()``: ``GET /v1/account/profile``.
- ``Risk(catalog, mark, spot)``: cross-margin requirements (``mark(symbol)`` / ``spot(symbol)`` -> Decimal).
  - ``summary_json(account, orders, index, now)``: ``GET /v1/account`` (``index(symbol)``: funding index now).
  - ``positions_json(account, index)``: ``GET /v1/positions`` rows, closed positions included.
  - ``imr(account, orders, plus=None, minus=None)``, ``mmr(account)``, ``account_value(account, index)``,
    ``liquidation_price(account, position, index)``.
  ``orders`` is an iterable of ``Exposure`` (the resting orders that count towards margin) or an
  ``AccountExposure``, the same orders kept summed per market (``add`` / ``remove`` one ``Exposure``; ``of``
  builds one from scratch). ``plus`` / ``minus``: one order more / less, for a check of a new or modified order.
- ``txn_hash(event_id)``: the on-chain hash shown for an event (transfers, ``GET /v1/transactions``);
  ``l1_txn_hash`` / ``l1_sender``: the Ethereum side of a bridged deposit.
- ``settle_fill(...)``: applies one side of a trade to an account (fee, realised PnL, funding realised,
  position) and returns the Paradex fill dict.

Margin model (paradex-py's cross-margin module and docs.paradex.trade "Cross Margin Requirement"): per market,
open size = max(buy orders + position, sell orders - position) floored at 0; IMR = open size x mark x IMF + taker
fee provision + open loss of orders priced through the mark; MMR = |position| x mark x IMF x mmf_factor.
The account's leverage setting raises IMF to max(imf_base, 1 / leverage) (sandbox choice, matching Paradex's
"1 up to the market's maximum leverage" setting). Account value = USDC balance + unrealised PnL (funding
included); free_collateral = account value - IMR; margin_cushion = account value - MMR.
"""
from __future__ import annotations

import bisect
import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .catalog import API_MAKER_FEE, API_TAKER_FEE, Catalog, MarketSpec, dec8, dec_str

ZERO = Decimal(0)


class SandboxError(Exception):
    """A request Paradex would refuse: carries the Paradex error code, its message and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400, data: dict | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.data = data

    def body(self) -> dict:
        return {"error": self.code, "message": self.message, "data": self.data}


def txn_hash(event_id: str) -> str:
    """The Paraclear transaction hash the sandbox shows for an event (a fill, a deposit): stable, felt-sized."""
    return "0x" + hashlib.sha256(event_id.encode()).hexdigest()[:63]


def l1_txn_hash(event_id: str) -> str:
    """The Ethereum transaction hash the sandbox shows for a bridged deposit: stable, 32 bytes."""
    return "0x" + hashlib.sha256(b"l1:" + event_id.encode()).hexdigest()


def l1_sender(address: str) -> str:
    """The Ethereum address a sandbox account onboarded without one bridges its deposits from: stable, 20 bytes."""
    return "0x" + hashlib.sha256(b"l1 sender:" + address.encode()).hexdigest()[:40]


class IdGen:
    """Ids shaped like Paradex's: 13-digit ms timestamp + a fixed node part + a counter (28 digits)."""

    def __init__(self, clock: Callable[[], int]):
        self._clock = clock
        self._n = 0
        self._last_seq = 0

    def next_id(self) -> str:
        self._n += 1
        return f"{self._clock():013d}2017{self._n % 10**11:011d}"

    def seq_no(self) -> int:
        self._last_seq = max(self._last_seq + 1, self._clock() * 1_000_000)
        return self._last_seq


@dataclass
class Subkey:
    public_key: str
    name: str
    state: str  # active | pending | revoked
    created_at: int
    updated_at: int
    revoked_at: int = 0
    id: int = 0


@dataclass
class Position:
    account: str
    market: str
    size: Decimal = ZERO  # signed: long > 0
    entry: Decimal = ZERO  # average entry price
    exit_sum: Decimal = ZERO  # notional closed (for the average exit price)
    exit_size: Decimal = ZERO
    realized_pnl: Decimal = ZERO  # since the position opened (reset on close / flip), funding included
    realized_funding: Decimal = ZERO
    funding_index: Decimal = ZERO  # index last settled against
    created_at: int = 0
    closed_at: int = 0
    last_updated_at: int = 0
    last_fill_id: str = ""
    seq_no: int = 0

    @property
    def id(self) -> str:
        return f"{self.account}-{self.market}"


@dataclass
class Account:
    address: str
    public_key: str
    eth_address: str
    created_at: int
    balance: Decimal = ZERO
    balance_updated_at: int = 0
    seq_no: int = 0
    maker_fee: Decimal = API_MAKER_FEE
    taker_fee: Decimal = API_TAKER_FEE
    subkeys: dict[str, Subkey] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    fills: list[dict] = field(default_factory=list)
    funding_payments: list[dict] = field(default_factory=list)
    transfers: list[dict] = field(default_factory=list)
    leverage: dict[str, int] = field(default_factory=dict)
    margin_type: dict[str, str] = field(default_factory=dict)
    unlimited: bool = False  # the built-in liquidity provider: never margin-checked

    def position(self, market: str) -> Position:
        pos = self.positions.get(market)
        if pos is None:
            pos = self.positions[market] = Position(account=self.address, market=market)
        return pos

    def position_size(self, market: str) -> Decimal:
        pos = self.positions.get(market)
        return pos.size if pos is not None else ZERO

    def leverage_for(self, spec: MarketSpec) -> int:
        return self.leverage.get(spec.symbol, spec.max_leverage)

    def imf(self, spec: MarketSpec) -> Decimal:
        return max(spec.imf_base, Decimal(1) / Decimal(self.leverage_for(spec)))

    def margin_entry(self, spec: MarketSpec) -> dict:
        lev = self.leverage_for(spec)
        return {
            "market": spec.symbol,
            "leverage": lev,
            "margin_type": self.margin_type.get(spec.symbol, "CROSS"),
            "isolated_margin_leverage": lev,
        }

    def margin_json(self, market: str | None, catalog: Catalog) -> dict:
        specs = [catalog.spec(market)] if market is not None else catalog.specs()
        return {
            "account": self.address,
            "configs": [self.margin_entry(s) for s in specs],
            "margin_methodology": "cross_margin",
        }

    def set_margin(self, market: str, leverage: object, margin_type: object, catalog: Catalog) -> dict:
        if market not in catalog:
            raise SandboxError("MARKET_NOT_FOUND", f"market not found: {market}")
        spec = catalog.spec(market)
        try:
            lev = int(str(leverage))
        except ValueError:
            raise SandboxError("INVALID_REQUEST_PARAMETER", "leverage must be an integer") from None
        if not 1 <= lev <= spec.max_leverage:
            raise SandboxError("INVALID_REQUEST_PARAMETER",
                               f"leverage must be between 1 and {spec.max_leverage} for {market}")
        kind = str(margin_type or "").upper()
        if kind != "CROSS":
            # the sandbox runs cross margin only; isolated margin needs Paradex's isolated sub-accounts
            raise SandboxError("INVALID_REQUEST_PARAMETER", "margin_type must be CROSS in the sandbox")
        self.leverage[market] = lev
        self.margin_type[market] = kind
        return {"account": self.address, "leverage": lev, "margin_type": kind, "market": market}

    def balance_json(self) -> list[dict]:
        return [{"token": "USDC", "size": dec_str(self.balance), "last_updated_at": self.balance_updated_at}]

    def info_json(self) -> dict:
        maker, taker = dec_str(self.maker_fee), dec_str(self.taker_fee)
        # The sandbox charges one maker and one taker rate on every kind of market; Paradex lists a pair per kind
        # (commission and discount rates are deprecated and always zero there).
        fees = {"maker_rate": maker, "taker_rate": taker, "commission_rate": "0", "discount_rate": "0",
                "perp_option_maker_rate": maker, "perp_option_taker_rate": taker,
                "dated_option_maker_rate": maker, "dated_option_taker_rate": taker,
                "spot_maker_rate": maker, "spot_taker_rate": taker}
        return {
            "account": self.address,
            "created_at": self.created_at,
            "derivation_path": "",
            "fees": fees,
            "has_ecosystem_nft": False,
            "isolated_market": "",
            "kind": "main",
            "parent_account": "",
            "public_key": self.public_key,
            "username": "",
        }

    def profile_json(self) -> dict:
        """GET /v1/account/profile. A sandbox account has no username, referral, social links, NFTs or per-market
        slippage overrides (absent strings are "", absent maps and lists empty; the optional objects a profile
        without them lacks, such as twitter, discord, referral and share rates, are left out). Display and
        notification preferences are the examples of Paradex's AccountProfileResp model (paradex-py 0.8.2),
        taken as a new account's defaults (unconfirmed)."""
        return {
            "ai_agent_url": "",
            "is_username_private": False,
            "last_seen_notification": 0,
            "market_max_slippage": {},
            "marketed_by": "",
            "nfts": [],
            "notifications": {"announcements": False, "fill_sound": True, "fills": True, "orders": True,
                              "transfers": True},
            "referral_code": "",
            "referred_by": "",
            "size_currency_display": "BASE",
            "tap_status": "NONE",
            "twitter_following": {},
            "username": "",
        }


@dataclass(frozen=True)
class Exposure:
    """A resting order as the margin model sees it (price 0 means a market order: valued at the mark)."""

    market: str
    side: str  # BUY | SELL
    size: Decimal
    price: Decimal

    def open_loss(self, mark: Decimal) -> Decimal:
        """What filling at its price would lose against the mark at once (none for a market order)."""
        if self.price <= 0:
            return ZERO
        return max(ZERO, (self.price - mark) if self.side == "BUY" else (mark - self.price)) * self.size


@dataclass
class MarketExposure:
    """One account's resting orders in one market, summed the way the margin model reads them: order count, size
    per side, and size per price level (kept sorted) so the open loss of orders priced through the mark costs one
    step per such level instead of one per order."""

    count: int = 0
    size: dict[str, Decimal] = field(default_factory=lambda: {"BUY": ZERO, "SELL": ZERO})
    levels: dict[str, dict[Decimal, tuple[int, Decimal]]] = field(default_factory=lambda: {"BUY": {}, "SELL": {}})
    prices: dict[str, list[Decimal]] = field(default_factory=lambda: {"BUY": [], "SELL": []})  # ascending

    def add(self, order: Exposure, sign: int = 1) -> None:
        """Count ``order`` in (``sign`` 1) or out (``sign`` -1)."""
        side = order.side
        size = order.size if sign > 0 else -order.size
        self.count += sign
        self.size[side] += size
        levels = self.levels[side]
        n, total = levels.get(order.price, (0, ZERO))
        n, total = n + sign, total + size
        if n:
            if order.price not in levels:
                bisect.insort(self.prices[side], order.price)
            levels[order.price] = (n, total)
        else:
            del levels[order.price]
            prices = self.prices[side]
            prices.pop(bisect.bisect_left(prices, order.price))

    def best(self, side: str) -> Decimal | None:
        """The highest buy or the lowest sell price resting."""
        prices = self.prices[side]
        if not prices:
            return None
        return prices[-1] if side == "BUY" else prices[0]

    def open_loss(self, mark: Decimal) -> Decimal:
        """The summed ``Exposure.open_loss`` of the orders: only buys above and sells below the mark lose."""
        loss = ZERO
        for side, through in (("BUY", lambda p: p > mark), ("SELL", lambda p: p < mark)):
            prices = self.prices[side]
            ordered = reversed(prices) if side == "BUY" else iter(prices)
            for price in ordered:
                if not through(price):
                    break
                loss += abs(price - mark) * self.levels[side][price][1]
        return loss


@dataclass
class AccountExposure:
    """One account's resting orders across markets (markets holding none are dropped). The engine keeps one per
    account up to date as orders rest, fill, change and close; ``of`` builds one from scratch."""

    markets: dict[str, MarketExposure] = field(default_factory=dict)

    @classmethod
    def of(cls, orders: Iterable[Exposure]) -> AccountExposure:
        exposure = cls()
        for order in orders:
            exposure.add(order)
        return exposure

    def add(self, order: Exposure) -> None:
        self.markets.setdefault(order.market, MarketExposure()).add(order)

    def remove(self, order: Exposure) -> None:
        market = self.markets[order.market]
        market.add(order, -1)
        if not market.count:
            del self.markets[order.market]

    def market(self, symbol: str) -> MarketExposure:
        return self.markets.get(symbol) or MarketExposure()


def _option_margin(params: dict[str, Decimal], mark: Decimal, spot: Decimal, strike: Decimal, call: bool,
                   long: bool, size: Decimal) -> Decimal:
    if size <= 0:
        return ZERO
    if long:
        return min(mark * params["premium_multiplier"], params["long_itm"] * spot) * size
    otm = max(ZERO, (strike - spot) if call else (spot - strike))
    raw = max(params["short_itm"] * spot - otm, params["short_otm"] * spot)
    if not call:
        raw = min(raw, params["short_put_cap"] * spot)
    return raw * size


class Risk:
    def __init__(self, catalog: Catalog, mark: Callable[[str], Decimal], spot: Callable[[str], Decimal]):
        self.catalog = catalog
        self.mark = mark
        self.spot = spot

    def _market_imr(self, account: Account, spec: MarketSpec, resting: MarketExposure | None,
                    changes: tuple[tuple[Exposure, int], ...]) -> Decimal:
        mark = self.mark(spec.symbol)
        pos = account.position_size(spec.symbol)
        buys, sells, open_loss = ZERO, ZERO, ZERO
        if resting is not None:
            buys, sells, open_loss = resting.size["BUY"], resting.size["SELL"], resting.open_loss(mark)
        for order, sign in changes:
            if order.market != spec.symbol:
                continue
            size, loss = (order.size, order.open_loss(mark)) if sign > 0 else (-order.size, -order.open_loss(mark))
            if order.side == "BUY":
                buys += size
            else:
                sells += size
            open_loss += loss
        buy_open = max(ZERO, buys + pos)
        sell_open = max(ZERO, sells - pos)
        if spec.is_option:
            imf = dict(spec.option_imf)
            spot = self.spot(spec.symbol)
            call = spec.option_type == "CALL"
            net = max(_option_margin(imf, mark, spot, spec.strike_price, call, True, buy_open),
                      _option_margin(imf, mark, spot, spec.strike_price, call, False, sell_open))
        else:
            net = max(buy_open, sell_open) * mark * account.imf(spec)
        fee = account.taker_fee * max(buy_open, sell_open) * mark
        return net + fee + open_loss

    def _market_mmr(self, account: Account, spec: MarketSpec) -> Decimal:
        pos = account.position_size(spec.symbol)
        if pos == 0:
            return ZERO
        mark = self.mark(spec.symbol)
        if spec.is_option:
            mmf = dict(spec.option_mmf)
            return _option_margin(mmf, mark, self.spot(spec.symbol), spec.strike_price, spec.option_type == "CALL",
                                  pos > 0, abs(pos))
        return abs(pos) * mark * spec.imf_base * spec.mmf_factor + account.taker_fee * abs(pos) * mark

    def imr(self, account: Account, orders: Iterable[Exposure] | AccountExposure, plus: Exposure | None = None,
            minus: Exposure | None = None) -> Decimal:
        """IMR of the account holding ``orders``, with ``plus`` resting too (an order being checked) and ``minus``
        no longer resting (an order as it rests before a modify)."""
        exposure = orders if isinstance(orders, AccountExposure) else AccountExposure.of(orders)
        changes = tuple((o, sign) for o, sign in ((plus, 1), (minus, -1)) if o is not None)
        markets = set(exposure.markets) | {o.market for o, _ in changes}
        markets |= {m for m, p in account.positions.items() if p.size != 0}
        return sum((self._market_imr(account, self.catalog.spec(m), exposure.markets.get(m), changes)
                    for m in markets), ZERO)

    def mmr(self, account: Account) -> Decimal:
        return sum((self._market_mmr(account, self.catalog.spec(m)) for m, p in account.positions.items()
                    if p.size != 0), ZERO)

    def unrealized(self, pos: Position, index: Decimal) -> tuple[Decimal, Decimal]:
        """(price PnL + funding, funding) of an open position at the current mark and funding index."""
        if pos.size == 0:
            return ZERO, ZERO
        funding = -pos.size * (index - pos.funding_index)
        return pos.size * (self.mark(pos.market) - pos.entry) + funding, funding

    def account_value(self, account: Account, index: Callable[[str], Decimal]) -> Decimal:
        upnl = sum((self.unrealized(p, index(p.market))[0] for p in account.positions.values()), ZERO)
        return account.balance + upnl

    def summary_json(self, account: Account, orders: Iterable[Exposure] | AccountExposure,
                     index: Callable[[str], Decimal], now: int) -> dict:
        value = self.account_value(account, index)
        imr = self.imr(account, orders)
        mmr = self.mmr(account)
        return {
            "account": account.address,
            "account_value": dec_str(dec8(value)),
            "free_collateral": dec_str(dec8(value - imr)),
            "initial_margin_requirement": dec_str(dec8(imr)),
            # the web app's notification marker; a sandbox account has seen none
            "last_seen_notification": 0,
            "maintenance_margin_requirement": dec_str(dec8(mmr)),
            "margin_cushion": dec_str(dec8(value - mmr)),
            "seq_no": account.seq_no,
            "settlement_asset": "USDC",
            "status": "ACTIVE" if value >= mmr else "LIQUIDATION",
            "total_collateral": dec_str(dec8(account.balance)),
            "updated_at": now,
        }

    def liquidation_price(self, account: Account, pos: Position, index: Callable[[str], Decimal]) -> str:
        """The mark of this market at which account value meets MMR, others held still ("" if none)."""
        spec = self.catalog.spec(pos.market)
        if pos.size == 0 or spec.is_option:
            return ""
        value = self.account_value(account, index)
        mark = self.mark(pos.market)
        other_mmr = self.mmr(account) - self._market_mmr(account, spec)
        f = spec.imf_base * spec.mmf_factor + account.taker_fee
        denom = pos.size - abs(pos.size) * f
        if denom == 0:
            return ""
        price = (other_mmr - value + pos.size * mark) / denom
        return dec_str(dec8(price)) if price > 0 else ""

    def position_json(self, account: Account, pos: Position, index: Callable[[str], Decimal]) -> dict:
        spec = self.catalog.spec(pos.market)
        upnl, ufunding = self.unrealized(pos, index(pos.market))
        cost = pos.size * pos.entry
        exit_price = dec8(pos.exit_sum / pos.exit_size) if pos.exit_size else ZERO
        return {
            "id": pos.id,
            "account": account.address,
            "market": pos.market,
            "status": "OPEN" if pos.size != 0 else "CLOSED",
            "side": "SHORT" if pos.size < 0 else "LONG",
            "size": dec_str(pos.size),
            # USDC is valued at 1 USD in the sandbox, so the USDC and USD figures agree
            "average_entry_price": dec_str(dec8(pos.entry)),
            "average_entry_price_usd": dec_str(dec8(pos.entry)),
            "average_exit_price": dec_str(exit_price),
            "cost": dec_str(dec8(cost)),
            "cost_usd": dec_str(dec8(cost)),
            "unrealized_pnl": dec_str(dec8(upnl)),
            "unrealized_funding_pnl": dec_str(dec8(ufunding)),
            "realized_positional_pnl": dec_str(dec8(pos.realized_pnl)),
            "realized_positional_funding_pnl": dec_str(dec8(pos.realized_funding)),
            "cached_funding_index": dec_str(pos.funding_index),
            "liquidation_price": self.liquidation_price(account, pos, index),
            "leverage": str(account.leverage_for(spec)),
            "last_fill_id": pos.last_fill_id,
            "created_at": pos.created_at,
            "closed_at": pos.closed_at,
            "last_updated_at": pos.last_updated_at,
            "seq_no": pos.seq_no,
        }

    def positions_json(self, account: Account, index: Callable[[str], Decimal]) -> list[dict]:
        return [self.position_json(account, p, index) for p in account.positions.values() if p.created_at]


@dataclass(frozen=True)
class FillOrder:
    """The order-side facts a fill row repeats."""

    id: str
    client_id: str
    side: str
    remaining_after: Decimal


def settle_fill(account: Account, ids: IdGen, market: str, order: FillOrder, size: Decimal, price: Decimal,
                liquidity: str, index: Decimal, underlying: Decimal, book_seq: int, now: int) -> dict:
    """Apply one side of a trade to ``account`` and return its Paradex fill row.

    Order of effects: funding accrued since the last settlement is realised first (against the position
    before the trade), then the fee is charged and any closed quantity realises PnL at the fill price.
    """
    pos = account.position(market)
    fill_id = ids.next_id()
    funding = dec8(-pos.size * (index - pos.funding_index)) if pos.size != 0 else ZERO
    pos.funding_index = index
    if funding != 0:
        account.funding_payments.append({
            "id": ids.next_id(),
            "account": account.address,
            "market": market,
            "payment": dec_str(dec8(funding)),
            "index": dec_str(index),
            "fill_id": fill_id,
            "created_at": now,
        })
    rate = account.maker_fee if liquidity == "MAKER" else account.taker_fee
    fee = dec8(size * price * rate)
    signed = size if order.side == "BUY" else -size
    realized = ZERO
    before = pos.size
    if before == 0 or (before > 0) == (signed > 0):
        # opening or adding: the entry price becomes the size-weighted average
        new_size = before + signed
        pos.entry = (abs(before) * pos.entry + size * price) / abs(new_size)
        if before == 0:
            pos.created_at = now
            pos.closed_at = 0
            pos.realized_pnl = ZERO
            pos.realized_funding = ZERO
            pos.exit_sum = ZERO
            pos.exit_size = ZERO
        pos.size = new_size
    else:
        closed = min(size, abs(before))
        direction = Decimal(1) if before > 0 else Decimal(-1)
        realized = dec8(closed * (price - pos.entry) * direction)
        pos.exit_sum += closed * price
        pos.exit_size += closed
        pos.size = before + signed
        if pos.size == 0:
            pos.closed_at = now
        elif (pos.size > 0) != (before > 0):
            # flipped: the remainder opens a new position at the fill price
            pos.entry = price
            pos.created_at = now
            pos.exit_sum = ZERO
            pos.exit_size = ZERO
    pos.realized_pnl += realized + funding
    pos.realized_funding += funding
    pos.last_fill_id = fill_id
    pos.last_updated_at = now
    pos.seq_no = ids.seq_no()
    account.balance += realized + funding - fee
    account.balance_updated_at = now
    account.seq_no = ids.seq_no()
    fill = {
        "id": fill_id,
        "account": account.address,
        "order_id": order.id,
        "client_id": order.client_id,
        "market": market,
        "side": order.side,
        "size": dec_str(size),
        "price": dec_str(price),
        "remaining_size": dec_str(order.remaining_after),
        "liquidity": liquidity,
        "fee": dec_str(fee),
        "fee_currency": "USDC",
        "fill_type": "FILL",
        "flags": [],
        "realized_pnl": dec_str(realized),
        "realized_funding": dec_str(dec8(funding)),
        "underlying_price": dec_str(underlying),
        "orderbook_seq_no": book_seq,
        "created_at": now,
    }
    account.fills.append(fill)
    return fill


class Ledger:
    def __init__(self, clock: Callable[[], int], ids: IdGen, funding_usdc: Decimal = Decimal("100000")):
        self._clock = clock
        self.ids = ids
        self.funding_usdc = Decimal(funding_usdc)
        # Settings.bridged_deposits: deposits carry the Ethereum side of a bridge transfer, or "" as unbridged credits.
        self.bridged_deposits = True
        self._accounts: dict[str, Account] = {}
        self._by_eth: dict[str, str] = {}
        self._subkey_ids = 0

    @staticmethod
    def _norm(address: str) -> str:
        """Starknet addresses compare as numbers: 0x0abc and 0xabc are one account."""
        try:
            return hex(int(address, 16))
        except (TypeError, ValueError):
            raise SandboxError("INVALID_STARKNET_ADDRESS", f"invalid starknet address: {address}") from None

    def accounts(self) -> list[Account]:
        return list(self._accounts.values())

    def find(self, address: str) -> Account | None:
        try:
            return self._accounts.get(self._norm(address))
        except SandboxError:
            return None

    def get(self, address: str) -> Account:
        account = self.find(address)
        if account is None:
            raise SandboxError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
        return account

    def onboard(self, address: str, public_key: str, eth_address: str = "", *, funding: Decimal | None = None,
                unlimited: bool = False) -> Account:
        key = self._norm(address)
        existing = self._accounts.get(key)
        if existing is not None:
            return existing
        eth = eth_address.lower()
        if eth and eth in self._by_eth:
            raise SandboxError("ETHEREUM_ADDRESS_ALREADY_ONBOARDED",
                               f"ethereum address already onboarded: {eth_address}")
        now = self._clock()
        account = Account(address=key, public_key=self._norm(public_key), eth_address=eth_address, created_at=now,
                          balance_updated_at=now, unlimited=unlimited)
        self._accounts[key] = account
        if eth:
            self._by_eth[eth] = key
        self.deposit(key, self.funding_usdc if funding is None else Decimal(funding))
        return account

    def deposit(self, address: str, amount: Decimal) -> None:
        account = self.get(address)
        now = self._clock()
        account.balance += amount
        account.balance_updated_at = now
        account.seq_no = self.ids.seq_no()
        tid = self.ids.next_id()
        account.transfers.append({
            "id": tid,
            "account": account.address,
            "kind": "DEPOSIT",
            "status": "COMPLETED",
            "amount": dec_str(amount),
            "token": "USDC",
            "created_at": now,
            "last_updated_at": now,
            "txn_hash": txn_hash(tid),
            "socialized_loss_factor": "",
            **self._bridge_side(tid, account),
            "failure_reason": "",
            "direction": "IN",
            "vault_address": "",
            "vault_unwind_completion_percentage": "",
            "counterparty": "",
            "auto_withdrawal_fee": "",
        })

    def _bridge_side(self, transfer_id: str, account: Account) -> dict[str, str]:
        """A deposit's fields of the other chain: bridged from Ethereum by Paradex's own bridge (STARKGATE), with the
        L1 transaction and sender a bot reconciles against; or, unbridged, "" as Paradex writes for what does not
        apply."""
        if not self.bridged_deposits:
            return {"external_txn_hash": "", "bridge": "", "external_chain": "", "external_account": ""}
        return {"external_txn_hash": l1_txn_hash(transfer_id), "bridge": "STARKGATE", "external_chain": "ETHEREUM",
                "external_account": account.eth_address or l1_sender(account.address)}

    def key_allowed(self, address: str, public_key: str) -> bool:
        account = self.find(address)
        if account is None:
            return False
        try:
            key = self._norm(public_key)
        except SandboxError:
            return False
        if key == account.public_key:
            return True
        sub = account.subkeys.get(key)
        return sub is not None and sub.state == "active"

    def add_subkey(self, address: str, public_key: str, name: str, state: str = "active") -> dict:
        account = self.get(address)
        key = self._norm(public_key)
        if state not in ("active", "pending"):
            raise SandboxError("INVALID_REQUEST_PARAMETER", "state must be 'active' or 'pending'")
        if key == account.public_key or (key in account.subkeys and account.subkeys[key].state != "revoked"):
            raise SandboxError("INVALID_SUBKEY", f"public key already registered: {public_key}")
        now_ns = self._clock() * 1_000_000
        self._subkey_ids += 1
        account.subkeys[key] = Subkey(public_key=key, name=name, state=state, created_at=now_ns, updated_at=now_ns,
                                      id=self._subkey_ids)
        return self.subkey_json(address, key)

    def _live_subkey(self, address: str, public_key: str) -> Subkey:
        sub = self.get(address).subkeys.get(self._norm(public_key))
        if sub is None or sub.state == "revoked":
            raise SandboxError("INVALID_SUBKEY", f"subkey not found: {public_key}", 404)
        return sub

    def revoke_subkey(self, address: str, public_key: str) -> dict:
        sub = self._live_subkey(address, public_key)
        now_ns = self._clock() * 1_000_000
        sub.state, sub.revoked_at, sub.updated_at = "revoked", now_ns, now_ns
        return self.subkey_json(address, public_key)

    def rename_subkey(self, address: str, public_key: str, name: str) -> dict:
        sub = self._live_subkey(address, public_key)
        sub.name, sub.updated_at = name, self._clock() * 1_000_000
        return self.subkey_json(address, public_key)

    def subkey_json(self, address: str, public_key: str) -> dict:
        account = self.get(address)
        sub = account.subkeys.get(self._norm(public_key))
        if sub is None:
            raise SandboxError("INVALID_SUBKEY", f"subkey not found: {public_key}", 404)
        return {
            "id": sub.id,
            "account_id": account.address,
            "public_key": sub.public_key,
            "name": sub.name,
            "state": sub.state,
            "allowed_cidrs": [],
            "created_at": sub.created_at,
            "updated_at": sub.updated_at,
            "revoked_at": sub.revoked_at,
        }

    def subkeys_json(self, address: str, with_revoked: bool = False) -> list[dict]:
        account = self.get(address)
        return [self.subkey_json(address, k) for k, s in account.subkeys.items()
                if with_revoked or s.state != "revoked"]


def quantity_steps(value: Decimal, step: Decimal) -> bool:
    """True when value is a whole number of steps (increment / tick check)."""
    return step > 0 and (value / step) == (value / step).to_integral_value()


def floor_to(value: Decimal, step: Decimal) -> Decimal:
    return Decimal(math.floor(value / step)) * step


def ceil_to(value: Decimal, step: Decimal) -> Decimal:
    return Decimal(math.ceil(value / step)) * step
