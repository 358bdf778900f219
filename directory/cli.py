"""The `ipdir` command: serve, migrate, seed."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

import uvicorn

from directory.settings import SettingsError, get_settings


def _serve(args: argparse.Namespace) -> int:
    from directory.app import create_app
    from directory.migrate import migrate

    settings = get_settings()
    asyncio.run(migrate(settings))
    if args.demo:
        from directory.demo import seed_demo_if_empty

        asyncio.run(seed_demo_if_empty(settings))
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    url = f"http://{shown_host}:{args.port}/graphql"
    config = uvicorn.Config(
        create_app(settings), host=args.host, port=args.port, log_level=args.log_level
    )
    return asyncio.run(_run_server(uvicorn.Server(config), url))


async def _run_server(server: uvicorn.Server, url: str) -> int:
    """Serve until stopped; print the URL once the socket is bound, so it answers at once."""
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():  # noqa: ASYNC110 (uvicorn sets a flag only)
        await asyncio.sleep(0.05)
    if server.started:
        print(f"IP Service Directory: GraphQL at {url}", flush=True)
    await task
    return 0 if server.started else 1


def _migrate(args: argparse.Namespace) -> int:
    from directory.migrate import migrate

    asyncio.run(migrate(get_settings()))
    print("database is up to date")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from directory.demo import seed_demo_if_empty
    from directory.migrate import migrate

    if not args.demo:
        print("nothing to seed: pass --demo for the fictional Bazhong data set", file=sys.stderr)
        return 2
    settings = get_settings()
    asyncio.run(migrate(settings))
    asyncio.run(seed_demo_if_empty(settings))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ipdir", description="IP Service Directory (知识产权服务名录)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply migrations and serve the GraphQL API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--demo", action="store_true", help="load the demo data into an empty database"
    )
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="apply pending migrations and reference data")
    migrate.set_defaults(run=_migrate)

    seed = commands.add_parser("seed", help="load data into an empty directory")
    seed.add_argument("--demo", action="store_true", help="the fictional Bazhong demo data set")
    seed.set_defaults(run=_seed)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        get_settings()
    except SettingsError as exc:
        print(f"ipdir: {exc}", file=sys.stderr)
        return 2
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
