"""The per-client rate limit (STANDARD.md section 2) and personal data kept out of the logs
(QUALITY.md S6): a 12-digit personal ID number is masked in every log line, whoever wrote it."""

import asyncio
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app import migrator
from app.logs import MASK, PersonalIdFilter
from app.main import create_app
from app.settings import Settings
from tests.api.checks import PROBLEM, assert_problem
from tests.auth import admin_of_hub, bearer, create_client

PERSONAL_ID = "038190012345"
LIMIT = 3


@pytest.fixture
async def limited(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The admin's client of a hub that lets each client make 3 requests a minute."""
    async with admin_of_hub(settings, rate_limit_per_minute=LIMIT) as c:
        yield c


async def test_a_client_over_its_rate_is_429_with_retry_after_and_others_go_on(
    limited: httpx.AsyncClient,
) -> None:
    busy = await bearer(limited, await create_client(limited, "province", ["*.*.*.H56"]))
    other = await bearer(limited, await create_client(limited, "portal", []))

    allowed = [(await limited.get("/calendar/2026", headers=busy)).status_code for _ in range(3)]
    refused = await limited.get("/calendar/2026", headers=busy)
    unaffected = await limited.get("/calendar/2026", headers=other)

    assert allowed == [200] * LIMIT
    assert_problem(refused, 429, "rate_limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60 // LIMIT
    assert unaffected.status_code == 200, unaffected.text


async def test_the_limit_follows_the_client_not_its_token(limited: httpx.AsyncClient) -> None:
    made = await create_client(limited, "province", ["*.*.*.H56"])
    for _ in range(LIMIT):
        assert (await limited.get("/agencies", headers=await bearer(limited, made))).is_success

    response = await limited.get("/agencies", headers=await bearer(limited, made))

    assert_problem(response, 429, "rate_limited")


async def test_no_personal_id_number_reaches_the_log_of_a_failure(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    application = create_app(settings)  # its logging setup covers every handler, caplog's too

    async def fail(number: str) -> None:
        raise RuntimeError(f"no applicant with personal ID {number}")

    application.add_api_route("/api/v1/applicants/{number}", fail, methods=["GET"])
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
            response = await client.get(f"/api/v1/applicants/{PERSONAL_ID}")

    assert response.status_code == 500
    assert any(isinstance(f, PersonalIdFilter) for f in caplog.handler.filters)
    assert "RuntimeError: no applicant with personal ID" in caplog.text
    assert PERSONAL_ID not in caplog.text
    assert f"GET /api/v1/applicants/{MASK}" in caplog.text
    assert f"personal ID {MASK}" in caplog.text


async def test_a_personal_id_in_log_arguments_is_masked(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert any(isinstance(f, PersonalIdFilter) for f in caplog.handler.filters)

    logging.getLogger("app.sync").info("applicant %s sent %d documents", PERSONAL_ID, 2)
    logging.getLogger("some.library").warning("lookup of %s failed", PERSONAL_ID)

    assert PERSONAL_ID not in caplog.text
    assert f"applicant {MASK} sent 2 documents" in caplog.text
    assert f"lookup of {MASK} failed" in caplog.text


async def test_longer_digit_runs_are_not_taken_for_personal_ids(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    logging.getLogger("app.sync").info("receipt 1%s and 13 digits 0%s", PERSONAL_ID, PERSONAL_ID)

    assert f"receipt 1{PERSONAL_ID} and 13 digits 0{PERSONAL_ID}" in caplog.text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


SERVERS = {
    "lienthong serve": ["-m", "app", "serve", "--port", "{port}"],
    "uvicorn --factory": [
        "-m", "uvicorn", "--factory", "app.main:app_from_environment", "--port", "{port}",
    ],
}  # fmt: skip


@pytest.mark.parametrize("server", list(SERVERS))
async def test_a_served_hub_masks_personal_ids_in_its_access_log(
    tmp_path: Path, signing_key: str, server: str
) -> None:
    """The hub as it is run, in a process of its own: uvicorn's own loggers write the request
    lines, and they must be masked too."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    environment |= {"HUB_DATA_DIR": str(tmp_path), "HUB_JWT_PRIVATE_KEY": signing_key}
    migrate = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app", "migrate", cwd=migrator.ROOT, env=environment
    )
    assert await migrate.wait() == 0
    port = free_port()
    arguments = [a.format(port=port) for a in SERVERS[server]]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *arguments,
        cwd=migrator.ROOT,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        while not any("Uvicorn running on" in line for line in lines):
            line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
            assert line, "".join(lines)
            lines.append(line)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            response = await client.get(f"/api/v1/applicants/{PERSONAL_ID}")
        assert response.headers["content-type"] == PROBLEM
    finally:
        process.terminate()
        rest, _ = await asyncio.wait_for(process.communicate(), 30)
    log = "".join(lines) + rest.decode()

    assert PERSONAL_ID not in log
    assert f'"GET /api/v1/applicants/{MASK} HTTP/1.1" 404' in log
    assert "Logging error" not in log
