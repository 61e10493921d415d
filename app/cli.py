"""The `lienthong` command line: `serve` and `migrate` (also reached as `python -m app`)."""

import argparse
import sys

from app.settings import Settings


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app import migrator
    from app.main import create_app

    if settings.is_sqlite:
        # The embedded default should just work: bring its file up to date before serving.
        migrator.upgrade(settings.effective_database_url)
    print(f"Liên thông hub: Swagger UI at http://{args.host}:{args.port}/docs", flush=True)
    uvicorn.run(
        create_app(settings), host=args.host, port=args.port, log_level="info", proxy_headers=True
    )
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from app import migrator

    if args.downgrade:
        migrator.downgrade(settings.effective_database_url, args.downgrade)
    else:
        migrator.upgrade(settings.effective_database_url, args.revision)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="lienthong", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the hub (migrating the embedded database)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--revision", default="head")
    migrate.add_argument("--downgrade", metavar="REVISION", help="go back to REVISION")
    migrate.set_defaults(run=_migrate)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.run(Settings(), args)
    return result


if __name__ == "__main__":
    sys.exit(main())
