"""The `ipdir` command: serve, migrate, seed, token, import, export."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn

from directory.outages import database_unavailable
from directory.serving import ready_line, serve_workers, served_app, start
from directory.settings import SettingsError, get_settings

MAX_WORKERS = 64  # processes of one `ipdir serve`


def _serve(args: argparse.Namespace) -> int:
    from directory.migrate import migrate

    settings = get_settings()
    _check_port_free(args.host, args.port)
    asyncio.run(migrate(settings))
    if args.demo:
        from directory.demo.load import seed_demo_if_empty

        asyncio.run(seed_demo_if_empty(settings))
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    url = f"http://{shown_host}:{args.port}/"
    workers = args.workers or settings.serving_workers
    options = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "proxy_headers": False,  # the app decides whose X-Forwarded-For it believes
    }
    if workers > 1:
        # Each worker builds its settings from the environment: it tells them how many serve.
        os.environ["WORKERS"] = str(workers)
        return serve_workers(workers, options, url)
    # One process: the app's settings say so (the response cache's choice depends on it).
    config = uvicorn.Config(served_app(settings.model_copy(update={"workers": 1})), **options)
    # The event loop uvicorn would pick itself (uvloop when installed), as its workers run.
    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
        return runner.run(_run_server(uvicorn.Server(config), url))


async def _run_server(server: uvicorn.Server, url: str) -> int:
    """Serve until stopped; print the address once the socket is bound, so it answers at once."""
    task = await start(server)
    if server.started:
        print(ready_line(url), flush=True)
    await task
    return 0 if server.started else 1


def _migrate(args: argparse.Namespace) -> int:
    from directory.migrate import migrate

    asyncio.run(migrate(get_settings()))
    print("database is up to date")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from directory.demo.load import seed_demo_if_empty
    from directory.migrate import migrate

    if not args.demo:
        print("nothing to seed: pass --demo for the fictional Bazhong data set", file=sys.stderr)
        return 2
    settings = get_settings()
    asyncio.run(migrate(settings))
    asyncio.run(seed_demo_if_empty(settings))
    return 0


def _token_create(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from tortoise import Tortoise

    from directory.accounts.models import Role
    from directory.accounts.tokens import issue_token
    from directory.agencies.models import Agency
    from directory.clock import system_clock
    from directory.db import tortoise_config
    from directory.migrate import migrate

    settings = get_settings()
    role = Role(args.role)
    if (role is Role.AGENCY_ADMIN) != (args.agency is not None):
        print(
            "ipdir: --role agency_admin needs --agency ID; --role bureau takes none",
            file=sys.stderr,
        )
        return 2

    async def create() -> str:
        await migrate(settings)
        await Tortoise.init(config=tortoise_config(settings))
        try:
            if args.agency is not None and not await Agency.exists(id=args.agency):
                raise CommandError(
                    f"没有编号为 {args.agency} 的机构（no agency has the id {args.agency}）"
                )
            _, secret = await issue_token(
                role,
                args.name,
                system_clock(),
                agency_id=args.agency,
                valid_for=timedelta(days=args.days),
            )
        finally:
            await Tortoise.close_connections()
        return secret

    secret = asyncio.run(create())
    print(f"{role.value} token (shown once, valid {args.days} days):")
    print(secret)
    return 0


def _import(args: argparse.Namespace) -> int:
    from directory.clock import Moment, system_clock
    from directory.transfer.commands import import_file
    from directory.transfer.files import SheetError

    try:
        report = asyncio.run(
            import_file(
                get_settings(), args.what, args.file, args.dry_run, Moment.at(system_clock())
            )
        )
    except SheetError as exc:
        print(f"ipdir: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    return 1 if report.problems else 0


def _export(args: argparse.Namespace) -> int:
    from directory.transfer.commands import export_file
    from directory.transfer.exporting import EXPORTABLE

    if not args.template and args.what not in EXPORTABLE:
        exportable = ", ".join(EXPORTABLE)
        print(f"ipdir: {args.what} has only a --template; exports: {exportable}", file=sys.stderr)
        return 2
    output: Path | None = args.output
    fmt = args.format or (output.suffix.lstrip(".").lower() if output else "xlsx")
    if (args.template and fmt != "xlsx") or fmt not in ("xlsx", "csv"):
        print("ipdir: the format is xlsx or csv (a template is always xlsx)", file=sys.stderr)
        return 2
    output = output or Path(f"{args.what}{'-template' if args.template else ''}.{fmt}")
    if not output.parent.is_dir():
        print(f"ipdir: no such folder: {output.parent}", file=sys.stderr)
        return 2
    count = asyncio.run(
        export_file(get_settings(), args.what, output, fmt, args.private, args.template)
    )
    print(f"wrote {output}" + ("" if args.template else f": {count} {args.what}"))
    return 0


def _worker(args: argparse.Namespace) -> int:
    from worker.commands import run_worker

    return run_worker(get_settings())


def _check(args: argparse.Namespace) -> int:
    from worker.commands import run_check

    return run_check(get_settings(), args.dry_run)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ipdir", description="IP Service Directory (知识产权服务名录)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply migrations and serve the GraphQL API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument(
        "--demo", action="store_true", help="load the demo data into an empty database"
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers",
        type=_workers,
        help="processes serving, each a whole app (default: one per core in production, else 1)",
    )
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="apply pending migrations and reference data")
    migrate.set_defaults(run=_migrate)

    seed = commands.add_parser("seed", help="load data into an empty directory")
    seed.add_argument("--demo", action="store_true", help="the fictional Bazhong demo data set")
    seed.set_defaults(run=_seed)

    token = commands.add_parser("token", help="API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser("create", help="issue a token and print its secret once")
    create.add_argument("--role", choices=["bureau", "agency_admin"], required=True)
    create.add_argument("--agency", type=_positive, help="the agency's id, for agency_admin")
    create.add_argument("--name", default="bootstrap", help="who or what holds the token")
    create.add_argument(
        "--days", type=_token_days, default=365, help="days until it expires (1 to 1095)"
    )
    create.set_defaults(run=_token_create)

    sheets = ["agencies", "practitioners", "qualifications", "licences", "statistics"]
    import_ = commands.add_parser(
        "import", help="load a sheet (.xlsx or .csv, Chinese headers): all rows or none"
    )
    import_.add_argument("what", choices=sheets)
    import_.add_argument("file", type=Path, help="FILE.xlsx or FILE.csv")
    import_.add_argument(
        "--dry-run", action="store_true", help="check and report every row, write nothing"
    )
    import_.set_defaults(run=_import)

    export = commands.add_parser("export", help="write the directory, or a template, as a sheet")
    export.add_argument("what", choices=sheets)
    export.add_argument("--template", action="store_true", help="an empty sheet to fill in")
    export.add_argument("--format", choices=["xlsx", "csv"], help="default: from --output, or xlsx")
    export.add_argument("--output", type=Path, help="default: WHAT.xlsx in the current folder")
    export.add_argument(
        "--private", action="store_true", help="the bureau's: add phones, e-mails, ID numbers"
    )
    export.set_defaults(run=_export)

    worker = commands.add_parser(
        "worker", help="run the background worker: target checks, reminder scans, delivery"
    )
    worker.set_defaults(run=_worker)

    check = commands.add_parser(
        "check", help="check the targets and scan for reminders once, here, without Redis"
    )
    check.add_argument("--dry-run", action="store_true", help="print only, write nothing")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = get_settings()
        _check_database_folder(settings.database_url)
        result: int = args.run(args)
    except (SettingsError, CommandError) as exc:
        print(f"ipdir: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not database_unavailable(exc):
            raise
        print(f"ipdir: {_unreachable(exc)}", file=sys.stderr)
        return 2
    return result


def _check_port_free(host: str, port: int) -> None:
    """Refuse at once, in one line, a port that something else listens on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise CommandError(f"无法解析主机名（cannot resolve --host）: {host}: {exc}") from None
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise CommandError(
                f"端口 {port} 已被占用或不可用（port {port} on {host} is in use or not allowed: "
                f"{exc.strerror}）: choose another with --port"
            ) from None


class CommandError(RuntimeError):
    """Something the user can put right (an option, a setting, a busy port): one line."""


def _positive(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"须为正整数（must be a positive whole number）: {text}")
    return value


def _workers(text: str) -> int:
    value = _integer(text)
    if not 1 <= value <= MAX_WORKERS:
        message = f"须在 1 到 {MAX_WORKERS} 之间（1 to {MAX_WORKERS} processes）: {text}"
        raise argparse.ArgumentTypeError(message)
    return value


def _token_days(text: str) -> int:
    value = _integer(text)
    if not 1 <= value <= 1095:
        raise argparse.ArgumentTypeError(f"须在 1 到 1095 天之间（1 to 1095 days）: {text}")
    return value


def _port(text: str) -> int:
    value = _integer(text)
    if not 1 <= value <= 65535:
        message = f"端口须在 1 到 65535 之间（a port is 1 to 65535）: {text}"
        raise argparse.ArgumentTypeError(message)
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"须为整数（not a whole number）: {text}") from None


def _check_database_folder(url: str) -> None:
    """A SQLite file is made where DATABASE_URL says, but never a folder for it."""
    parts = urlsplit(url)
    if parts.scheme != "sqlite":
        return
    path = Path(parts.netloc + parts.path)
    if str(path) != ":memory:" and not path.parent.is_dir():
        raise CommandError(
            f"数据库文件夹不存在（no such folder for the database file）: {path.parent} "
            f"(DATABASE_URL={url})"
        )


def _unreachable(exc: BaseException) -> str:
    """One line for a database that does not answer: the cause and the variable to check."""
    from directory.queue import shown_url

    url = shown_url(get_settings().database_url)
    cause = exc
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__  # type: ignore[assignment]
    reason = str(cause) or type(cause).__name__
    return f"无法连接数据库（cannot reach the database）: {reason} (DATABASE_URL={url})"


if __name__ == "__main__":
    sys.exit(main())
