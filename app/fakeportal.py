"""A fake national portal for the tests and the demo (`lienthong fake-portal`): it receives the
hub's signed deliveries, answers them as the portal does, records them, and fails on request.

Deliveries go to `/callback` or any path under it (`/callback/dvcqg`, `/callback/common`). The
endpoints that tests drive start with `/_`: `GET|DELETE /_received`, `GET /_received/counts`,
`GET|POST /_control`, `GET /_dossiers/{code}`. Nothing in the hub imports this module but the
command line (an import-linter contract)."""

import asyncio
import time
from collections import Counter
from typing import Any, Literal, TypeGuard

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.adapters.dvcqg import answers
from app.domain.clock import to_vietnam, utcnow
from app.domain.signatures import DEFAULT_TOLERANCE, Verdict, verify

RECORDED_HEADERS = ("Hub-Event-Id", "Hub-Timestamp", "Hub-Signature", "Content-Type")
INVALID = "Dữ liệu không hợp lệ"


class Control(BaseModel):
    """How the portal answers the next deliveries; `POST /_control` replaces it whole."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["ok", "fail", "fail_times", "timeout"] = "ok"
    times: int = Field(default=1, ge=0, description="fail_times: how many requests fail")
    status: int = Field(default=500, ge=400, le=599, description="fail, fail_times: the status")
    delay: float = Field(default=30.0, ge=0, description="timeout: seconds before answering")
    latency: float = Field(
        default=0.0,
        ge=0,
        le=60,
        description="every mode: seconds each request takes to answer, as a real receiver "
        "takes; without it a request is answered before the next is read, so two sends of "
        "one event at once could never show in maxInFlight",
    )


def _name_dossiers(items: Any) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(items, list) and all(
        isinstance(item, dict) and isinstance(item.get("MaHoSo"), str) and item["MaHoSo"]
        for item in items
    )


def _progress_records(payload: Any) -> list[Any] | None:
    """CapNhatTienDoHoSoMC records: a list, the portal's `{"data": [...]}`, or one record."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict) and "data" in payload:
        data = payload["data"]
        return data if isinstance(data, list) else [data]
    if isinstance(payload, dict) and "MaHoSo" in payload:
        return [payload]
    return None


class FakePortal:
    """What the portal holds: every receipt in arrival order, the dossiers it was sent by
    `MaHoSo` (latest payload and progress records), and how it is told to fail."""

    def __init__(self, secret: str, tolerance: float) -> None:
        self.secret = secret
        self.tolerance = tolerance
        self.control = Control()
        self.in_flight: Counter[str] = Counter()  # live requests: survives a reset
        self.reset()

    def reset(self) -> None:
        self.receipts: list[dict[str, Any]] = []
        self.dossiers: dict[str, dict[str, Any]] = {}
        self.accepted: set[str] = set()  # event ids answered with success
        self.most_in_flight: dict[str, int] = {}

    async def receive(self, request: Request) -> Response:
        body = await request.body()
        event = request.headers.get("Hub-Event-Id", "")
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            payload = None
        receipt: dict[str, Any] = {
            "eventId": event or None,
            "path": request.url.path,
            "headers": {h: request.headers[h] for h in RECORDED_HEADERS if h in request.headers},
            "body": payload,
            "receivedAt": to_vietnam(utcnow()).isoformat(),
            "duplicate": False,
            "signature": None,
            "outcome": "pending",
            "status": None,
            "answer": None,
        }
        self.receipts.append(receipt)
        self.in_flight[event] += 1
        self.most_in_flight[event] = max(self.most_in_flight.get(event, 0), self.in_flight[event])
        try:
            status, outcome, reply = await self._answer(request, body, receipt)
        finally:
            self.in_flight[event] -= 1
        receipt.update(status=status, outcome=outcome, answer=reply)
        return JSONResponse(reply, status_code=status)

    async def _answer(
        self, request: Request, body: bytes, receipt: dict[str, Any]
    ) -> tuple[int, str, dict[str, str]]:
        """(status, outcome, answer): failed by order, rejected (401: signature, 400: no event
        id), refused (the portal's `error_code` "-1") or accepted."""
        if self.control.latency:
            await asyncio.sleep(self.control.latency)
        control = self.control  # read after the wait: it may have been changed meanwhile
        if control.mode == "timeout":
            await asyncio.sleep(control.delay)
        elif control.mode == "fail" or (control.mode == "fail_times" and control.times > 0):
            if control.mode == "fail_times":
                control.times -= 1
                if control.times == 0:
                    self.control = Control(latency=control.latency)
            return control.status, "failed", answers.answer(False, "Lỗi hệ thống")
        verdict = verify(
            self.secret,
            request.headers.get("Hub-Timestamp", ""),
            body,
            request.headers.get("Hub-Signature", ""),
            now=time.time(),
            tolerance=self.tolerance,
        )
        receipt["signature"] = verdict.value
        if verdict is not Verdict.VALID:
            return 401, "rejected", answers.answer(False, f"Chữ ký không hợp lệ: {verdict}")
        event = receipt["eventId"]
        if event is None:
            return 400, "rejected", answers.answer(False, "Thiếu Hub-Event-Id")
        if event in self.accepted:
            # Delivery is at least once: the portal acknowledges a repeat and applies nothing.
            receipt["duplicate"] = True
            return 200, "accepted", answers.answer(True, "Sự kiện này đã được nhận")
        if receipt["body"] is None:
            return 400, "refused", answers.answer(False, f"{INVALID}: nội dung không phải JSON")
        ok, message = self._apply(receipt["body"])
        if ok:
            self.accepted.add(event)
        # The portal refuses in its answer's body, with HTTP 200 (ADAPTERS.md section 1).
        return 200, "accepted" if ok else "refused", answers.answer(ok, message)

    def _apply(self, payload: Any) -> tuple[bool, str]:
        """DongBoHoSoMC (`isUpdating` and `data`) stores dossiers; CapNhatTienDoHoSoMC
        (records naming `MaHoSo`) adds progress; any other payload (the common format) is
        only recorded."""
        if isinstance(payload, dict) and "isUpdating" in payload:
            return self._sync(payload)
        records = _progress_records(payload)
        if records is None:
            return True, "Đã nhận"
        return self._progress(records)

    def _sync(self, payload: dict[str, Any]) -> tuple[bool, str]:
        updating = str(payload["isUpdating"]).lower()
        items = payload.get("data")
        if updating not in ("true", "false") or not _name_dossiers(items):
            return False, f'{INVALID}: isUpdating "True" hoặc "False", data gồm hồ sơ có MaHoSo'
        held = [item["MaHoSo"] for item in items if item["MaHoSo"] in self.dossiers]
        if updating == "false" and held:
            return False, f"{answers.ALREADY_EXISTS}: {', '.join(held)}"
        for item in items:
            code = item["MaHoSo"]
            self.dossiers.setdefault(code, {"code": code, "progress": []})["dossier"] = item
        return True, f"Đồng bộ thành công {len(items)} hồ sơ"

    def _progress(self, records: list[Any]) -> tuple[bool, str]:
        if not _name_dossiers(records):
            return False, f"{INVALID}: mỗi bản ghi tiến độ có MaHoSo"
        unknown = sorted({record["MaHoSo"] for record in records} - self.dossiers.keys())
        if unknown:
            return False, f"{answers.NOT_FOUND}: {', '.join(unknown)}"
        for record in records:
            self.dossiers[record["MaHoSo"]]["progress"].append(record)
        return True, f"Cập nhật tiến độ thành công {len(records)} bản ghi"

    def counts(self) -> dict[str, dict[str, int]]:
        """Per event id: receipts, successful ones, and most requests in flight at once."""
        counts: dict[str, dict[str, int]] = {}
        for receipt in self.receipts:
            event = receipt["eventId"]
            if event is None:
                continue
            entry = counts.setdefault(
                event, {"received": 0, "accepted": 0, "maxInFlight": self.most_in_flight[event]}
            )
            entry["received"] += 1
            entry["accepted"] += receipt["outcome"] == "accepted"
        return counts


def create_fake_portal(secret: str, *, tolerance: float = DEFAULT_TOLERANCE) -> Starlette:
    """The portal's ASGI app: deliveries signed with `secret` are taken when `Hub-Timestamp`
    is within `tolerance` seconds of its clock."""
    portal = FakePortal(secret, tolerance)

    async def received(request: Request) -> Response:
        if request.method == "DELETE":
            portal.reset()
            return Response(status_code=204)
        return JSONResponse(portal.receipts)

    async def counts(request: Request) -> Response:
        return JSONResponse(portal.counts())

    async def control(request: Request) -> Response:
        if request.method == "POST":
            try:
                portal.control = Control.model_validate_json(await request.body())
            except ValidationError as invalid:
                errors = invalid.errors(include_url=False, include_context=False)
                return JSONResponse({"errors": errors}, status_code=422)
        return JSONResponse(portal.control.model_dump())

    async def dossier(request: Request) -> Response:
        held = portal.dossiers.get(request.path_params["code"])
        if held is None:
            return JSONResponse(answers.answer(False, answers.NOT_FOUND), status_code=404)
        return JSONResponse(held)

    return Starlette(
        routes=[
            Route("/callback", portal.receive, methods=["POST"]),
            Route("/callback/{rest:path}", portal.receive, methods=["POST"]),
            Route("/_received", received, methods=["GET", "DELETE"]),
            Route("/_received/counts", counts, methods=["GET"]),
            Route("/_control", control, methods=["GET", "POST"]),
            Route("/_dossiers/{code}", dossier, methods=["GET"]),
        ]
    )
