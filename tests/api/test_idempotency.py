"""`Idempotency-Key` on POSTs: a retry with the same key and body replays the first answer; the
same key with another request is 422 `idempotency_key_reused`; errors are not remembered
(STANDARD.md section 2)."""

import httpx

from tests.api.checks import assert_problem, history_of, read, stored
from tests.factories import CODE, code_of, snapshot, status_change, step

KEY = "3f1c9a2e-retry-0001"


async def post_step(
    client: httpx.AsyncClient, body: dict[str, object], code: str = CODE, key: str = KEY
) -> httpx.Response:
    return await client.post(f"/dossiers/{code}/steps", json=body, headers={"Idempotency-Key": key})


async def test_first_answer_under_a_key_is_not_marked_replayed(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    response = await post_step(client, step())

    assert response.status_code == 201, response.text
    assert "Idempotent-Replayed" not in response.headers


async def test_retry_with_the_same_key_and_body_replays_the_first_answer(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())

    first = await post_step(client, step())
    retry = await post_step(client, step())

    assert retry.status_code == first.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.headers["ETag"] == first.headers["ETag"] == 'W/"2"'
    assert retry.headers["content-type"] == "application/json"
    assert retry.content == first.content
    assert (await read(client, CODE))["version"] == 2
    assert [h["type"] for h in await history_of(client, CODE)] == [
        "dossier.created",
        "dossier.step_added",
    ]


async def test_status_change_retry_is_replayed_not_refused_as_a_transition(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot(status="processing"))
    headers = {"Idempotency-Key": KEY}

    first = await client.post(
        f"/dossiers/{CODE}/status", json=status_change("resolved"), headers=headers
    )
    # Without the key this would be resolved -> resolved: 409. The retry replays instead.
    retry = await client.post(
        f"/dossiers/{CODE}/status", json=status_change("resolved"), headers=headers
    )

    assert first.status_code == retry.status_code == 200, retry.text
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert len(await history_of(client, CODE)) == 2


async def test_sync_batch_retry_with_the_same_key_is_replayed(client: httpx.AsyncClient) -> None:
    batch = {"items": [snapshot(code=code_of(1)), snapshot(code=code_of(2))]}
    headers = {"Idempotency-Key": KEY}

    first = await client.post("/sync/dossiers", json=batch, headers=headers)
    retry = await client.post("/sync/dossiers", json=batch, headers=headers)

    assert first.status_code == retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    # The replay says "created" again: the first answer, not a second judgement ("unchanged").
    assert [r["outcome"] for r in retry.json()["results"]] == ["created", "created"]
    assert len(await history_of(client, code_of(1))) == 1


async def test_same_key_with_a_different_body_is_422_idempotency_key_reused(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())
    await post_step(client, step())

    response = await post_step(client, step(content="Trình ký"))

    assert_problem(response, 422, "idempotency_key_reused", "Idempotency-Key")
    assert len(await history_of(client, CODE)) == 2


async def test_same_key_on_another_dossier_is_422_idempotency_key_reused(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())
    await stored(client, snapshot(code=code_of(2)))
    await post_step(client, step())

    response = await post_step(client, step(), code=code_of(2))

    assert_problem(response, 422, "idempotency_key_reused")
    assert (await read(client, code_of(2)))["version"] == 1


async def test_different_keys_are_different_requests(client: httpx.AsyncClient) -> None:
    await stored(client, snapshot())

    first = await post_step(client, step(), key="key-one")
    second = await post_step(client, step(), key="key-two")

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert second.json()["version"] == 3


async def test_error_answer_is_not_stored_so_a_retry_after_fixing_the_cause_works(
    client: httpx.AsyncClient,
) -> None:
    missing = await post_step(client, step())
    assert_problem(missing, 404, "dossier_not_found")

    await stored(client, snapshot())
    retry = await post_step(client, step())

    assert retry.status_code == 201, retry.text
    assert "Idempotent-Replayed" not in retry.headers
    assert retry.json()["version"] == 2


async def test_invalid_request_is_not_stored_so_the_corrected_body_may_reuse_the_key(
    client: httpx.AsyncClient,
) -> None:
    await stored(client, snapshot())

    invalid = await post_step(client, step(at="2025-11-27T14:00:00"))
    corrected = await post_step(client, step())

    assert_problem(invalid, 422, "validation_failed", "at")
    assert corrected.status_code == 201, corrected.text
    assert "Idempotent-Replayed" not in corrected.headers
