"""The `lienthong` command line (also `python -m app`): `serve`, `demo`, `migrate`,
`clients create`, `audit verify`, `import`, `worker`, `fake-portal`."""

import argparse
import asyncio
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.demo import DOSSIERS, SEED
from app.domain.signatures import DEFAULT_TOLERANCE
from app.settings import Settings


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app import migrator
    from app.logs import uvicorn_log_config
    from app.main import create_app

    if settings.is_sqlite:
        # The embedded default should just work: bring its file up to date before serving.
        migrator.upgrade(settings.effective_database_url)
    print(f"Liên thông hub: Swagger UI at http://{args.host}:{args.port}/docs", flush=True)
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level="info",
        proxy_headers=True,
        log_config=uvicorn_log_config(),
    )
    return 0


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from app import migrator
    from app.demo import loader
    from app.demo.summary import banner

    embedded = settings.model_copy(update={"database_url": ""}).effective_database_url
    if settings.effective_database_url != embedded and not args.force:
        print(
            "error: the demo creates clients with PUBLIC secrets, so it only runs on the "
            "embedded database (HUB_DATABASE_URL unset); --force if this database is a "
            "throwaway.",
            file=sys.stderr,
        )
        return 2
    if settings.is_sqlite:
        migrator.upgrade(settings.effective_database_url)
    portal = f"http://{args.host}:{args.fake_portal_port}" if args.fake_portal else None
    callback = f"{portal}/callback/dvcqg" if portal else None
    report = asyncio.run(loader.seed(settings, args.dossiers, seed=args.seed, fake_portal=callback))
    print(banner(report, f"http://{args.host}:{args.port}/docs", portal), flush=True)
    if not args.serve:
        return 0
    if portal is None:
        return _serve(settings, args)
    with _fake_portal_thread(args.host, args.fake_portal_port, loader.FAKE_PORTAL_SECRET):
        return _serve(settings, args)


@contextmanager
def _fake_portal_thread(host: str, port: int, secret: str) -> Iterator[None]:
    """The fake national portal beside the hub, in a thread of the same process."""
    import threading

    import uvicorn

    from app.fakeportal import create_fake_portal

    config = uvicorn.Config(
        create_fake_portal(secret), host=host, port=port, log_level="warning",
        lifespan="off", timeout_graceful_shutdown=1,
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from app import migrator

    if args.downgrade:
        migrator.downgrade(settings.effective_database_url, args.downgrade)
    else:
        migrator.upgrade(settings.effective_database_url, args.revision)
    return 0


async def _in_transaction(settings: Settings, work: Any) -> Any:
    from app.db import Database

    db = Database.connect(settings)
    try:
        async with db.transaction(write=True) as session:
            return await work(session)
    finally:
        await db.dispose()


def _create_client(settings: Settings, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from app.schemas.clients import ClientIn
    from app.services import clients

    try:
        new = ClientIn.model_validate(
            {
                "name": args.name,
                "kind": args.kind,
                "agencies": args.agency or [],
                "scopes": args.scope or None,
            }
        )
    except ValidationError as invalid:
        for error in invalid.errors():
            print(
                f"error: {'.'.join(map(str, error['loc'])) or 'client'}: {error['msg']}",
                file=sys.stderr,
            )
        return 2
    created = asyncio.run(
        _in_transaction(
            settings, lambda session: clients.create(session, new, settings.secret_hash_cost)
        )
    )
    print(json.dumps(created.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2))
    return 0


def _verify_audit(settings: Settings, args: argparse.Namespace) -> int:
    from app.services import audit

    verdict = asyncio.run(
        _in_transaction(settings, lambda session: audit.verify(session, args.code))
    )
    for found in verdict.breaks:
        print(f"BROKEN {found.dossier} at version {found.version}: {found.reason}")
    print(
        f"checked {verdict.entries} history entries of {verdict.dossiers} dossiers: "
        f"{len(verdict.breaks)} broken chain(s)"
    )
    return 1 if verdict.breaks else 0


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from app import importer, migrator

    if settings.is_sqlite:
        migrator.upgrade(settings.effective_database_url)
    return importer.main(settings, args.file, sys.stdout)


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    import signal

    from app import migrator
    from app.logs import configure_logging
    from app.worker import run_until_stopped

    # As `serve` does in create_app: HUB_LOG_LEVEL, and personal ID numbers masked (S6).
    configure_logging(settings.log_level)
    if settings.is_sqlite:
        migrator.upgrade(settings.effective_database_url)

    async def work() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await run_until_stopped(settings, stop)

    print("Liên thông delivery worker: sending the outbox", flush=True)
    asyncio.run(work())
    return 0


def _fake_portal(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.fakeportal import create_fake_portal
    from app.logs import uvicorn_log_config

    base = f"http://{args.host}:{args.port}"
    print(f"Fake national portal: deliveries to {base}/callback, receipts at {base}/_received")
    print(f"Tell it to fail with POST {base}/_control", flush=True)
    uvicorn.run(
        create_fake_portal(args.secret, tolerance=args.tolerance),
        host=args.host,
        port=args.port,
        log_level="info",
        log_config=uvicorn_log_config(),
        timeout_graceful_shutdown=1,  # a request held by the timeout mode must not hold a stop
    )
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="lienthong", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the hub (migrating the embedded database)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    demo = commands.add_parser(
        "demo",
        help="load demo data and demo clients with PUBLIC credentials (embedded database only)",
    )
    demo.add_argument("--dossiers", type=int, default=DOSSIERS, help="default %(default)s")
    demo.add_argument("--seed", type=int, default=SEED, help="random seed (default %(default)s)")
    demo.add_argument("--force", action="store_true", help="even when HUB_DATABASE_URL is set")
    demo.add_argument("--serve", action="store_true", help="then serve the hub")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--fake-portal",
        action="store_true",
        help="also run the fake national portal (with --serve) and push the demo province's "
        "changes to it in the dvcqg format",
    )
    demo.add_argument("--fake-portal-port", type=int, default=9000)
    demo.set_defaults(run=_demo)
    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--revision", default="head")
    migrate.add_argument("--downgrade", metavar="REVISION", help="go back to REVISION")
    migrate.set_defaults(run=_migrate)
    client_commands = commands.add_parser("clients", help="API clients").add_subparsers(
        dest="clients_command", required=True
    )
    create = client_commands.add_parser(
        "create", help="create a client; prints its credentials as JSON"
    )
    create.add_argument("--name", required=True)
    create.add_argument(
        "--kind", required=True, choices=["province", "ministry", "portal", "admin"]
    )
    create.add_argument(
        "--agency",
        action="append",
        metavar="PATTERN",
        help="an agency code, '*' for any level (repeatable)",
    )
    create.add_argument(
        "--scope", action="append", help="a scope (repeatable; default: all the kind may hold)"
    )
    create.set_defaults(run=_create_client)
    audit = commands.add_parser("audit", help="the audit chain").add_subparsers(
        dest="audit_command", required=True
    )
    verify = audit.add_parser("verify", help="recompute the history chains; exit 1 if broken")
    verify.add_argument("--code", help="only this dossier")
    verify.set_defaults(run=_verify_audit)
    load = commands.add_parser(
        "import",
        help="load dossiers from an NDJSON file (GET /dossiers/export's format); a rerun "
        "skips what is stored",
    )
    load.add_argument("file", type=Path, metavar="FILE.ndjson")
    load.set_defaults(run=_import)
    worker = commands.add_parser(
        "worker", help="send the deliveries of the outbox (as many processes as you like)"
    )
    worker.set_defaults(run=_worker)
    portal = commands.add_parser(
        "fake-portal", help="a fake national portal that receives the hub's deliveries"
    )
    portal.add_argument("--host", default="127.0.0.1")
    portal.add_argument("--port", type=int, default=9000)
    portal.add_argument("--secret", required=True, help="the subscription's signing secret")
    portal.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help="how many seconds Hub-Timestamp may be from now (default %(default)s)",
    )
    portal.set_defaults(run=_fake_portal)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.run(Settings(), args)
    return result


if __name__ == "__main__":
    sys.exit(main())
