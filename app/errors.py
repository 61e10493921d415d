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
