"""Subscriptions and deliveries as the API shows them (STANDARD.md section 5, "Delivery")."""

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, Field, UrlConstraints, field_validator

from app.domain.access import agency_pattern
from app.schemas.base import ResponseModel, Timestamp, WireModel
from app.schemas.changes import CHANGE_TYPES

MAX_URL = 2000
CallbackUrl = Annotated[
    AnyHttpUrl, UrlConstraints(max_length=MAX_URL, allowed_schemes=["http", "https"])
]
ChangeType = Literal[CHANGE_TYPES]  # type: ignore[valid-type]


class SubscriptionFilter(WireModel):
    """Which dossiers: any listed agency (receiving, handling, or a transfer's receiver; `*`
    for any level) and any listed procedure. Empty lists take all."""

    agencies: Annotated[list[str], Field(max_length=100, examples=[["*.*.*.H56"]])] = []
    procedures: Annotated[list[str], Field(max_length=500, examples=[["1.001193"]])] = []

    @field_validator("agencies")
    @classmethod
    def _patterns(cls, values: list[str]) -> list[str]:
        return [agency_pattern(v) for v in values]


SUBSCRIPTION_EXAMPLE: dict[str, Any] = {
    "callbackUrl": "https://dichvucong.gov.vn/api/hub/dvcqg",
    "events": ["dossier.created", "dossier.updated", "dossier.status_changed"],
    "filter": {"agencies": ["*.*.*.H56"]},
    "format": "dvcqg",
    "secret": "một-bí-mật-dài-ít-nhất-16-ký-tự",
}


class SubscriptionIn(WireModel):
    """Đăng ký nhận sự kiện: where to POST which changes, in which format."""

    model_config = {"json_schema_extra": {"examples": [SUBSCRIPTION_EXAMPLE]}}

    callback_url: CallbackUrl
    events: Annotated[
        list[ChangeType],
        Field(max_length=len(CHANGE_TYPES), description="Change types; empty: all."),
    ] = []
    filter: SubscriptionFilter = SubscriptionFilter()
    format: Annotated[
        str,
        Field(
            min_length=1,
            max_length=50,
            description="`common`, or an adapter's system (`GET /adapters`), e.g. `dvcqg`.",
        ),
    ] = "common"
    secret: Annotated[
        str,
        Field(
            min_length=16,
            max_length=200,
            description="Shared secret of the `Hub-Signature` HMAC; never shown again.",
        ),
    ]

    @field_validator("callback_url")
    @classmethod
    def _fits(cls, value: AnyHttpUrl) -> AnyHttpUrl:
        # The URL as it will be called (normalised: a host's punycode is longer) must fit.
        if len(str(value)) > MAX_URL:
            raise ValueError(f"at most {MAX_URL} characters once normalised")
        return value


class Subscription(ResponseModel):
    id: int
    callback_url: str
    events: list[str]
    filter: SubscriptionFilter
    format: str
    paused: bool
    created_at: Timestamp
    updated_at: Timestamp


class SubscriptionList(ResponseModel):
    items: list[Subscription]


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    DEAD = "dead"


class Delivery(ResponseModel):
    id: int
    subscription_id: int
    event_id: Annotated[str, Field(description="The change id, sent as `Hub-Event-Id`.")]
    type: str
    dossier_code: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    next_attempt_at: Annotated[
        Timestamp | None, Field(description="When it is tried next (open deliveries).")
    ]
    delivered_at: Timestamp | None
    created_at: Timestamp


class DeliveryPage(ResponseModel):
    items: list[Delivery]
    next_cursor: str | None
