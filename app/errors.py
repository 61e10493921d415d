"""The domain error tree: facts about what went wrong, with no HTTP in them.

A leaf module: it imports nothing from `app`, so the pure domain may raise these too.
`app.api.problems` maps each class to an RFC 9457 problem by its `code`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One broken rule, located by the camelCase path of the member that broke it."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error a client can cause. `code` is the stable machine word."""

    code = "domain_error"
    title = "The request breaks a rule of the hub"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors: list[FieldError] = errors or []

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer must carry (a challenge, a wait, the current ETag)."""
        return {}

    def members(self) -> dict[str, str]:
        """Members the problem document carries beyond RFC 9457's (OAuth2's `error`)."""
        return {}


class NotFound(DomainError):
    code = "not_found"
    title = "No such resource"


class DossierNotFound(NotFound):
    code = "dossier_not_found"
    title = "No such dossier"

    def __init__(self, code: str) -> None:
        super().__init__(f"There is no dossier with code {code!r}.")


class Conflict(DomainError):
    code = "conflict"
    title = "The request conflicts with the dossier's state"


class InvalidStatusTransition(Conflict):
    code = "invalid_transition"
    title = "That status change is not allowed"

    def __init__(self, current: str, requested: str, *, how: str) -> None:
        super().__init__(
            f"A dossier in status {current!r} cannot move to {requested!r} by {how}.",
            errors=[FieldError("status", f"not allowed from {current!r}")],
        )
        self.current = current
        self.requested = requested


class DossierClosed(Conflict):
    code = "dossier_closed"
    title = "The dossier is in a terminal status"


class PreconditionFailed(DomainError):
    code = "precondition_failed"
    title = "If-Match does not match the current version"

    def __init__(self, current: int | None) -> None:
        shown = "does not exist" if current is None else f"is at version {current}"
        super().__init__(f"The dossier {shown}; the If-Match precondition failed.")
        self.current = current

    def headers(self) -> dict[str, str]:
        return {} if self.current is None else {"ETag": f'W/"{self.current}"'}


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a rule (422). Carries the located errors."""

    code = "validation_failed"
    title = "The request is not valid"


class MalformedRequest(DomainError):
    code = "malformed_request"
    title = "The request body cannot be parsed"


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    title = "The Idempotency-Key was used with a different request"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used with a different method, path or body.",
            errors=[FieldError("Idempotency-Key", "already used for a different request")],
        )


class Unauthenticated(DomainError):
    code = "unauthenticated"
    title = "Authentication is required"

    def headers(self) -> dict[str, str]:
        return {
            "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{self.detail}"'
        }


class Forbidden(DomainError):
    code = "forbidden"
    title = "The client may not do this"


class InsufficientScope(Forbidden):
    code = "insufficient_scope"
    title = "The token lacks a scope this operation needs"

    def __init__(self, missing: list[str], *, any_of: bool = False) -> None:
        needs = "one of the scopes" if any_of else "the scope(s)"
        super().__init__(f"This operation needs {needs}: {' '.join(missing)}.")
        self.missing = missing

    def headers(self) -> dict[str, str]:
        return {
            "WWW-Authenticate": f'Bearer error="insufficient_scope", '
            f'scope="{" ".join(self.missing)}"'
        }


class AgencyNotAllowed(Forbidden):
    code = "agency_not_allowed"
    title = "The client does not act for that agency"


class RateLimited(DomainError):
    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"The client's request rate is over its limit; retry in {retry_after} s.")
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class InvalidClient(Unauthenticated):
    """RFC 6749 section 5.2 `invalid_client`."""

    code = "invalid_client"
    title = "Client authentication failed"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Basic realm="lienthong"'}

    def members(self) -> dict[str, str]:
        return {"error": "invalid_client", "error_description": self.detail}


class OAuthRequestError(MalformedRequest):
    """RFC 6749 section 5.2: `invalid_request`, `unsupported_grant_type`, `invalid_scope`."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error
        self.code = error

    def members(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.detail}


class DatabaseBusy(DomainError):
    code = "database_busy"
    title = "The database is busy"

    def __init__(self) -> None:
        super().__init__("Another write held the database for too long; retry shortly.")

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "5"}


class TransferOpen(Conflict):
    code = "transfer_open"
    title = "The dossier already has an open transfer"


class TransferState(Conflict):
    code = "transfer_state"
    title = "The transfer is not in a state that allows this"


class TransferNotFound(NotFound):
    code = "transfer_not_found"
    title = "No such transfer"

    def __init__(self, transfer_id: int) -> None:
        super().__init__(f"There is no transfer {transfer_id} this client may see.")


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"
    title = "No such subscription"

    def __init__(self, subscription_id: int) -> None:
        super().__init__(f"There is no subscription {subscription_id}.")


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"
    title = "No such delivery"

    def __init__(self, delivery_id: int) -> None:
        super().__init__(f"There is no delivery {delivery_id}.")


class DeliveryNotDead(Conflict):
    code = "delivery_not_dead"
    title = "Only a dead delivery is retried by hand"
