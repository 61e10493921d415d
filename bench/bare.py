"""The baseline of P2: a bare FastAPI route that answers a constant JSON of the status
projection's shape, with no database, no authentication and no middleware. Served by the same
uvicorn, uvloop and httptools as the hub (bench/server.py)."""

from typing import Any

from fastapi import FastAPI

STATUS: dict[str, Any] = {
    "code": "000.00.00.H56-251127-00012",
    "procedure": {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"},
    "handlingAgency": "000.00.00.H56",
    "status": "processing",
    "statusCode": 4,
    "statusLabel": "Đang xử lý",
    "receivedAt": "2025-11-27T08:30:00+07:00",
    "dueAt": "2025-11-28T17:00:00+07:00",
    "resolvedAt": None,
    "returnedAt": None,
    "overdue": False,
    "applicantName": "Lê T. H.",
}

app = FastAPI()


@app.get("/ready")
async def ready() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/dossiers/{code}/status")
async def status(code: str) -> dict[str, Any]:
    return STATUS
