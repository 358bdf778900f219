"""The `ipdir` command explains what a user can put right in one line, naming the cause and
the variable or option to change, and never prints a traceback for it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from directory.serving import free_port


def _ipdir(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("ENVIRONMENT", None)
    return subprocess.run(
        [sys.executable, "-m", "directory.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_unreachable_postgresql_names_database_url():
    url = f"postgres://ipdir:secret@127.0.0.1:{free_port()}/ipdir"
    line = _one_line_error(_ipdir("migrate", database_url=url))
    assert line.startswith("ipdir: 无法连接数据库（cannot reach the database）")
    assert "DATABASE_URL=postgres://ipdir:***@127.0.0.1" in line
    assert "secret" not in line


def test_a_sqlite_file_in_a_missing_folder_names_the_folder(tmp_path):
    url = f"sqlite://{tmp_path / 'missing' / 'ipdir.sqlite3'}"
    line = _one_line_error(_ipdir("migrate", database_url=url))
    assert line.startswith("ipdir: 数据库文件夹不存在")
    assert str(tmp_path / "missing") in line and "DATABASE_URL=" in line


def test_a_busy_port_says_so_before_anything_starts(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        url = f"sqlite://{tmp_path / 'ipdir.sqlite3'}"
        line = _one_line_error(_ipdir("serve", "--port", str(port), database_url=url))
    assert line.startswith(f"ipdir: 端口 {port} 已被占用")
    assert "--port" in line
    assert not (tmp_path / "ipdir.sqlite3").exists()  # refused before migrating


def test_token_days_must_be_in_range(tmp_path):
    url = f"sqlite://{tmp_path / 'ipdir.sqlite3'}"
    for days in ("-5", "0", "5000", "many"):
        result = _ipdir("token", "create", "--role", "bureau", "--days", days, database_url=url)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "argument --days" in result.stderr
    assert not (tmp_path / "ipdir.sqlite3").exists()


def test_a_token_for_an_agency_that_does_not_exist_is_refused(server):
    result = _ipdir(
        "token",
        "create",
        "--role",
        "agency_admin",
        "--agency",
        "999999",
        database_url=server.settings.database_url,
    )
    line = _one_line_error(result)
    assert line == "ipdir: 没有编号为 999999 的机构（no agency has the id 999999）"
