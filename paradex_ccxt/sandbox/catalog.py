"""The sandbox's venue description: markets, system config, system state, and the decimal helpers every
sandbox module shares.

Public API (stable; the HTTP layer serves these dicts as JSON bodies unchanged):

- ``Catalog(symbols=None)``: the markets the sandbox lists (default: ``DEFAULT_SYMBOLS``).
  - ``catalog.spec(symbol) -> MarketSpec`` (raises ``KeyError`` for an unknown symbol)
  - ``catalog.markets(symbol=None) -> list[dict]``: ``GET /v1/markets`` ``results`` rows, Paradex field names,
    numbers as decimal strings, ``open_at`` / ``expiry_at`` in ms.
  - ``catalog.symbols`` (tuple, listing order); ``catalog.base_assets()`` (their base assets, listing order)
- ``MarketSpec``: the typed view the engine works with (``Decimal`` fields), ``.to_paradex()`` gives the market row.
- ``system_config() -> dict``: ``GET /v1/system/config``. Paradex testnet's values (chain ids, class hashes,
  token addresses) so a key derived and an address computed against the sandbox equal the testnet ones.
- ``system_state(status="ok") -> dict``: ``GET /v1/system/state`` (``ok`` | ``maintenance`` | ``cancel_only`` |
  ``post_only``).
- ``system_time(now_ms) -> dict``: ``GET /v1/system/time`` (``server_time`` as a string, like Paradex).
- ``portfolio_margin_params(base_asset) -> dict``: one row of ``GET /v1/system/portfolio-margin-config``.
- ``insurance_fund(since_ms) -> dict``: ``GET /v1/insurance``.
- ``dec(value) -> Decimal`` and ``dec_str(value) -> str``: exact decimal in, Paradex-style decimal string out
  (no exponent, no trailing zeros, ``"0"`` for zero).

Sources for field names and shapes: paradex-py 0.8.2's generated OpenAPI models (``MarketResp``,
``MarketChainDetails``, ``MarketFeeConfig``, ``Delta1CrossMarginParams``, ``OptionCrossMarginParams``,
``SystemConfigResponse``), the sample market rows in ccxt 4.5.90's ``paradex.parse_market`` comments, and the
testnet system config in the shared signing vectors. Market parameter values are realistic for Paradex perps
(ticks, increments, min notional, margin fractions) but are the sandbox's own, not a copy of prod.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

DECIMAL_PLACES = Decimal("1e-8")  # paraclear_decimals: Paradex settles every quantity with 8 decimals


def dec(value: object) -> Decimal:
    """A finite Decimal from a str/int/Decimal; raises ``ValueError`` for anything else (floats included)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"not an exact decimal: {value!r}")
    try:
        out = Decimal(value) if isinstance(value, (str, int, Decimal)) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a decimal: {value!r}") from exc
    if not out.is_finite():
        raise ValueError(f"not a finite decimal: {value!r}")
    return out


def dec_str(value: Decimal | int) -> str:
    """Paradex writes numbers as plain decimal strings: ``"0.05"``, ``"26000"``, ``"-1.5"``, ``"0"``."""
    d = Decimal(value)
    if d == 0:
        return "0"
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def dec8(value: Decimal) -> Decimal:
    """Round a derived amount (average price, fee, pnl) to the 8 decimals Paradex settles with."""
    return value.quantize(DECIMAL_PLACES)


@dataclass(frozen=True)
class MarketSpec:
    """One listed market. ``ref_price`` and ``daily_vol`` drive the seeded price path (marketdata), the rest is
    what Paradex publishes for the market."""

    symbol: str
    base: str
    asset_kind: str  # PERP | PERP_OPTION
    price_tick_size: Decimal
    order_size_increment: Decimal
    min_notional: Decimal
    max_order_size: Decimal
    position_limit: Decimal
    imf_base: Decimal
    mmf_factor: Decimal
    ref_price: Decimal
    daily_vol: Decimal
    max_open_orders: int = 100
    price_bands_width: Decimal = Decimal("0.05")
    max_slippage: Decimal = Decimal("0.05")
    max_tob_spread: Decimal = Decimal("0.2")
    funding_period_hours: int = 8
    max_funding_rate: Decimal = Decimal("0.05")
    max_funding_rate_change: Decimal = Decimal("0.0005")
    interest_rate: Decimal = Decimal("0.0001")
    clamp_rate: Decimal = Decimal("0.05")
    oracle_ewma_factor: Decimal = Decimal("0.2")
    price_feed_id: str = ""
    open_at: int = 1_700_000_000_000
    expiry_at: int = 0
    tags: tuple[str, ...] = ()
    # options only
    option_type: str = ""  # CALL | PUT
    strike_price: Decimal = Decimal(0)
    underlying: str = ""  # perp whose price path is the option's underlying
    iv: Decimal = Decimal(0)
    option_imf: tuple[tuple[str, Decimal], ...] = ()
    option_mmf: tuple[tuple[str, Decimal], ...] = ()
    # chain details / fees (on-chain values, not the account's fee rates)
    fee_maker: Decimal = Decimal("-0.00005")
    fee_taker: Decimal = Decimal("0.0003")

    @property
    def is_option(self) -> bool:
        return self.asset_kind in ("PERP_OPTION", "OPTION")

    @property
    def max_leverage(self) -> int:
        return int(Decimal(1) / self.imf_base) if self.imf_base > 0 else 1

    def to_paradex(self) -> dict:
        row: dict = {
            "symbol": self.symbol,
            "base_currency": self.base,
            "quote_currency": "USD",
            "settlement_currency": "USDC",
            "order_size_increment": dec_str(self.order_size_increment),
            "price_tick_size": dec_str(self.price_tick_size),
            "min_notional": dec_str(self.min_notional),
            "open_at": self.open_at,
            "expiry_at": self.expiry_at,
            "asset_kind": self.asset_kind,
            "market_kind": "cross",
            "position_limit": dec_str(self.position_limit),
            "price_bands_width": dec_str(self.price_bands_width),
            "max_slippage": dec_str(self.max_slippage),
            "max_open_orders": self.max_open_orders,
            "max_funding_rate": dec_str(self.max_funding_rate),
            "price_feed_id": self.price_feed_id,
            "oracle_ewma_factor": dec_str(self.oracle_ewma_factor),
            "max_order_size": dec_str(self.max_order_size),
            "max_funding_rate_change": dec_str(self.max_funding_rate_change),
            "max_tob_spread": dec_str(self.max_tob_spread),
            "interest_rate": dec_str(self.interest_rate),
            "clamp_rate": dec_str(self.clamp_rate),
            "funding_period_hours": self.funding_period_hours,
            "funding_multiplier": 1,
            "tags": list(self.tags),
            "chain_details": {
                "symbol": self.symbol,
                "collateral_address": _TESTNET_CONFIG["bridged_tokens"][0]["l2_token_address"],
                "contract_address": _TESTNET_CONFIG["paraclear_address"],
                "fee_account_address": "0x" + "0" * 62 + "fe",
                "fee_maker": dec_str(self.fee_maker),
                "fee_taker": dec_str(self.fee_taker),
                "insurance_fund_address": "0x" + "0" * 62 + "1f",
                "liquidation_fee": _TESTNET_CONFIG["liquidation_fee"],
                "oracle_address": _TESTNET_CONFIG["oracle_address"],
            },
            "fee_config": _fee_config(),
        }
        if self.is_option:
            row["option_type"] = self.option_type
            row["strike_price"] = dec_str(self.strike_price)
            row["iv_bands_width"] = "0.05"
            row["option_cross_margin_params"] = {
                "imf": {k: dec_str(v) for k, v in self.option_imf},
                "mmf": {k: dec_str(v) for k, v in self.option_mmf},
            }
        else:
            row["delta1_cross_margin_params"] = {
                "imf_base": dec_str(self.imf_base),
                # Paradex documents both as deprecated and always 0; kept because clients read them
                "imf_factor": "0",
                "imf_shift": "0",
                "mmf_factor": dec_str(self.mmf_factor),
            }
        return row


# Account-level trading fees for API (non-interactive) order flow. The sandbox charges these to every fill;
# Paradex's published market fee_config carries the same shape.
API_MAKER_FEE = Decimal("0.00003")
API_TAKER_FEE = Decimal("0.0002")


def _fee_config() -> dict:
    def pair(maker: Decimal, taker: Decimal) -> dict:
        cap = {"fee_cap": "0.125", "fee_floor": "-0.125"}
        return {"maker_fee": {"fee": dec_str(maker), **cap}, "taker_fee": {"fee": dec_str(taker), **cap}}

    return {
        "api_fee": pair(API_MAKER_FEE, API_TAKER_FEE),
        "interactive_fee": pair(Decimal(0), Decimal(0)),
        "rpi_fee": pair(Decimal(0), API_TAKER_FEE),
    }


def _perp(symbol: str, tick: str, step: str, min_notional: str, max_order: str, limit: str, imf: str,
          ref: str, vol: str, tags: tuple[str, ...] = ()) -> MarketSpec:
    return MarketSpec(
        symbol=symbol,
        base=symbol.split("-")[0],
        asset_kind="PERP",
        price_tick_size=Decimal(tick),
        order_size_increment=Decimal(step),
        min_notional=Decimal(min_notional),
        max_order_size=Decimal(max_order),
        position_limit=Decimal(limit),
        imf_base=Decimal(imf),
        mmf_factor=Decimal("0.5"),
        ref_price=Decimal(ref),
        daily_vol=Decimal(vol),
        tags=tags,
    )


_OPTION_IMF = (("long_itm", Decimal("0.2")), ("premium_multiplier", Decimal("1")), ("short_itm", Decimal("0.15")),
               ("short_otm", Decimal("0.1")), ("short_put_cap", Decimal("0.5")))
_OPTION_MMF = (("long_itm", Decimal("0.1")), ("premium_multiplier", Decimal("0.5")), ("short_itm", Decimal("0.075")),
               ("short_otm", Decimal("0.05")), ("short_put_cap", Decimal("0.5")))

_ALL: tuple[MarketSpec, ...] = (
    _perp("BTC-USD-PERP", "0.1", "0.00001", "10", "100", "500", "0.02", "95000", "0.03"),
    _perp("ETH-USD-PERP", "0.01", "0.0001", "10", "2000", "10000", "0.02", "3300", "0.04"),
    _perp("SOL-USD-PERP", "0.001", "0.01", "10", "50000", "200000", "0.05", "180", "0.05"),
    _perp("DOGE-USD-PERP", "0.000001", "1", "10", "5000000", "20000000", "0.1", "0.32", "0.06", ("MEME",)),
    _perp("ARB-USD-PERP", "0.0001", "0.1", "10", "500000", "2000000", "0.1", "0.75", "0.06", ("L2",)),
    MarketSpec(
        symbol="BTC-USD-95000-C",
        base="BTC",
        asset_kind="PERP_OPTION",
        price_tick_size=Decimal("0.01"),
        order_size_increment=Decimal("0.001"),
        min_notional=Decimal("100"),
        max_order_size=Decimal("2"),
        position_limit=Decimal("10"),
        imf_base=Decimal("0.2"),
        mmf_factor=Decimal("0.5"),
        ref_price=Decimal("95000"),
        daily_vol=Decimal("0.03"),
        price_bands_width=Decimal("0.05"),
        funding_period_hours=24,
        max_funding_rate=Decimal("0.02"),
        max_funding_rate_change=Decimal("0.02"),
        clamp_rate=Decimal("0.02"),
        option_type="CALL",
        strike_price=Decimal("95000"),
        underlying="BTC-USD-PERP",
        iv=Decimal("0.5"),
        option_imf=_OPTION_IMF,
        option_mmf=_OPTION_MMF,
        fee_maker=Decimal("0.0003"),
        fee_taker=Decimal("0.0003"),
    ),
)

DEFAULT_SYMBOLS: tuple[str, ...] = tuple(m.symbol for m in _ALL)


class Catalog:
    """The markets one sandbox lists, in listing order."""

    def __init__(self, symbols: tuple[str, ...] | list[str] | None = None):
        known = {m.symbol: m for m in _ALL}
        chosen = list(symbols) if symbols is not None else list(DEFAULT_SYMBOLS)
        unknown = [s for s in chosen if s not in known]
        if unknown:
            raise ValueError(f"unknown sandbox markets {unknown}; available: {list(known)}")
        # an option needs its underlying's price path
        for s in list(chosen):
            under = known[s].underlying
            if under and under not in chosen:
                chosen.append(under)
        self._specs = {s: known[s] for s in chosen}
        self.symbols: tuple[str, ...] = tuple(self._specs)

    def __contains__(self, symbol: object) -> bool:
        return symbol in self._specs

    def spec(self, symbol: str) -> MarketSpec:
        return self._specs[symbol]

    def specs(self) -> list[MarketSpec]:
        return list(self._specs.values())

    def markets(self, symbol: str | None = None) -> list[dict]:
        if symbol is None:
            return [m.to_paradex() for m in self._specs.values()]
        return [self._specs[symbol].to_paradex()] if symbol in self._specs else []

    def base_assets(self) -> tuple[str, ...]:
        """The base assets of the listed markets, in listing order."""
        return tuple(dict.fromkeys(m.base for m in self._specs.values()))


# Portfolio margin policy (GET /v1/system/portfolio-margin-config, one PortfolioMarginParamsResp per base asset;
# its numbers are JSON numbers, not strings). docs.paradex.trade "Portfolio Margin" gives the structure: 24
# scenarios shocking spot and implied volatility together, a funding provision over the next 8 hours, MMR at 50% of
# the net requirement. Paradex publishes no live values, so the grid (8 spot shocks x 3 vol shocks, weight 1) is
# the sandbox's and the factors are the examples of paradex-py 0.8.2's PortfolioMarginParamsResp and
# VolShockParamsResp. The sandbox itself margins every account with cross margin.
PM_SPOT_SHOCKS = (-0.16, -0.12, -0.08, -0.04, 0.04, 0.08, 0.12, 0.16)
PM_VOL_SHOCKS = (-0.4, 0.0, 0.4)


def portfolio_margin_params(base_asset: str) -> dict:
    return {
        "base_asset": base_asset,
        "funding_provision_hour": 8,
        "hedged_margin_factor": 0.01,
        "mmf_factor": 0.5,
        "scenarios": [{"spot_shock": spot, "vol_shock": vol, "weight": 1}
                      for spot in PM_SPOT_SHOCKS for vol in PM_VOL_SHOCKS],
        "unhedged_margin_factor": 0.02,
        "vol_shock_params": {"dte_floor_days": 1, "min_vol_shock_up": 0.4, "vega_power_long_dte": 0.13,
                             "vega_power_short_dte": 0.3},
    }


# The insurance fund (GET /v1/insurance). The sandbox never liquidates, so the fund neither pays out nor collects:
# its value is fixed from the sandbox's start. The address is derived from a label (Paradex's fund has its own).
INSURANCE_FUND_USDC = Decimal(1_000_000)
INSURANCE_FUND_ADDRESS = "0x" + hashlib.sha256(b"paradex sandbox insurance fund").hexdigest()[:63]


def insurance_fund(since_ms: int) -> dict:
    return {"account": INSURANCE_FUND_ADDRESS, "account_value": dec_str(INSURANCE_FUND_USDC),
            "settlement_asset": "USDC", "updated_at": since_ms}


# Paradex testnet's /system/config, as recorded in the shared signing vectors (inputs.system_config_testnet),
# plus the fields SystemConfigResponse has that the recording lacked. Two values moved on since that recording
# (paradex-py's own testnet check): the deprecated gateway URL is now empty and the explorer lives in the app.
# Fields the sandbox has no true value for are left out rather than invented: paraclear_evm_account_hash (the
# EIP-191 /v2 flow is not simulated), the L1/L2 relayer and DIME staking addresses.
_TESTNET_CONFIG: dict = {
    "starknet_gateway_url": "",
    "starknet_fullnode_rpc_url": "https://pathfinder.api.testnet.paradex.trade/rpc/v0_7",
    "starknet_fullnode_rpc_base_url": "https://pathfinder.api.testnet.paradex.trade",
    "starknet_chain_id": "PRIVATE_SN_POTC_SEPOLIA",
    "block_explorer_url": "https://app.testnet.paradex.trade/explorer",
    "paraclear_address": "0x286003f7c7bfc3f94e8f0af48b48302e7aee2fb13c23b141479ba00832ef2c6",
    "paraclear_decimals": 8,
    "paraclear_account_proxy_hash": "0x3530cc4759d78042f1b543bf797f5f3d647cde0388c33734cf91b7f7b9314a9",
    "paraclear_account_hash": "0x41cb0280ebadaa75f996d8d92c6f265f6d040bb3ba442e5f86a554f1765244e",
    "oracle_address": "0x2c6a867917ef858d6b193a0ff9e62b46d0dc760366920d631715d58baeaca1f",
    "bridged_tokens": [
        {
            "name": "TEST USDC",
            "symbol": "USDC",
            "decimals": 6,
            "l1_token_address": "0x29A873159D5e14AcBd63913D4A7E2df04570c666",
            "l1_bridge_address": "0x8586e05adc0C35aa11609023d4Ae6075Cb813b4C",
            "l2_token_address": "0x6f373b346561036d98ea10fb3e60d2f459c872b1933b50b21fe6ef4fda3b75e",
            "l2_bridge_address": "0x46e9237f5408b5f899e72125dd69bd55485a287aaf24663d3ebe00d237fc7ef",
        }
    ],
    "l1_core_contract_address": "0x582CC5d9b509391232cd544cDF9da036e55833Af",
    "l1_operator_address": "0x11bACdFbBcd3Febe5e8CEAa75E0Ef6444d9B45FB",
    "l1_chain_id": "11155111",
    "liquidation_fee": "0.2",
    "environment": "sandbox",
    "partial_liquidation_buffer": "0.2",
    "partial_liquidation_share_increment": "0.05",
    "universal_deployer_address": "0x41a78e741e5af2fec34b695679bc6891742439f7afb8484ecd7766661ad02bf",
}


def system_config() -> dict:
    """A fresh copy each call, so a caller that mutates its response cannot change the sandbox."""
    cfg = dict(_TESTNET_CONFIG)
    cfg["bridged_tokens"] = [dict(t) for t in _TESTNET_CONFIG["bridged_tokens"]]
    return cfg


SYSTEM_STATES = ("ok", "maintenance", "cancel_only", "post_only")


def system_state(status: str = "ok") -> dict:
    if status not in SYSTEM_STATES:
        raise ValueError(f"system status must be one of {SYSTEM_STATES}")
    return {"status": status}


def system_time(now_ms: int) -> dict:
    return {"server_time": str(now_ms)}
