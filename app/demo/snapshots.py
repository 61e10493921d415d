"""The later snapshots a one-stop system sends: for a dossier recorded by snapshots, its whole
life folded into one (as a system that syncs its current state would); for one recorded by
acts, the members no act carries (the result document, the rating) added to what is stored."""

import copy
from datetime import datetime
from typing import Any

from app.demo.arrivals import DemoDossier
from app.demo.lifecycle import Clock, Event, iso

STAMPED = {"received": "receivedAt", "resolved": "resolvedAt", "returned": "returnedAt"}


def with_member(body: dict[str, Any], event: Event) -> dict[str, Any]:
    """The body with what a `result` or `rating` event adds."""
    if event.kind == "result":
        return {**body, "documents": [*body.get("documents", []), event.data]}
    if event.kind == "rating":
        return {**body, "rating": event.data}
    raise ValueError(f"a {event.kind} event is an act, not a snapshot member")


def next_source(body: dict[str, Any], moment: datetime) -> dict[str, Any]:
    """The source of the system's next snapshot: one version up, dated `moment`."""
    source = body["source"]
    return {**source, "version": source.get("version", 0) + 1, "updatedAt": iso(moment)}


def _moved(body: dict[str, Any], event: Event, clock: Clock) -> dict[str, Any]:
    """A status change as `services.acts` applies it: stamps, the appointment on receipt,
    supplement records and the appointment moved by the wait."""
    status, moment = event.data["status"], event.at
    leaving = body["status"]
    body = {**body, "status": status}
    stamp = STAMPED.get(status)
    if stamp and stamp not in body:
        body[stamp] = iso(moment)
    if status == "received" and "dueAt" not in body:
        body["dueAt"] = iso(clock.due(body["procedure"]["code"], moment))
    supplements = [dict(s) for s in body.get("supplements", [])]
    if status == "supplement_requested":
        supplements.append({"requestedAt": iso(moment), "reason": event.data.get("reason", "")})
    for supplement in supplements:
        if status != "supplement_requested" and "receivedAt" not in supplement:
            supplement["receivedAt"] = iso(moment)
            due = clock.moved(
                datetime.fromisoformat(body["dueAt"]),
                datetime.fromisoformat(body["receivedAt"]),
                datetime.fromisoformat(supplement["requestedAt"]),
                moment,
            )
            body["dueAt"] = iso(due)
    if supplements:
        body["supplements"] = supplements
    if leaving == "payment_requested":
        body["fees"] = [{**fee, "paidAt": iso(moment)} for fee in body["fees"]]
    return body


def _extended(body: dict[str, Any], event: Event) -> dict[str, Any]:
    extension = {
        "issuedAt": event.data["issuedAt"],
        "reason": event.data["reason"],
        "previousDueAt": body["dueAt"],
        "newDueAt": event.data["newDueAt"],
    }
    return {
        **body,
        "originalDueAt": body.get("originalDueAt", body["dueAt"]),
        "extensions": [*body.get("extensions", []), extension],
        "dueAt": event.data["newDueAt"],
    }


def folded(dossier: DemoDossier, clock: Clock) -> dict[str, Any] | None:
    """The one later snapshot of a dossier recorded by snapshots: its state at its last event
    (None when nothing happened after the first snapshot). Steps are not part of a snapshot."""
    if not dossier.events:
        return None
    body = copy.deepcopy(dossier.snapshot)
    for event in dossier.events:
        if event.kind == "status":
            body = _moved(body, event, clock)
        elif event.kind == "extension":
            body = _extended(body, event)
        elif event.kind in ("result", "rating"):
            body = with_member(body, event)
        elif event.kind != "step":
            raise ValueError(f"a dossier with {event.kind} events is recorded by acts")
    body["source"] = next_source(body, dossier.events[-1].at)
    return body
