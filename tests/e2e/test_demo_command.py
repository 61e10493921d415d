"""`lienthong demo --serve --fake-portal` as a person runs it: the hub with the demo data and
the fake national portal in one process, the portal subscribed to the demo province's changes
in its own format."""

from pathlib import Path

import httpx

from app.demo.cast import CLIENTS
from tests.e2e.hub_process import free_port, running_hub
from tests.factories import snapshot
from tests.fakes import accepted_receipts

CODE = "000.00.00.H56-251128-0001"


def test_a_new_dossier_of_the_demo_province_reaches_the_fake_portal(tmp_path: Path) -> None:
    port = free_port()
    command = ("demo", "--serve", "--dossiers", "30", "--fake-portal", "--fake-portal-port",
               str(port))  # fmt: skip
    with running_hub(tmp_path, command=command) as base:
        province = next(c for c in CLIENTS if c.kind == "province")
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"grant_type": "client_credentials", "client_id": province.client_id,
                  "client_secret": province.secret},
        ).json()["access_token"]  # fmt: skip
        stored = httpx.put(
            f"{base}/api/v1/dossiers/{CODE}",
            headers={"Authorization": f"Bearer {token}"},
            json=snapshot(code=CODE),
        )
        assert stored.status_code == 201, stored.text

        taken = accepted_receipts(f"http://127.0.0.1:{port}", within=30)
        log = (tmp_path / "hub.log").read_text()

    assert [(r["body"]["isUpdating"], r["body"]["data"][0]["MaHoSo"]) for r in taken] == [
        ("False", CODE)
    ]
    assert taken[0]["signature"] == "valid"
    assert f"http://127.0.0.1:{port}/_received" in log
