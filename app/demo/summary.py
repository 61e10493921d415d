"""What a demo run reports: how many dossiers by status and transfers by outcome, and a few
dossier codes worth trying in Swagger UI, chosen among the demo province's."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from app.demo import showcase
from app.demo.arrivals import DemoDossier
from app.demo.cast import DEMO_PROVINCE

TRANSFER_STATE = {"transfer": "sent", "accept": "accepted", "reject": "rejected",
                  "complete": "completed"}  # fmt: skip


@dataclass
class Report:
    """What a run found and did."""

    anchor: datetime  # "now" of the demo data: when the demo clients were created
    created_clients: bool
    planned: int = 0
    written: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    transfers: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def status_of(dossier: DemoDossier) -> str:
    moves = [e.data["status"] for e in dossier.events if e.kind == "status"]
    return moves[-1] if moves else str(dossier.snapshot["status"])


def transfer_of(dossier: DemoDossier) -> str | None:
    states = [TRANSFER_STATE[e.kind] for e in dossier.events if e.kind in TRANSFER_STATE]
    return states[-1] if states else None


def _overdue_open(dossier: DemoDossier, now: datetime) -> bool:
    """Open past its first appointment, which nothing moved (no supplement, no extension)."""
    due = dossier.snapshot.get("dueAt")
    moved = any(
        e.kind == "extension" or e.data.get("status") == "supplement_requested"
        for e in dossier.events
    )
    return (
        status_of(dossier) == "processing"
        and due is not None
        and not moved
        and datetime.fromisoformat(due) < now
    )


def summarise(plan: list[DemoDossier], report: Report) -> None:
    report.statuses = Counter(status_of(d) for d in plan)
    report.transfers = Counter(t for d in plan if (t := transfer_of(d)) is not None)
    samples = {"the API documentation's example (every client reads it)": showcase.CODE}
    wanted: dict[str, Callable[[DemoDossier], bool]] = {
        "returned with the ministry's answer (a completed transfer)": lambda d: (
            status_of(d) == "returned" and transfer_of(d) == "completed"
        ),
        "in the ministry's inbox (a transfer sent)": lambda d: transfer_of(d) == "sent",
        "overdue, still processing": lambda d: _overdue_open(d, report.anchor),
        "waiting for the applicant's supplement": lambda d: status_of(d) == "supplement_requested",
    }
    ours = [d for d in plan if d.province is DEMO_PROVINCE and d.code != showcase.CODE]
    for label, test in wanted.items():
        found = next((d.code for d in reversed(ours) if test(d)), None)
        if found is not None:
            samples[label] = found
    report.samples = samples


def banner(report: Report, docs: str, fake_portal: str | None) -> str:
    """What `lienthong demo` prints: the data, the PUBLIC credentials, where to try them."""
    from app.demo.cast import CLIENTS

    done = (
        f"wrote {report.written} of {report.planned} demo dossiers"
        if report.written
        else f"the {report.planned} demo dossiers were there already"
    )
    statuses = ", ".join(f"{n} {s}" for s, n in report.statuses.most_common())
    transfers = ", ".join(f"{n} {s}" for s, n in report.transfers.most_common())
    lines = [
        f"Liên thông demo data: {done} ({report.seconds:.1f} s).",
        f"  dossiers by status: {statuses}",
        f"  transfers to the ministry: {transfers}",
        "",
        "DEMO CREDENTIALS: fixed and public (they are in the README). Never use them, or this",
        "command, on a hub that holds real data.",
    ]
    for client in CLIENTS:
        bound = ", ".join(client.agencies) or "every dossier"
        lines.append(
            f"  {client.kind:<9} client id {client.client_id:<14} secret {client.secret:<22}"
            f" ({bound})"
        )
    lines += ["", f"Swagger UI: {docs} (Authorize with a client id and secret above)"]
    lines += [f"  try {code}: {label}" for label, code in report.samples.items()]
    if fake_portal is not None:
        lines.append(f"Fake national portal: what it received at {fake_portal}/_received")
    return "\n".join(lines)
