"""Swagger UI, as an integrator meets it: in headless Chromium against a running hub,
"Authorize" with client credentials, then "Try it out" on a dossier read answers 200."""

import shutil
from pathlib import Path

import httpx
import pytest

from tests.e2e.hub_process import running_hub
from tests.factories import CODE, snapshot

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


def test_authorize_then_try_it_out_reads_a_dossier(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with running_hub(tmp_path, **ADMIN) as base, sync_playwright() as playwright:
        client_id, secret = _province_with_a_dossier(base)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/docs")
            page.click(".swagger-ui .auth-wrapper .btn.authorize", timeout=30_000)
            page.fill("#client_id_clientCredentials", client_id)
            page.fill("#client_secret_clientCredentials", secret)
            page.click(".modal-ux .auth-btn-wrapper .btn.modal-btn.authorize")
            page.wait_for_selector(".modal-ux .auth-btn-wrapper button:has-text('Logout')")
            page.click(".modal-ux .close-modal")

            operation = page.locator("#operations-Dossiers-getDossier")
            operation.locator(".opblock-summary").click()
            operation.locator(".try-out__btn").click()
            operation.locator("input[placeholder='code']").fill(CODE)
            operation.locator(".execute").click()
            status = operation.locator(".live-responses-table tbody .response-col_status").first
            status.wait_for(timeout=30_000)
            page.screenshot(path=str(tmp_path / "swagger-ui.png"))
            assert status.inner_text().strip() == "200"
            assert "Lê Thị Hương" in operation.locator(".live-responses-table").inner_text()
        finally:
            browser.close()
