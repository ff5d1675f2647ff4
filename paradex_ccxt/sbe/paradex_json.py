"""Decoded SBE messages <-> Paradex's JSON channel payloads, so one JSON-shaped handler serves both encodings.

``to_paradex_json(message)`` gives ``(channel, data)`` with ``data`` in the shape of the JSON feed's
``params.data``: Paradex's snake_case names, decimals as strings, times in milliseconds (microseconds truncated).
``from_paradex_json(channel, data, version)`` is the inverse a server needs to send SBE frames for JSON events.

What SBE cannot carry, and what the JSON side then holds (see also README, "SBE"):

- Frames do not name their channel. The channel returned is ``<prefix>.<market>`` for per-market feeds
  (``trades``, ``bbo``, ``order_book``, ``orders``, ``fills``) and the bare name for ``markets_summary``,
  ``funding_data``, ``funding_rate_comparison``, ``positions``, ``account``: route by ``data["market"]``.
  ``order_book`` frames carry no feed suffix (``.deltas``, ``.snapshot@15@100ms``...).
- ``order_book``: SBE cannot tell an inserted level from an updated one. A SNAPSHOT (``update_type`` "s") puts
  every level in ``inserts``; a DELTA ("d") puts levels with size "0" in ``deletes`` and the others in ``updates``.
  A local book applies ``inserts`` and ``updates`` alike (set the level) and drops ``deletes``.
- ``trades``: no ``block_id``; below version 2 no real id (``tradeIdStr``): ``id`` is then the schema's int64
  ``tradeId``, the low 64 bits of Paradex's 28-digit id, which matches no REST trade id.
- ``orders``: no signature ``timestamp`` (``created_at`` is used); ``request_info`` only from version 2.
- ``fills``: no ``remaining_size``; ``fee_currency``, ``flags`` and ``orderbook_seq_no`` only from version 2
  (below it ``orderbook_seq_no`` is the frame's ``seq``); a flag the schema cannot name (bit UNKNOWN) is left out.
- ``positions``: no ``average_exit_price``, ``realized_positional_funding_pnl``, ``created_at``, ``closed_at``.
- ``markets_summary``: no ``settlement_twap_estimate``, ``rolling_details``; ``funding_rate`` is the 12-dp
  ``fundingRatePrecise`` from version 1, the 8-dp ``fundingRate`` at version 0.
- ``account``: ``last_seen_notification`` only from version 2.
- Decimals are cut to the schema's 8 (or 12) decimals, e.g. an 18-dp ``funding_index``.
- "Version 2" fields may also be missing from a version 2 frame in the layout 1:2 had before its in-place
  additions (``tradeIdStr``, ``request_info``, ``last_seen_notification``).

Nulls are written the way Paradex's JSON writes them: "" for an empty book side (``bbo``, ``markets_summary``),
``avg_fill_price`` and ``liquidation_price``; "0" for a MARKET order's ``price``, a ``trigger_price`` that is not
set and a ``realized_pnl`` with nothing realized; option and funding fields that are null are left out.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .codec import SCHEMA, SbeEncodeError, SbeMessage, encode

Json = dict[str, Any]



def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class _Conversion:
    """How one SBE value becomes its JSON twin and back."""

    to_json: Callable[[Any], Any] = _same
    from_json: Callable[[Any], Any] = _same
    omit_null: bool = False  # a null leaves the key out of the JSON (optional option/funding fields)


_SAME = _Conversion()
_OPTIONAL = _Conversion(omit_null=True)
_MS = _Conversion(lambda us: us // 1000, lambda ms: int(ms) * 1000)
# Paradex JSON writes "" for absent prices (avg_fill_price, liquidation_price, the bid of an empty book side) and
# "0" for absent order prices.
_EMPTY = _Conversion(lambda v: "" if v is None else v, lambda v: None if v in ("", None) else v)
_ZERO = _Conversion(lambda v: "0" if v is None else v, lambda v: None if v in ("0", "", None) else v)


@dataclass(frozen=True)
class _Shape:
    template: str
    prefix: str
    per_market: bool  # channel is "<prefix>.<market>"
    time_key: str  # JSON time (ms) the frame's publish timestamp `ts` is derived from when encoding
    fields: tuple[tuple[str, str, _Conversion], ...]  # (JSON name, SBE name, conversion)
    to_extra: Callable[[dict[str, Any], Json], None] | None = None
    from_extra: Callable[[Mapping[str, Any], dict[str, Any]], None] | None = None


# --- template-specific pieces ---------------------------------------------------------------------------------

def _trade_to(fields: dict[str, Any], data: Json) -> None:
    trade_id = fields.get("tradeIdStr")
    data["id"] = trade_id if trade_id else str(fields["tradeId"])


def _trade_from(data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    trade_id = str(data["id"])
    fields["tradeIdStr"] = trade_id
    # The deprecated int64 carries the low 64 bits of the id read as signed, exactly as the schema describes.
    low = int(trade_id) & (2**64 - 1) if trade_id.isdigit() else 0
    fields["tradeId"] = low - 2**64 if low >= 2**63 else low


_BOOK_BEST = (
    ("best_bid_interactive", "BUY", "bestBidPrice", "bestBidSize"),
    ("best_ask_interactive", "SELL", "bestAskPrice", "bestAskSize"),
    ("best_bid_api", "BUY", "bestBidApiPrice", "bestBidApiSize"),
    ("best_ask_api", "SELL", "bestAskApiPrice", "bestAskApiSize"),
)


def _book_to(fields: dict[str, Any], data: Json) -> None:
    snapshot = fields["pkgType"] == "SNAPSHOT"
    levels = [
        {"side": side, "price": level["price"], "size": level["size"]}
        for side, group in (("BUY", "bids"), ("SELL", "asks"))
        for level in fields.get(group, ())
    ]
    data["update_type"] = "s" if snapshot else "d"
    if snapshot:
        data["inserts"], data["updates"], data["deletes"] = levels, [], []
    else:
        data["inserts"] = []
        data["updates"] = [level for level in levels if level["size"] != "0"]
        data["deletes"] = [level for level in levels if level["size"] == "0"]
    for key, side, price, size in _BOOK_BEST:
        if fields.get(price) is not None:
            data[key] = {"side": side, "price": fields[price], "size": fields.get(size) or "0"}
    if fields.get("relativeSpread") is not None:
        data["relative_spread"] = fields["relativeSpread"]


def _book_from(data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    fields["pkgType"] = "SNAPSHOT" if data["update_type"] == "s" else "DELTA"
    fields["bids"], fields["asks"] = [], []
    for key in ("inserts", "updates", "deletes"):
        for level in data.get(key) or ():
            size = "0" if key == "deletes" else level["size"]
            fields["bids" if level["side"] == "BUY" else "asks"].append({"price": level["price"], "size": size})
    for key, _, price, size in _BOOK_BEST:
        if data.get(key):
            fields[price], fields[size] = data[key]["price"], data[key]["size"]
    fields["relativeSpread"] = data.get("relative_spread")


_GREEKS = ("delta", "gamma", "vega", "theta", "rho", "volga", "vanna")


def _summary_to(fields: dict[str, Any], data: Json) -> None:
    precise = fields.get("fundingRatePrecise")
    data["funding_rate"] = precise if precise is not None else fields["fundingRate"]
    greeks = {name: fields[name] for name in _GREEKS if fields.get(name) is not None}
    if greeks:
        data["greeks"] = greeks
        if "delta" in greeks:
            data["delta"] = greeks["delta"]


def _summary_from(data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    fields["fundingRate"] = fields["fundingRatePrecise"] = data.get("funding_rate")
    greeks = data.get("greeks") or {}
    for name in _GREEKS:
        fields[name] = greeks.get(name)
    if data.get("delta") is not None:
        fields["delta"] = data["delta"]


def _order_to(fields: dict[str, Any], data: Json) -> None:
    data["cancel_reason"] = fields.get("cancelReason") or ""
    data["timestamp"] = fields["createdAt"] // 1000
    status, kind = fields.get("requestStatus"), fields.get("requestType")
    if status not in (None, "UNSPECIFIED") or kind not in (None, "UNSPECIFIED"):
        data["request_info"] = {
            "id": fields.get("requestId") or "",
            "request_type": kind,
            "status": status,
            "message": fields.get("requestMessage") or "",
        }


def _order_from(data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    info = data.get("request_info") or {}
    fields["requestStatus"] = info.get("status") or "UNSPECIFIED"
    fields["requestType"] = info.get("request_type") or "UNSPECIFIED"
    fields["requestId"] = info.get("id") or ""
    fields["requestMessage"] = info.get("message") or ""
    fields["stp"] = data.get("stp") or "NONE"


def _fill_to(fields: dict[str, Any], data: Json) -> None:
    if "flags" in fields:
        data["flags"] = [flag.lower() for flag in fields["flags"] if flag != "UNKNOWN"]
    sequence = fields.get("orderbookSeqNo", fields.get("seq"))
    data["orderbook_seq_no"] = sequence or 0


def _fill_from(data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    known = {"interactive", "rpi", "fastfill"}
    flags = {str(flag).lower() for flag in data.get("flags") or ()}
    fields["flags"] = sorted(flag.upper() for flag in flags & known) + (["UNKNOWN"] if flags - known else [])
    sequence = int(data.get("orderbook_seq_no") or 0)
    fields["orderbookSeqNo"] = sequence
    fields["seq"] = sequence or None  # position transfers have no book sequence


def _position_to(fields: dict[str, Any], data: Json) -> None:
    short = fields["side"] == "SELL"
    size = fields["size"]
    data["id"] = f"{fields['account']}-{fields['market']}"
    data["side"] = "SHORT" if short else "LONG"
    data["size"] = f"-{size}" if short and size not in ("0", None) else size


def _position_from(data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    size = str(data["size"])
    fields["side"] = "SELL" if data.get("side") == "SHORT" or size.startswith("-") else "BUY"
    fields["size"] = size.lstrip("-")


_SHAPES: tuple[_Shape, ...] = (
    _Shape("TradeEvent", "trades", True, "created_at", (
        ("market", "market", _SAME), ("side", "side", _SAME), ("size", "size", _SAME),
        ("price", "price", _SAME), ("created_at", "createdAt", _MS), ("trade_type", "tradeType", _SAME),
    ), _trade_to, _trade_from),
    _Shape("BboEvent", "bbo", True, "last_updated_at", (
        ("market", "market", _SAME), ("seq_no", "seq", _SAME), ("bid", "bidPrice", _EMPTY),
        ("bid_size", "bidSize", _EMPTY), ("ask", "askPrice", _EMPTY), ("ask_size", "askSize", _EMPTY),
        ("last_updated_at", "ts", _MS),
    )),
    _Shape("BookEvent", "order_book", True, "last_updated_at", (
        ("seq_no", "seq", _SAME), ("market", "market", _SAME), ("last_updated_at", "ts", _MS),
    ), _book_to, _book_from),
    _Shape("MarketSummaryEvent", "markets_summary", False, "created_at", (
        ("symbol", "market", _SAME), ("mark_price", "markPrice", _SAME),
        ("last_traded_price", "lastPrice", _SAME), ("bid", "bid", _EMPTY), ("bid_size", "bidSize", _EMPTY),
        ("ask", "ask", _EMPTY), ("ask_size", "askSize", _EMPTY), ("volume_24h", "volumeUsd24h", _SAME),
        ("total_volume", "totalVolume", _SAME), ("created_at", "ts", _MS),
        ("underlying_price", "indexPrice", _SAME), ("open_interest", "openInterest", _SAME),
        ("price_change_rate_24h", "priceChangeRate24h", _SAME), ("mark_iv", "markIv", _OPTIONAL),
        ("bid_iv", "bidIv", _OPTIONAL), ("ask_iv", "askIv", _OPTIONAL), ("last_iv", "lastIv", _OPTIONAL),
        ("future_funding_rate", "futureFundingRate", _OPTIONAL),
        ("external_fair_price", "externalFairPrice", _OPTIONAL), ("forward_rate", "forwardRate", _OPTIONAL),
        ("risk_free_rate", "riskFreeRate", _OPTIONAL),
    ), _summary_to, _summary_from),
    _Shape("FundingDataEvent", "funding_data", False, "created_at", (
        ("market", "market", _SAME), ("funding_index", "fundingIndex", _SAME),
        ("funding_premium", "fundingPremium", _SAME), ("funding_rate", "fundingRate", _SAME),
        ("funding_rate_8h", "fundingRate8h", _SAME), ("funding_period_hours", "fundingPeriodHours", _SAME),
        ("created_at", "createdAt", _MS), ("impact_premium_rate", "impactPremiumRate", _OPTIONAL),
    )),
    _Shape("FundingRateComparisonEvent", "funding_rate_comparison", False, "last_updated_at", (
        ("symbol", "market", _SAME), ("asset_kind", "assetKind", _SAME), ("source", "source", _SAME),
        ("last_updated_at", "lastUpdatedAt", _MS), ("hourly_funding_rate", "hourlyFundingRate", _SAME),
    )),
    _Shape("OrderEvent", "orders", True, "published_at", (
        ("id", "orderId", _SAME), ("account", "account", _SAME), ("market", "market", _SAME),
        ("side", "side", _SAME), ("type", "orderType", _SAME), ("size", "size", _SAME),
        ("remaining_size", "sizeOpen", _SAME), ("price", "price", _ZERO), ("status", "status", _SAME),
        ("created_at", "createdAt", _MS), ("last_updated_at", "updatedAt", _MS),
        ("client_id", "clientOrderId", _SAME), ("seq_no", "seq", _SAME), ("instruction", "timeInForce", _SAME),
        ("avg_fill_price", "avgFillPrice", _EMPTY), ("stp", "stp", _SAME), ("received_at", "receivedAt", _MS),
        ("published_at", "publishedAt", _MS), ("flags", "flags", _SAME), ("trigger_price", "triggerPrice", _ZERO),
        ("cancel_reason", "cancelReason", _SAME),
    ), _order_to, _order_from),
    _Shape("FillEvent", "fills", True, "created_at", (
        ("id", "fillId", _SAME), ("side", "side", _SAME), ("liquidity", "liquidity", _SAME),
        ("market", "market", _SAME), ("order_id", "orderId", _SAME), ("price", "price", _SAME),
        ("size", "size", _SAME), ("fee", "fee", _SAME), ("fee_currency", "feeCurrency", _SAME),
        ("created_at", "createdAt", _MS), ("client_id", "clientOrderId", _SAME), ("fill_type", "fillType", _SAME),
        ("realized_pnl", "realizedPnl", _ZERO), ("realized_funding", "realizedFunding", _SAME),
        ("account", "account", _SAME), ("underlying_price", "underlyingPrice", _SAME),
    ), _fill_to, _fill_from),
    _Shape("PositionEvent", "positions", False, "last_updated_at", (
        ("account", "account", _SAME), ("market", "market", _SAME), ("status", "status", _SAME),
        ("average_entry_price", "avgEntryPrice", _SAME), ("average_entry_price_usd", "avgEntryPriceUsd", _SAME),
        ("unrealized_pnl", "unrealizedPnl", _SAME), ("unrealized_funding_pnl", "unrealizedFundingPnl", _SAME),
        ("cost", "cost", _SAME), ("cost_usd", "costUsd", _SAME),
        ("cached_funding_index", "cachedFundingIndex", _SAME), ("last_fill_id", "lastFillId", _SAME),
        ("seq_no", "seq", _SAME), ("liquidation_price", "liquidationPrice", _EMPTY),
        ("leverage", "leverage", _SAME), ("realized_positional_pnl", "realizedPnl", _SAME),
        ("last_updated_at", "updatedAt", _MS),
    ), _position_to, _position_from),
    _Shape("AccountEvent", "account", False, "updated_at", (
        ("account", "account", _SAME), ("initial_margin_requirement", "initialMarginReq", _SAME),
        ("maintenance_margin_requirement", "maintenanceMarginReq", _SAME),
        ("account_value", "accountValue", _SAME), ("total_collateral", "totalCollateral", _SAME),
        ("free_collateral", "freeCollateral", _SAME), ("margin_cushion", "marginCushion", _SAME),
        ("settlement_asset", "settlementAsset", _SAME), ("updated_at", "updatedAt", _MS),
        ("status", "status", _SAME), ("seq_no", "seq", _SAME),
        ("last_seen_notification", "lastSeenNotification", _MS),
    )),
)
_BY_TEMPLATE = {shape.template: shape for shape in _SHAPES}
_BY_PREFIX = {shape.prefix: shape for shape in _SHAPES}
CHANNELS: tuple[str, ...] = tuple(shape.prefix for shape in _SHAPES)
_WITH_SEQ = frozenset(m.name for m in SCHEMA.messages if any(f.name == "seq" for f in m.fields))


def to_paradex_json(message: SbeMessage) -> tuple[str, Json] | None:
    """(channel, data) in Paradex's JSON vocabulary; None for messages no channel carries (heartbeats)."""
    shape = _BY_TEMPLATE.get(message.template)
    if shape is None:
        return None
    fields = message.fields
    data: Json = {}
    for json_name, sbe_name, conversion in shape.fields:
        if sbe_name not in fields:  # newer than the frame's layout
            continue
        value = fields[sbe_name]
        if value is None and conversion.omit_null:
            continue
        data[json_name] = conversion.to_json(value)
    if shape.to_extra is not None:
        shape.to_extra(fields, data)
    market = fields.get("market")
    channel = f"{shape.prefix}.{market}" if shape.per_market else shape.prefix
    return channel, data


def from_paradex_json(
    channel: str, data: Mapping[str, Any], version: int, *, ts: int | None = None, in_place_additions: bool = True,
) -> bytes:
    """The SBE frame a Paradex server negotiated at ``version`` sends for JSON ``data`` of ``channel``.

    ``ts`` is the frame's publish time in microseconds (JSON payloads do not carry it); by default the event's
    own time. For ``trades``, ``markets_summary`` and ``funding_data`` the frame's sequence comes from an
    optional ``seq_no`` key (0 without it). ``in_place_additions=False``: version 2 as first released (see
    ``encode``).
    """
    shape = _BY_PREFIX.get(channel.partition(".")[0])
    if shape is None:
        raise SbeEncodeError(f"channel {channel!r} has no SBE template")
    fields: dict[str, Any] = {}
    for json_name, sbe_name, conversion in shape.fields:
        if json_name in data:
            fields[sbe_name] = conversion.from_json(data[json_name])
    if shape.from_extra is not None:
        shape.from_extra(data, fields)
    if "market" not in fields and shape.per_market:
        fields["market"] = channel.partition(".")[2]
    # JSON trades, summaries and funding data carry no book sequence: an optional seq_no, else 0 as Paradex sends
    # for block trades and summaries.
    if "seq" not in fields and shape.template in _WITH_SEQ:
        fields["seq"] = int(data.get("seq_no") or 0)
    if ts is not None:
        fields["ts"] = ts
    elif "ts" not in fields:
        fields["ts"] = int(data[shape.time_key]) * 1000
    return encode(shape.template, fields, version, in_place_additions=in_place_additions)
