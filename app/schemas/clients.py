"""API clients and OAuth2 tokens."""

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from app.domain.access import ALLOWED_SCOPES, ClientKind, Scope, agency_pattern
from app.schemas.base import ResponseModel, Text, Timestamp, WireModel

AgencyPattern = Annotated[
    str,
    AfterValidator(agency_pattern),
    Field(
        description="An agency code; `*` stands for any value of one level.", examples=["*.*.*.H56"]
    ),
]


class ClientIn(WireModel):
    """A new API client: a provincial or ministry system, the portal, or an operator."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Hệ thống một cửa tỉnh Khánh Hòa",
                    "kind": "province",
                    "agencies": ["*.*.*.H56"],
                    "scopes": ["dossiers:read", "dossiers:write"],
                }
            ]
        }
    }

    name: Annotated[Text, Field(min_length=1, max_length=200)]
    kind: ClientKind
    agencies: Annotated[list[AgencyPattern], Field(max_length=100, default_factory=list)]
    scopes: Annotated[
        list[Scope] | None,
        Field(description="Defaults to every scope the kind may hold."),
    ] = None

    @model_validator(mode="after")
    def _fits_its_kind(self) -> "ClientIn":
        allowed = ALLOWED_SCOPES[self.kind]
        if self.scopes is not None and not set(self.scopes) <= allowed:
            extra = ", ".join(sorted(set(self.scopes) - allowed))
            raise ValueError(f"a {self.kind} client may not hold {extra}")
        if self.kind in (ClientKind.PROVINCE, ClientKind.MINISTRY) and not self.agencies:
            raise ValueError(f"a {self.kind} client must be bound to at least one agency")
        return self


class Client(ResponseModel):
    client_id: str
    name: str
    kind: ClientKind
    agencies: list[str]
    scopes: list[Scope]
    created_at: Timestamp
    revoked_at: Timestamp | None = None


class NewClient(Client):
    client_secret: Annotated[str, Field(description="Shown this once; only a hash is kept.")]


class ClientPage(ResponseModel):
    items: list[Client]
    next_cursor: str | None


class TokenAnswer(ResponseModel):
    """RFC 6749 section 5.1 (snake_case, as OAuth2 clients expect)."""

    model_config = {"alias_generator": None}

    access_token: str
    token_type: Annotated[str, Field(examples=["Bearer"])]
    expires_in: int
    scope: str
