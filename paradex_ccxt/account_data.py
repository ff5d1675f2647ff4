"""Account reads in ccxt shapes: balance, positions, leverage and margin mode, trading fees, funding payments, fills."""
from __future__ import annotations

from typing import Any

from ccxt.base.errors import ArgumentsRequired, BadRequest
from ccxt.base.precise import Precise

from .market_data import FUNDING_PAGE_MAX, TRADES_PAGE_MAX
from .markets import market_fees
from .mixin_base import ExchangeBase
from .pagination import collect_pages, time_range

MARGIN_TYPES = {"cross": "CROSS", "isolated": "ISOLATED"}


class AccountDataMixin(ExchangeBase):
    # -- balance ------------------------------------------------------------------------------------------------

    async def fetch_balance(self, params: dict | None = None) -> dict:
        """Balance of the Paradex account (GET /balance and GET /account).

        Paradex holds one collateral, USDC (the account's `settlement_asset`), and margins everything in USD:
          - `total` = `account_value` (collateral including unrealised PnL),
          - `free`  = `free_collateral` (what new orders can use),
          - `used`  = `total - free` (the initial margin of positions and open orders).
        Any other token Paradex lists in /balance is reported with its `size` as total.

        USD for USD-quoted bots: every Paradex market is quoted in USD (e.g. `BTC/USD:USDC`), so a bot whose stake
        currency is the quote (freqtrade with `"stake_currency": "USD"`) looks its money up under `USD`. With
        `options['balanceUsdAlias'] = True` the same collateral is also reported under `USD` (identical numbers, one
        pool of money: never add the two). Off by default, the account holding no USD; paradex_ccxt.freqtrade
        turns it on.
        """
        params = params or {}
        balances = await self.privateGetBalance(params)
        account = await self.privateGetAccount()
        return self.parse_balance({"balance": balances, "account": account})

    # Paradex's answer: GET /account and GET /balance, as fetch_balance hands them over:
    # {"account": {"account": "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32", "account_value":
    #     "10498.87712341", "free_collateral": "8211.40118831", "initial_margin_requirement": "2287.4759351",
    #     "maintenance_margin_requirement": "1143.73796755", "margin_cushion": "9355.13915586", "seq_no":
    #     1795310000123000123, "settlement_asset": "USDC", "status": "ACTIVE", "total_collateral": "10543.21098761",
    #     "updated_at": 1795310000000}, "balance": {"results": [{"token": "USDC", "size": "10543.21098761",
    #     "last_updated_at": 1795309993000}]}}
    def parse_balance(self, response: dict) -> dict:
        account = self.safe_dict(response, "account", {})
        rows = self.safe_list(self.safe_dict(response, "balance", {}), "results", [])
        settlement = self.safe_string(account, "settlement_asset", "USDC")
        timestamp = self.safe_integer(account, "updated_at")
        result: dict[str, Any] = {"info": response, "timestamp": timestamp, "datetime": self.iso8601(timestamp)}
        for row in rows:
            token = self.safe_string(row, "token")
            if token is not None and token != settlement:
                result[self.safe_currency_code(token)] = {"total": self.safe_string(row, "size")}
        collateral = {
            "free": self.safe_string(account, "free_collateral"),
            "total": self.safe_string(account, "account_value"),
        }
        result[self.safe_currency_code(settlement)] = collateral
        if self.safe_bool(self.options, "balanceUsdAlias", False) and "USD" not in result:
            result["USD"] = dict(collateral)
        return self.safe_balance(result)

    # -- positions ----------------------------------------------------------------------------------------------

    async def fetch_positions(self, symbols: list[str] | None = None, params: dict | None = None) -> list[dict]:
        """Open positions (GET /positions, CLOSED ones dropped), with markPrice and notional at the mark price from
        GET /markets/summary, and marginMode from the account's margin configuration (GET /account/margin, cached
        per market until set_leverage / set_margin_mode / fetch_leverage / fetch_margin_mode refresh it).

        A cross position is backed by the whole account: its `collateral` is the account value and its
        `marginRatio` the account's maintenance requirement over that value (GET /account), which is the ratio
        Paradex liquidates on. `maintenanceMargin` is the position's own share: its notional times the market's
        maintenance margin fraction (Paradex's cross-margin formula, without the fee provision). An isolated
        position's collateral is not in the account's figures: None."""
        await self.load_markets()
        symbols = self.market_symbols(symbols)
        response = await self.privateGetPositions(params or {})
        rows = []
        for row in self.safe_list(response, "results", []):
            market = self.safe_market(self.safe_string(row, "market"))
            if self.safe_string(row, "status") != "OPEN" or (symbols is not None and market["symbol"] not in symbols):
                continue
            rows.append((row, market))
        if not rows:
            return []
        marks = await self._mark_prices([market["id"] for _, market in rows])
        # The account's figures (GET /account) are what a cross position's collateral and margin ratio are.
        account = await self.privateGetAccount()
        positions = []
        for row, market in rows:
            config = await self._margin_config(market)
            positions.append(self._position(row, market, marks.get(market["id"]), config, account))
        return positions

    async def fetch_position(self, symbol: str, params: dict | None = None) -> dict:
        """The open position in `symbol`, or a flat one (contracts 0) when there is none."""
        await self.load_markets()
        market = self.market(symbol)
        positions = await self.fetch_positions([market["symbol"]], params)
        if positions:
            return positions[0]
        flat = self._position({"market": market["id"], "size": "0"}, market, None, {}, {})
        flat["info"] = {}
        return flat

    # Paradex's answer: an entry of GET /positions:
    # {"id": "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32-BTC-USD-PERP", "account":
    #     "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32", "market": "BTC-USD-PERP", "status":
    #     "OPEN", "side": "LONG", "size": "0.25", "average_entry_price": "90012.4", "average_entry_price_usd":
    #     "90012.4", "average_exit_price": "", "cost": "22503.1", "cost_usd": "22503.1", "unrealized_pnl":
    #     "308.13457530", "unrealized_funding_pnl": "-0.0952", "realized_positional_pnl": "0",
    #     "realized_positional_funding_pnl": "0", "liquidation_price": "51234.5", "leverage": "10",
    #     "cached_funding_index": "20511.93608234", "last_fill_id": "1795223600000201703986670001", "created_at":
    #     1795223600000, "closed_at": 0, "last_updated_at": 1795309940000, "seq_no": 1795309940000176253}
    def parse_position(self, position: dict, market: dict | None = None) -> dict:
        return self._position(position, self.safe_market(self.safe_string(position, "market"), market), None, {},
                              {})

    def _position(self, position: dict, market: dict, mark: str | None, config: dict, account: dict) -> dict:
        contracts = Precise.string_abs(self.safe_string(position, "size"))
        notional = None
        if contracts is not None and mark is not None:
            size = Precise.string_mul(contracts, self.number_to_string(market["contractSize"]))
            notional = Precise.string_mul(size, mark)
        elif self.safe_string(position, "cost_usd") is not None:
            # Without a mark price (a position parsed on its own) the best value at hand is what it cost.
            notional = Precise.string_abs(self.safe_string(position, "cost_usd"))
        leverage = self.safe_string(position, "leverage")
        if leverage is None:
            leverage = self.safe_string(config, "leverage")
        pnl = self.safe_string(position, "unrealized_pnl")
        # The leverage setting is what sets the initial margin fraction (1 / leverage) of the position.
        initial_margin = None
        percentage = None
        if notional is not None and leverage is not None and Precise.string_gt(leverage, "0"):
            initial_margin = Precise.string_div(notional, leverage)
            if pnl is not None and Precise.string_gt(initial_margin, "0"):
                percentage = Precise.string_mul(Precise.string_div(pnl, initial_margin), "100")
        maintenance_fraction = self._maintenance_margin_fraction(market, notional)
        maintenance_margin = Precise.string_mul(notional, maintenance_fraction) if maintenance_fraction else None
        margin_mode = self.safe_string_lower(config, "margin_type")
        collateral = None
        margin_ratio = None
        if margin_mode != "isolated":
            collateral = self.safe_string(account, "account_value")
            account_mmr = self.safe_string(account, "maintenance_margin_requirement")
            if collateral is not None and account_mmr is not None and Precise.string_gt(collateral, "0"):
                margin_ratio = Precise.string_div(account_mmr, collateral)
        timestamp = self.safe_integer(position, "created_at")
        # Paradex writes "" (or "0") when no liquidation price applies.
        liquidation_price = self.parse_number(self.omit_zero(self.safe_string(position, "liquidation_price")))
        unified = self.safe_position({
            "info": position,
            "id": self.safe_string(position, "id"),
            "symbol": market["symbol"],
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "lastUpdateTimestamp": self.safe_integer(position, "last_updated_at"),
            "side": self.safe_string_lower(position, "side"),
            "contracts": self.parse_number(contracts),
            "contractSize": market["contractSize"],
            "entryPrice": self.safe_number(position, "average_entry_price"),
            "markPrice": self.parse_number(mark),
            "lastPrice": None,
            "notional": self.parse_number(notional),
            "leverage": self.parse_number(leverage),
            "collateral": self.parse_number(collateral),
            "initialMargin": self.parse_number(initial_margin),
            "initialMarginPercentage": self.parse_number(Precise.string_div("1", leverage)) if initial_margin else None,
            "maintenanceMargin": self.parse_number(maintenance_margin),
            "maintenanceMarginPercentage": self.parse_number(maintenance_fraction),
            # unrealized_pnl already includes the unrealised funding (unrealized_funding_pnl).
            "unrealizedPnl": self.parse_number(pnl),
            "realizedPnl": self.safe_number(position, "realized_positional_pnl"),
            "percentage": self.parse_number(percentage),
            "liquidationPrice": liquidation_price,
            "marginMode": margin_mode,
            "marginRatio": self.parse_number(margin_ratio),
            "hedged": False,
            "stopLossPrice": None,
            "takeProfitPrice": None,
        })
        # ccxt estimates an isolated position's liquidation price from its margins; Paradex's own (or none) stands.
        unified["liquidationPrice"] = liquidation_price
        return unified

    def _maintenance_margin_fraction(self, market: dict, notional: str | None) -> str | None:
        """Paradex's cross-margin MMF of a futures position: mmf_factor x the position's IMF, where the IMF is
        max(imf_base, imf_factor x sqrt(max(notional - imf_shift, 0))). Options margin by another formula: None."""
        params = self.safe_dict(market["info"], "delta1_cross_margin_params")
        if notional is None or not params or market["type"] == "option":
            return None
        imf_base = self.safe_string(params, "imf_base")
        mmf_factor = self.safe_string(params, "mmf_factor")
        if imf_base is None or mmf_factor is None:
            return None
        excess = Precise.string_max(Precise.string_sub(notional, self.safe_string(params, "imf_shift", "0")), "0")
        # Precise has no square root; the float's precision is far beyond a margin fraction's.
        grown = Precise.string_mul(self.safe_string(params, "imf_factor", "0"), self.number_to_string(
            float(excess) ** 0.5))
        return Precise.string_mul(mmf_factor, Precise.string_max(imf_base, grown))

    async def _mark_prices(self, market_ids: list[str]) -> dict[str, str]:
        if not market_ids:
            return {}
        target = market_ids[0] if len(set(market_ids)) == 1 else "ALL"
        response = await self.publicGetMarketsSummary({"market": target})
        marks = {}
        for summary in self.safe_list(response, "results", []):
            mark = self.safe_string(summary, "mark_price")
            if mark is not None:
                marks[self.safe_string(summary, "symbol")] = mark
        return marks

    # -- leverage and margin mode -------------------------------------------------------------------------------

    async def _margin_config(self, market: dict, refresh: bool = False, params: dict | None = None) -> dict:
        """The account's {market, leverage, margin_type, ...} entry for a market (GET /account/margin)."""
        cache = self.margin_configs
        if refresh or market["id"] not in cache:
            response = await self.privateGetAccountMargin(self.extend({"market": market["id"]}, params or {}))
            configs = self.safe_list(response, "configs", [])
            entry = next((c for c in configs if self.safe_string(c, "market") == market["id"]), None)
            cache[market["id"]] = entry if entry is not None else {}
        return cache[market["id"]]

    async def fetch_leverage(self, symbol: str, params: dict | None = None) -> dict:
        await self.load_markets()
        market = self.market(symbol)
        return self.parse_leverage(await self._margin_config(market, True, params), market)

    # Paradex's answer: an entry of GET /account/margin `configs` (POST /account/margin/{market} answers the same
    # shape with `account`):
    # {"market": "BTC-USD-PERP", "leverage": 10, "margin_type": "CROSS"}
    def parse_leverage(self, leverage: dict, market: dict | None = None) -> dict:
        market = self.safe_market(self.safe_string(leverage, "market"), market)
        value = self.safe_integer(leverage, "leverage")
        return {
            "info": leverage,
            "symbol": market["symbol"],
            "marginMode": self.safe_string_lower(leverage, "margin_type"),
            "longLeverage": value,
            "shortLeverage": value,
        }

    async def set_leverage(self, leverage: int, symbol: str | None = None, params: dict | None = None) -> dict:
        """POST /account/margin/{market} with a whole-number leverage between 1 and the market's maximum.

        Paradex sets leverage and margin type together: the margin type stays what it is now unless
        params['marginMode'] ('cross' / 'isolated') says otherwise. Returns Paradex's answer.
        """
        if symbol is None:
            raise ArgumentsRequired(self.id + " setLeverage() requires a symbol: Paradex leverage is per market")
        await self.load_markets()
        market = self.market(symbol)
        value = self._checked_leverage(leverage, market)
        mode, params = self.handle_margin_mode_and_params("setLeverage", params or {})
        if mode is None:
            mode = self.safe_string_lower(await self._margin_config(market), "margin_type", "cross")
        return await self._post_margin_config(market, value, mode, params)

    async def fetch_margin_mode(self, symbol: str, params: dict | None = None) -> dict:
        await self.load_markets()
        market = self.market(symbol)
        return self.parse_margin_mode(await self._margin_config(market, True, params), market)

    # Paradex's answer: POST /account/margin/{market} (GET /account/margin `configs` entries lack `account`):
    # {"account": "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32", "leverage": 15, "margin_type":
    #     "ISOLATED", "market": "SOL-USD-PERP"}
    def parse_margin_mode(self, margin_mode: dict, market: dict | None = None) -> dict:
        market = self.safe_market(self.safe_string(margin_mode, "market"), market)
        return {
            "info": margin_mode,
            "symbol": market["symbol"],
            "marginMode": self.safe_string_lower(margin_mode, "margin_type"),
        }

    async def set_margin_mode(self, marginMode: str, symbol: str | None = None, params: dict | None = None) -> dict:
        """POST /account/margin/{market}: 'cross' or 'isolated'. Paradex wants the leverage in the same request:
        params['leverage'] if given, else the market's current leverage, else its maximum."""
        if symbol is None:
            raise ArgumentsRequired(self.id + " setMarginMode() requires a symbol: Paradex margin mode is per market")
        await self.load_markets()
        market = self.market(symbol)
        params = params or {}
        leverage = self.safe_integer(params, "leverage")
        if leverage is None:
            leverage = self.safe_integer(await self._margin_config(market), "leverage")
        if leverage is None:
            leverage = self.safe_integer(market["limits"]["leverage"], "max")
        if leverage is None:
            raise ArgumentsRequired(self.id + " setMarginMode() needs params['leverage'] for " + market["symbol"])
        return await self._post_margin_config(market, self._checked_leverage(leverage, market), marginMode,
                                              self.omit(params, ["leverage"]))

    async def _post_margin_config(self, market: dict, leverage: int, margin_mode: str, params: dict) -> dict:
        margin_type = MARGIN_TYPES.get(str(margin_mode).lower())
        if margin_type is None:
            raise BadRequest(self.id + " marginMode must be 'cross' or 'isolated', not " + str(margin_mode))
        request = {"market": market["id"], "leverage": leverage, "margin_type": margin_type}
        response = await self.privatePostAccountMarginMarket(self.extend(request, params))
        self.margin_configs[market["id"]] = {"market": market["id"], "leverage": leverage, "margin_type": margin_type,
                                              **(response if isinstance(response, dict) else {})}
        return response

    def _checked_leverage(self, leverage: Any, market: dict) -> int:
        maximum = self.safe_integer(market["limits"]["leverage"], "max")
        as_string = self.number_to_string(leverage)
        if as_string is None or not Precise.string_eq(as_string, Precise.string_div(as_string, "1", 0)):
            raise BadRequest(self.id + " leverage must be a whole number, got " + str(leverage))
        value = int(Precise.string_div(as_string, "1", 0))
        if value < 1 or (maximum is not None and value > maximum):
            raise BadRequest(self.id + " leverage for " + market["symbol"] + " must be between 1 and "
                             + str(maximum) + ", got " + str(leverage))
        return value

    # -- trading fees -------------------------------------------------------------------------------------------

    async def fetch_trading_fees(self, params: dict | None = None) -> dict:
        """The API order-flow maker/taker rates of every market (fee_config in GET /markets)."""
        await self.load_markets()
        response = await self.publicGetMarkets(params or {})
        fees = {}
        for row in self.safe_list(response, "results", []):
            if self.safe_string(row, "symbol") in self.markets_by_id:
                fee = self.parse_trading_fee(row)
                fees[fee["symbol"]] = fee
        return fees

    async def fetch_trading_fee(self, symbol: str, params: dict | None = None) -> dict:
        await self.load_markets()
        market = self.market(symbol)
        response = await self.publicGetMarkets(self.extend({"market": market["id"]}, params or {}))
        rows = self.safe_list(response, "results", [])
        return self.parse_trading_fee(rows[0] if rows else market["info"], market)

    # Paradex's answer: the fee_config of a GET /markets entry (other fields as in parse_market):
    # {"symbol": "SOL-USD-PERP", "fee_config": {"api_fee": {"maker_fee": {"fee": "-0.00005", "fee_cap": "0.125",
    #     "fee_floor": "-0.125"}, "taker_fee": {"fee": "0.0002", "fee_cap": "0.125", "fee_floor": "-0.125"}}}}
    def parse_trading_fee(self, fee: dict, market: dict | None = None) -> dict:
        market = self.safe_market(self.safe_string(fee, "symbol"), market)
        maker, taker = market_fees(self, fee, market["type"])
        return {"info": fee, "symbol": market["symbol"], "maker": maker, "taker": taker, "percentage": True,
                "tierBased": False}

    # -- funding payments ---------------------------------------------------------------------------------------

    async def fetch_funding_history(self, symbol: str | None = None, since: int | None = None,
                                    limit: int | None = None, params: dict | None = None) -> list[dict]:
        """Funding paid (negative) or received (positive) in USDC, GET /funding/payments (per market), all pages."""
        if symbol is None:
            raise ArgumentsRequired(self.id + " fetchFundingHistory() requires a symbol (per-market payments)")
        await self.load_markets()
        market = self.market(symbol)
        request, params = time_range(self, {"market": market["id"]}, since, params)
        rows = await collect_pages(lambda r: self.privateGetFundingPayments(self.extend(r, params)), request, since,
                                   limit, FUNDING_PAGE_MAX)
        payments = [self.parse_income(row, market) for row in rows]
        return self.filter_by_since_limit(self.sort_by(payments, "timestamp"), since, limit)

    # Paradex's answer: an entry of GET /funding/payments:
    # {"account": "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32", "created_at": 1795306400000,
    #     "fill_id": "", "id": "1795306400000101699352320003", "index": "20513.16608234", "market": "BTC-USD-PERP",
    #     "payment": "-0.10254"}
    def parse_income(self, income: dict, market: dict | None = None) -> dict:
        market = self.safe_market(self.safe_string(income, "market"), market)
        timestamp = self.safe_integer(income, "created_at")
        return {
            "info": income,
            "symbol": market["symbol"],
            "code": market["settle"],
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "id": self.safe_string(income, "id"),
            "amount": self.safe_number(income, "payment"),
        }

    # -- fills --------------------------------------------------------------------------------------------------

    async def fetch_my_trades(self, symbol: str | None = None, since: int | None = None, limit: int | None = None,
                              params: dict | None = None) -> list[dict]:
        """The account's fills (GET /fills), all pages: order id, maker/taker, fee in USDC; params['until']."""
        await self.load_markets()
        market = self.market(symbol) if symbol is not None else None
        request, params = time_range(self, {"market": market["id"]} if market is not None else {}, since, params)
        rows = await collect_pages(lambda r: self.privateGetFills(self.extend(r, params)), request, since, limit,
                                   TRADES_PAGE_MAX)
        return self.parse_trades(rows, market, since, limit)
