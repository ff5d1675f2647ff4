"""Paradex-shaped JSON channel payloads, one per SBE template, for the JSON <-> SBE tests.

The order is Paradex's own (reference payload mcp-paradex-py-filled-reduce-only-limit, tests/data/mcp-paradex-py.json);
the others follow the field lists of Paradex's AsyncAPI channel payloads with values of the captured frames' size.
"""
from __future__ import annotations

ACCOUNT = "0x162a0685d33c626ee6768d309d5bae76d22967ff6f560ff8eb726ee1bef5778"

TRADE = {
    "id": "1791421923324000100000000042",
    "market": "BTC-USD-PERP",
    "side": "SELL",
    "size": "0.015",
    "price": "83422.7",
    "created_at": 1791421923324,
    "trade_type": "FILL",
}
BBO = {
    "market": "BTC-USD-PERP",
    "seq_no": 7687292570,
    "bid": "83422.7",
    "bid_size": "0.00015",
    "ask": "83452.9",
    "ask_size": "0.00031",
    "last_updated_at": 1791421923325,
}
BOOK_SNAPSHOT = {
    "seq_no": 7687289234,
    "market": "BTC-USD-PERP",
    "last_updated_at": 1791421535932,
    "update_type": "s",
    "inserts": [
        {"side": "BUY", "price": "83422.7", "size": "0.0012"},
        {"side": "BUY", "price": "83410", "size": "0.5"},
        {"side": "SELL", "price": "83452.9", "size": "0.00031"},
    ],
    "updates": [],
    "deletes": [],
}
BOOK_DELTA = {
    "seq_no": 7687289235,
    "market": "BTC-USD-PERP",
    "last_updated_at": 1791421535936,
    "update_type": "d",
    "inserts": [],
    "updates": [{"side": "BUY", "price": "83412.2", "size": "0.00019"}],
    "deletes": [{"side": "SELL", "price": "83452.9", "size": "0"}],
}
MARKETS_SUMMARY = {
    "symbol": "ETH-USD-PERP",
    "mark_price": "2662.8925496",
    "last_traded_price": "2662.9",
    "bid": "2662.8",
    "bid_size": "1.25",
    "ask": "2663",
    "ask_size": "0.4",
    "volume_24h": "154872311.52",
    "total_volume": "92233720368.54775807",
    "created_at": 1790187959761,
    "underlying_price": "2661.47",
    "open_interest": "18211.874",
    "funding_rate": "0.000443605046",
    "price_change_rate_24h": "-0.012801",
}
FUNDING_DATA = {
    "market": "BTC-USD-PERP",
    "funding_index": "-1033.42155",
    "funding_premium": "-0.7125",
    "funding_rate": "-0.00000855",
    "funding_rate_8h": "-0.0000684",
    "funding_period_hours": 8,
    "created_at": 1791421923000,
    "impact_premium_rate": "0.00001",
}
FUNDING_RATE_COMPARISON = {
    "symbol": "BTC-USD-PERP",
    "asset_kind": "PERPETUAL_FUTURE",
    "source": "BINANCE",
    "last_updated_at": 1791421920000,
    "hourly_funding_rate": "0.000001234567",
}
ORDER = {
    "id": "1741844800770201709190650000",
    "account": ACCOUNT,
    "market": "BTC-USD-PERP",
    "side": "SELL",
    "type": "LIMIT",
    "size": "0.002",
    "remaining_size": "0",
    "price": "83170",
    "status": "CLOSED",
    "created_at": 1741844800770,
    "last_updated_at": 1741844825512,
    "timestamp": 1741844800770,
    "cancel_reason": "",
    "client_id": "",
    "seq_no": 1741844825512593648,
    "instruction": "GTC",
    "avg_fill_price": "83170",
    "stp": "EXPIRE_TAKER",
    "received_at": 1741935870847,
    "published_at": 1741935870902,
    "flags": ["REDUCE_ONLY"],
    "trigger_price": "0",
}
FILL = {
    "id": "1741844825512201709190660000",
    "side": "SELL",
    "liquidity": "MAKER",
    "market": "BTC-USD-PERP",
    "order_id": "1741844800770201709190650000",
    "price": "83170",
    "size": "0.002",
    "fee": "-0.0083",
    "fee_currency": "USDC",
    "created_at": 1741844825512,
    "client_id": "pccxt-5f1c",
    "fill_type": "FILL",
    "realized_pnl": "1.204",
    "realized_funding": "-0.00012",
    "account": ACCOUNT,
    "underlying_price": "83161.5",
    "flags": ["rpi"],
    "orderbook_seq_no": 7687289240,
}
POSITION = {
    "id": f"{ACCOUNT}-BTC-USD-PERP",
    "account": ACCOUNT,
    "market": "BTC-USD-PERP",
    "status": "OPEN",
    "side": "SHORT",
    "size": "-0.002",
    "average_entry_price": "83170",
    "average_entry_price_usd": "83170",
    "unrealized_pnl": "0.017",
    "unrealized_funding_pnl": "-0.00003",
    "cost": "-166.34",
    "cost_usd": "-166.34",
    "cached_funding_index": "-1033.42155",
    "last_fill_id": "1741844825512201709190660000",
    "seq_no": 1741844825512593650,
    "liquidation_price": "",
    "leverage": "20",
    "realized_positional_pnl": "0",
    "last_updated_at": 1741844825512,
}
ACCOUNT_SUMMARY = {
    "account": ACCOUNT,
    "initial_margin_requirement": "8.317",
    "maintenance_margin_requirement": "4.1585",
    "account_value": "100001.204",
    "total_collateral": "100001.187",
    "free_collateral": "99992.887",
    "margin_cushion": "99997.0455",
    "settlement_asset": "USDC",
    "updated_at": 1741844825512,
    "status": "ACTIVE",
    "seq_no": 1741844825512593651,
    "last_seen_notification": 1741844000000,
}

# channel -> payload
CHANNEL_SAMPLES = {
    "trades.BTC-USD-PERP": TRADE,
    "bbo.BTC-USD-PERP": BBO,
    "order_book.BTC-USD-PERP": BOOK_SNAPSHOT,
    "markets_summary": MARKETS_SUMMARY,
    "funding_data": FUNDING_DATA,
    "funding_rate_comparison": FUNDING_RATE_COMPARISON,
    "orders.BTC-USD-PERP": ORDER,
    "fills.BTC-USD-PERP": FILL,
    "positions": POSITION,
    "account": ACCOUNT_SUMMARY,
}
