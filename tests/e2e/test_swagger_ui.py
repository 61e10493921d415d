"""Swagger UI, as an integrator meets it: in headless Chromium against a running hub,
"Authorize" with client credentials, then "Try it out" on a dossier read answers 200; and the
same on the demo data with the demo credentials, as `make run` serves them."""

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from app.demo.cast import CLIENTS
from tests.e2e.hub_process import running_hub
from tests.factories import CODE, snapshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ADMIN = {"admin_client_id": "admin-e2e", "admin_client_secret": "admin-e2e-secret-0123456789"}
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium binary on this machine (Debian's package `chromium` provides it)",
)


def _token(base: str, client_id: str, secret: str) -> str:
    answer = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _province_with_a_dossier(base: str) -> tuple[str, str]:
    admin_token = _token(base, ADMIN["admin_client_id"], ADMIN["admin_client_secret"])
    admin = {"Authorization": f"Bearer {admin_token}"}
    created = httpx.post(
        f"{base}/api/v1/clients",
        headers=admin,
        json={
            "name": "Hệ thống một cửa tỉnh Khánh Hòa",
            "kind": "province",
            "agencies": ["*.*.*.H56"],
        },
    )
    created.raise_for_status()
    client_id, secret = created.json()["clientId"], created.json()["clientSecret"]
    province = {"Authorization": f"Bearer {_token(base, client_id, secret)}"}
    httpx.put(
        f"{base}/api/v1/dossiers/{CODE}", headers=province, json=snapshot()
    ).raise_for_status()
    return client_id, secret


def _authorize(page: "Page", client_id: str, secret: str) -> None:
    page.click(".swagger-ui .auth-wrapper .btn.authorize", timeout=30_000)
    page.fill("#client_id_clientCredentials", client_id)
    page.fill("#client_secret_clientCredentials", secret)
    page.click(".modal-ux .auth-btn-wrapper .btn.modal-btn.authorize")
    page.wait_for_selector(".modal-ux .auth-btn-wrapper button:has-text('Logout')")
    page.click(".modal-ux .close-modal")


def _try_it_out(page: "Page", operation_id: str, code: str) -> tuple[str, str]:
    """Open an operation, "Try it out" with this dossier code, "Execute": the status and
    the body Swagger UI shows."""
    operation = page.locator(f"#operations-Dossiers-{operation_id}")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator("input[placeholder='code']").fill(code)
    operation.locator(".execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=30_000)
    return status.inner_text().strip(), operation.locator(".live-responses-table").inner_text()


def test_authorize_then_try_it_out_reads_a_dossier(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with running_hub(tmp_path, **ADMIN) as base, sync_playwright() as playwright:
        client_id, secret = _province_with_a_dossier(base)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/docs")
            _authorize(page, client_id, secret)
            status, shown = _try_it_out(page, "getDossier", CODE)
            page.screenshot(path=str(tmp_path / "swagger-ui.png"))
            assert status == "200"
            assert "Lê Thị Hương" in shown
        finally:
            browser.close()


def _demo_code(log: str) -> str:
    """The first dossier code the demo printed to try."""
    found = re.search(r"^  try (\S+): ", log, re.MULTILINE)
    assert found is not None, log
    return found[1]


def test_the_demo_credentials_try_it_out_on_the_demo_data(tmp_path: Path) -> None:
    """`make run`'s command: each demo client gets a token and reads a demo dossier and its
    status (the portal: its status only); in the browser, the demo province does both."""
    from playwright.sync_api import sync_playwright

    demo = ("demo", "--serve", "--dossiers", "200")
    with running_hub(tmp_path, command=demo) as base, sync_playwright() as playwright:
        code = _demo_code((tmp_path / "hub.log").read_text())
        for client in CLIENTS:
            token = _token(base, client.client_id, client.secret)
            headers = {"Authorization": f"Bearer {token}"}
            whole = httpx.get(f"{base}/api/v1/dossiers/{code}", headers=headers)
            status = httpx.get(f"{base}/api/v1/dossiers/{code}/status", headers=headers)
            assert status.status_code == 200, (client.client_id, status.text)
            assert whole.status_code == (403 if client.kind == "portal" else 200), whole.text
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/docs")
            province = next(c for c in CLIENTS if c.kind == "province")
            _authorize(page, province.client_id, province.secret)
            read, shown = _try_it_out(page, "getDossier", code)
            projected, masked = _try_it_out(page, "getDossierStatus", code)
            page.screenshot(path=str(tmp_path / "swagger-ui-demo.png"))
            assert (read, projected) == ("200", "200")
            assert "Lê Thị Hương" in shown
            assert "Lê T** H****" in masked
        finally:
            browser.close()
