"""Paradex error code -> ccxt exception class: the one table the exchange's `exceptions` map is built from."""
from __future__ import annotations

from ccxt.base.errors import (
    BaseError,
    AccountNotEnabled,
    AccountSuspended,
    AuthenticationError,
    BadRequest,
    BadSymbol,
    DuplicateOrderId,
    ExchangeError,
    ExchangeNotAvailable,
    InsufficientFunds,
    InvalidNonce,
    InvalidOrder,
    MarketClosed,
    NetworkError,
    NotSupported,
    OnMaintenance,
    OperationRejected,
    OrderNotFound,
    PermissionDenied,
    RateLimitExceeded,
)


class TokenRejected(AuthenticationError):
    """The bearer JWT was refused (expired, revoked, malformed): log in again and retry once."""


class OrderOutcomeUnknown(NetworkError):
    """No answer from Paradex settled what a call did (the request or its answer was lost, and the look-ups that
    followed got no answer either). Orders carry client ids: look the order up by ``client_order_id`` (or cancel
    again: cancelling is safe to repeat) instead of placing it again under a new one."""

    def __init__(self, message: str, client_order_id: str | None = None) -> None:
        super().__init__(message)
        self.client_order_id = client_order_id


def with_paradex_error(error: BaseError, code: str | None, message: str | None,
                       http_status: int | None = None) -> BaseError:
    """Attach Paradex's own {error, message} and the HTTP status to a ccxt exception: callers report the former
    (batch entries) and `is_refusal` reads both."""
    error.paradex_error = {"error": code, "message": message}
    error.http_status = http_status
    return error


def never_sent(error: BaseError) -> BaseError:
    """Mark an error raised before a request left (a login that failed, a read-only token refused locally): the
    request changed nothing, like a refusal."""
    error.never_sent = True
    return error


def answered_no(error: BaseError) -> BaseError:
    """Mark an error Paradex answered on the WebSocket with a JSON-RPC error code other than "internal error": the
    request was read and refused, like a coded HTTP answer below 500."""
    error.answered_no = True
    return error


def is_refusal(error: BaseException) -> bool:
    """True when the request changed nothing: it was never sent (`never_sent`), or Paradex answered and said no, with
    an answer below 500 that carries a Paradex error code, or throttling (429, which the rate limiter answers before
    anything runs).

    On the WebSocket (`answered_no`): a JSON-RPC error with a code, except -32603 (internal error).

    Everything else leaves a request's effect unknown: no answer, a cut or unreadable answer, an answer without an
    error code (a proxy's), and any 5xx, coded or not (a gateway may fail after the order went through).
    """
    if getattr(error, "never_sent", False) or getattr(error, "answered_no", False):
        return True
    status = getattr(error, "http_status", None)
    if status == 429:
        return True
    code = (getattr(error, "paradex_error", None) or {}).get("error")
    return code is not None and status is not None and status < 500


def paradex_error(error: BaseException) -> dict:
    """The {error, message} Paradex answered with, or the exception's text when no Paradex body was behind it."""
    return getattr(error, "paradex_error", None) or {"error": None, "message": str(error)}


EXACT: dict[str, type[BaseError]] = {
    # request shape and parameters
    "VALIDATION_ERROR": BadRequest,
    "BINDING_ERROR": BadRequest,
    "INVALID_REQUEST_PARAMETER": BadRequest,
    "NOT_FOUND": BadRequest,
    "NOT_UNIQUE": BadRequest,
    "BATCH_SIZE_OUT_OF_RANGE": InvalidOrder,
    # orders
    "ORDER_ID_NOT_FOUND": OrderNotFound,
    "CLIENT_ORDER_ID_NOT_FOUND": OrderNotFound,
    "ORDER_IS_CLOSED": OrderNotFound,
    "ORDER_IS_NOT_OPEN": OrderNotFound,
    "ORDER_IS_NOT_OPEN_YET": OrderNotFound,
    "ALGO_ID_NOT_FOUND": OrderNotFound,
    "INVALID_ORDER_SIZE": InvalidOrder,
    "INVALID_PRICE_PRECISION": InvalidOrder,
    "DUPLICATED_CLIENT_ID": DuplicateOrderId,
    "INVALID_ORDER_SIGNATURE": AuthenticationError,
    # order risk outcomes Paradex reports as cancel reasons; mapped for when they arrive as error codes
    "NOT_ENOUGH_MARGIN": InsufficientFunds,
    "ORDER_EXCEEDS_POSITION_LIMIT": InvalidOrder,
    "INSUFFICIENT_MIN_CHAIN_BALANCE": InsufficientFunds,
    "INSUFFICIENT_EVM_BALANCE": InsufficientFunds,
    "INSUFFICIENT_TRANSFERRABLE_XP": InsufficientFunds,
    # markets
    "INVALID_SYMBOL": BadSymbol,
    "MARKET_NOT_FOUND": BadSymbol,
    "MARKET_NOT_OPEN": MarketClosed,  # the symbol exists: BadSymbol would make bots drop the pair
    "NO_ACCESS_TO_MARKET": PermissionDenied,
    "MARKET_MARGIN_RESTRICTED": PermissionDenied,
    "ISOLATED_MARKET_ACCOUNT_MISMATCH": InvalidOrder,
    "RPI_ACCOUNT_NOT_WHITELISTED": PermissionDenied,
    # tokens, signatures, keys
    "INVALID_TOKEN": TokenRejected,
    "UNAUTHORIZED_ERROR": AuthenticationError,
    "INVALID_TOKEN_SCOPE": PermissionDenied,
    "TOKEN_LIMIT_REACHED": OperationRejected,
    "INVALID_STARKNET_SIGNATURE": AuthenticationError,
    "STARKNET_SIGNATURE_VERIFICATION_FAILED": AuthenticationError,
    "INVALID_STARKNET_ADDRESS": AuthenticationError,
    "INVALID_ETHEREUM_ADDRESS": AuthenticationError,
    "INVALID_ETHEREUM_SIGNATURE": AuthenticationError,
    "ETHEREUM_SIGNER_MISMATCH": AuthenticationError,
    "ETHEREUM_HASH_MISMATCH": AuthenticationError,
    "INVALID_EVM_SIGNATURE": AuthenticationError,
    "EVM_SIGNATURE_VERIFICATION_FAILED": AuthenticationError,
    "PUBLIC_KEY_INVALID": AuthenticationError,
    "INVALID_SUBKEY": AuthenticationError,
    "SUBKEY_NOT_ACTIVATABLE": OperationRejected,
    "INVALID_TIMESTAMP": InvalidNonce,
    "INVALID_SIGNATURE_EXPIRATION": InvalidNonce,
    "INVALID_BLOCK_EXPIRATION": InvalidNonce,
    "INVALID_DERIVATION_PATH": AuthenticationError,
    "INVALID_CHAIN": BadRequest,
    # accounts and onboarding
    "NOT_ONBOARDED": AccountNotEnabled,
    "ACCOUNT_NOT_FOUND": AuthenticationError,
    "IP_NOT_ALLOWED": PermissionDenied,
    "GEO_IP_BLOCK": PermissionDenied,
    "ETHEREUM_ADDRESS_BLOCKED": AccountSuspended,
    "UNAUTHORIZED_ETHEREUM_ADDRESS": PermissionDenied,
    "REQUEST_NOT_ALLOWED": PermissionDenied,
    "ETHEREUM_ADDRESS_ALREADY_ONBOARDED": OperationRejected,
    "EVM_ADDRESS_ALREADY_ONBOARDED": OperationRejected,
    "PARENT_ADDRESS_ALREADY_ONBOARDED": OperationRejected,
    "INVALID_PARENT_ACCOUNT": BadRequest,
    "ONBOARDING_PERIOD_EXPIRED": OperationRejected,
    "ONBOARDING_RATE_LIMITED": RateLimitExceeded,
    "SUBACCOUNTS_LIMIT_EXCEEDED": OperationRejected,
    "PORTFOLIO_MARGIN_ONBOARDING_DISABLED": NotSupported,
    "PORTFOLIO_MARGIN_INVALID_ACCOUNT_KIND": BadRequest,
    "PORTFOLIO_MARGIN_CONFIG_NOT_FOUND": BadRequest,
    "INVALID_REFERRAL_CODE": BadRequest,
    "INVALID_MARKETING_CODE": BadRequest,
    "ACCOUNT_ALREADY_REFERRED": OperationRejected,
    "USERNAME_IN_USE": BadRequest,
    "SOCIAL_USERNAME_IN_USE": BadRequest,
    "MEDIA_NOT_FOUND": BadRequest,
    "ALLOWLIST_ENTRY_NOT_FOUND": BadRequest,
    "INVALID_OAUTH_REQUEST": BadRequest,
    "INVALID_DASHBOARD": BadRequest,
    "POINTS_SUMMARY_NOT_FOUND": BadRequest,
    "PROFILE_STATS_NOT_FOUND": BadRequest,
    "PROGRAM_NOT_FOUND": BadRequest,
    "PROGRAM_NOT_SUPPORTED": NotSupported,
    # venue state
    "SYSTEM_STATUS_CANCEL_ONLY": OnMaintenance,
    "SYSTEM_STATUS_POST_ONLY": OnMaintenance,
    "SERVICE_UNAVAILABLE": ExchangeNotAvailable,
    "INTERNAL_ERROR": ExchangeNotAvailable,
    # vaults, transfers, bridges
    "INVALID_VAULT_OPERATOR_CHAIN": BadRequest,
    "VAULT_OPERATOR_ALREADY_ONBOARDED": OperationRejected,
    "VAULT_NAME_IN_USE": BadRequest,
    "VAULT_NOT_FOUND": BadRequest,
    "VAULT_STRATEGY_NOT_FOUND": BadRequest,
    "VAULT_LIMIT_REACHED": OperationRejected,
    "INVALID_LAYERSWAP_SWAP": BadRequest,
    "INVALID_RHINOFI_REQUEST": BadRequest,
    "INVALID_RHINOFI_QUOTE": BadRequest,
    "INVALID_RHINOFI_QUOTE_COMMIT": BadRequest,
    "TRANSFER_LIMIT_REACHED": OperationRejected,
    "XP_TRANSFERS_DISABLED": OperationRejected,
    # block trades and offers
    "BLOCK_TRADE_NOT_FOUND": BadRequest,
    "BLOCK_TRADE_NOT_ENABLED": PermissionDenied,
    "BLOCK_TRADE_EXPIRED": OperationRejected,
    "BLOCK_TRADE_ALREADY_CANCELLED": OperationRejected,
    "BLOCK_TRADE_INVALID_STATUS": OperationRejected,
    "BLOCK_TRADE_UNAUTHORIZED": PermissionDenied,
    "BLOCK_TRADE_MISSING_TRADES": BadRequest,
    "BLOCK_TRADE_MISSING_SIGNERS": BadRequest,
    "BLOCK_TRADE_MISSING_SIGNATURE": BadRequest,
    "BLOCK_TRADE_ACCOUNT_MISMATCH": BadRequest,
    "BLOCK_TRADE_INVALID_SIGNATURE": AuthenticationError,
    "BLOCK_TRADE_SIGNER_KEY_UNAUTHORIZED": PermissionDenied,
    "OFFER_NOT_FOUND": BadRequest,
    "OFFER_ALREADY_CANCELLED": OperationRejected,
    "OFFER_INVALID_STATUS": OperationRejected,
    "OFFER_UNAUTHORIZED": PermissionDenied,
    "OFFER_PARENT_MISMATCH": BadRequest,
    "OFFER_PARENT_NOT_ACCEPTING": OperationRejected,
    # WebSocket JSON-RPC codes, for messages relayed from a socket
    "-32700": BadRequest,
    "-32600": BadRequest,
    "-32601": BadRequest,
    "-32602": BadRequest,
    "-32603": ExchangeError,
    "100": BadRequest,
    "40110": AuthenticationError,
    "40111": TokenRejected,
    "40112": PermissionDenied,
}

# Texts seen in bodies that carry no error code (gateway answers, proxies).
BROAD: dict[str, type[BaseError]] = {
    "missing or malformed jwt": TokenRejected,
    "invalid or expired jwt": TokenRejected,
    "rate limit": RateLimitExceeded,
}
