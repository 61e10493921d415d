"""`GET /metrics`: Prometheus text for the operators: the outbox's depth and age."""

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from app.domain.clock import utcnow
from app.services import outbox

router = APIRouter(tags=["Operations"])

STATUSES = ("pending", "retrying", "delivered", "dead")


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> PlainTextResponse:
    """Deliveries by status and the age of the oldest open one, in the Prometheus text
    format."""
    async with request.app.state.hub.db.transaction(write=False) as session:
        by_status, oldest = await outbox.counts(session)
    age = (utcnow() - oldest).total_seconds() if oldest else 0.0
    lines = [
        "# HELP lienthong_deliveries Deliveries in the outbox by status.",
        "# TYPE lienthong_deliveries gauge",
        *(f'lienthong_deliveries{{status="{s}"}} {by_status.get(s, 0)}' for s in STATUSES),
        "# HELP lienthong_delivery_oldest_open_age_seconds Age of the oldest open delivery.",
        "# TYPE lienthong_delivery_oldest_open_age_seconds gauge",
        f"lienthong_delivery_oldest_open_age_seconds {age:.3f}",
    ]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")
