"""Who may do what (STANDARD.md section 5, "Auth and operations"): client kinds, scopes, and
the agency patterns that bind a client to the dossiers it may see and write."""

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class ClientKind(StrEnum):
    PROVINCE = "province"
    MINISTRY = "ministry"
    PORTAL = "portal"
    ADMIN = "admin"


class Scope(StrEnum):
    DOSSIERS_READ = "dossiers:read"
    DOSSIERS_WRITE = "dossiers:write"
    TRANSFERS = "transfers"
    STATUS_READ = "status:read"
    FEED_READ = "feed:read"
    ADMIN = "admin"


SCOPE_DESCRIPTIONS = {
    Scope.DOSSIERS_READ: "Read the dossiers of your agencies",
    Scope.DOSSIERS_WRITE: "Write the dossiers of your agencies (snapshots, status, steps)",
    Scope.TRANSFERS: "Send and handle inter-level transfers",
    Scope.STATUS_READ: "Read the status projection of any dossier",
    Scope.FEED_READ: "Follow the change feed",
    Scope.ADMIN: "Manage clients, catalogs, the calendar and subscriptions",
}

S = Scope
# The scopes each kind of client may hold; a new client gets all of them unless it asks for
# fewer.
ALLOWED_SCOPES: dict[ClientKind, frozenset[Scope]] = {
    ClientKind.PROVINCE: frozenset({S.DOSSIERS_READ, S.DOSSIERS_WRITE, S.TRANSFERS,
                                    S.FEED_READ}),
    ClientKind.MINISTRY: frozenset({S.DOSSIERS_READ, S.DOSSIERS_WRITE, S.TRANSFERS,
                                    S.FEED_READ}),
    ClientKind.PORTAL: frozenset({S.STATUS_READ, S.FEED_READ}),
    ClientKind.ADMIN: frozenset(Scope),
}  # fmt: skip

# Which member of a dossier binds it to a client of each kind: a province sees the dossiers it
# received, a ministry those its agencies handle, and the portal and operators see every
# dossier. Transfers extend the binding: a client also sees the dossiers sent to its agencies
# (services/access.py). The rule is data so that the SQL filter and the check of an
# incoming snapshot cannot drift apart.
BOUND_BY: dict[ClientKind, str | None] = {
    ClientKind.PROVINCE: "receivingAgency",
    ClientKind.MINISTRY: "handlingAgency",
    ClientKind.PORTAL: None,
    ClientKind.ADMIN: None,
}

_PATTERN = re.compile(r"^(\d{3}|\*)\.(\d{2}|\*)\.(\d{2}|\*)\.([A-Z]\d{2}|\*)$")
_WIDTHS = (3, 2, 2, 3)


def agency_pattern(value: str) -> str:
    """An agency code in which `*` stands for any value of one level: `*.*.*.H56`."""
    if not _PATTERN.fullmatch(value):
        raise ValueError("an agency pattern is ddd.dd.dd.Ldd with '*' for any level")
    return value


@lru_cache(maxsize=65_536)
def matches(pattern: str, agency: str) -> bool:
    # Cached: a sync batch asks it about the same few agencies for every dossier, and
    # splitting both codes each time cost 2 µs a call.
    return (
        all(p in ("*", a) for p, a in zip(pattern.split("."), agency.split("."), strict=False))
        and agency.count(".") == 3
    )


def sql_like(pattern: str) -> str:
    """The pattern as a SQL LIKE pattern (`*` becomes as many `_` as the level is wide)."""
    return ".".join(
        "_" * w if p == "*" else p for p, w in zip(pattern.split("."), _WIDTHS, strict=True)
    )


@dataclass(frozen=True)
class Principal:
    """The authenticated client a request acts for."""

    client_id: str
    kind: ClientKind
    agencies: tuple[str, ...]
    scopes: frozenset[str]

    @property
    def bound_by(self) -> str | None:
        return BOUND_BY[self.kind]

    def may_act_for(self, agency: str) -> bool:
        """Whether an agency is one of this client's (operators and the portal: any)."""
        return self.bound_by is None or any(matches(p, agency) for p in self.agencies)

    def may_see(self, dossier: dict[str, str]) -> bool:
        """Whether a dossier (its camelCase members) is bound to this client."""
        member = self.bound_by
        return member is None or any(matches(p, dossier[member]) for p in self.agencies)

    def may_act_on(self, dossier: dict[str, str]) -> bool:
        """Whether this client may record acts on a dossier it sees: it is bound to it, or one
        of its agencies handles it now (a transfer it accepted). Seeing a dossier through a
        transfer that is only sent, or already completed, is reading, not acting."""
        return self.may_see(dossier) or self.may_act_for(dossier["handlingAgency"])
