import httpx

from tests.factories import CODE, snapshot


async def test_put_then_get_round_trips(client: httpx.AsyncClient) -> None:
    created = await client.put(f"/dossiers/{CODE}", json=snapshot())
    assert created.status_code == 201, created.text
    read = await client.get(f"/dossiers/{CODE}")
    assert read.json()["applicant"]["name"] == "Lê Thị Hương"
