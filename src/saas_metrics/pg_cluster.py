"""A throwaway PostgreSQL cluster for tests and benchmarks.

Sessions and CI run as root, and initdb/pg_ctl refuse root, so the cluster is created and
run as the ``postgres`` system user. The data directory and socket live in one temporary
directory owned by that user; ``stop()`` removes it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """Raised with a message that says how to install the server binaries."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise PostgresUnavailable(
        f"PostgreSQL server binary '{name}' not found. Install it with "
        "`apt-get install -y postgresql` (Debian) and run the tests again."
    )


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@dataclass
class ThrowawayCluster:
    """Start with ``start()``, read ``env`` for PG* variables, ``stop()`` when done."""

    port: int = field(default_factory=_free_port)
    base_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="saas_metrics_pg_")))
    user: str = "postgres"
    database: str = "postgres"

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def env(self) -> dict[str, str]:
        return {
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGPASSWORD": "",
            "PGDATABASE": self.database,
        }

    def start(self) -> ThrowawayCluster:
        initdb = _find_binary("initdb")
        pg_ctl = _find_binary("pg_ctl")
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:  # pragma: no cover - depends on the machine
                raise PostgresUnavailable(
                    "Running as root needs the 'postgres' system user; install the "
                    "`postgresql` Debian package."
                ) from exc
            os.chown(self.base_dir, pw.pw_uid, pw.pw_gid)
        subprocess.run(
            _as_postgres([initdb, "-D", str(self.data_dir), "-A", "trust", "-U", self.user,
                          "--encoding=UTF8", "--locale=C"]),
            check=True, capture_output=True,
        )
        options = (
            f"-p {self.port} -k {self.base_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c shared_buffers=512MB -c work_mem=64MB -c max_connections=60 -c TimeZone=UTC"
        )
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(self.data_dir), "-o", options,
                          "-l", str(self.base_dir / "server.log"), "-w", "start"]),
            check=True, capture_output=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.2)
        raise PostgresUnavailable(f"PostgreSQL did not accept connections on port {self.port}")

    def stop(self) -> None:
        pg_ctl = _find_binary("pg_ctl")
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "stop"]),
            check=False, capture_output=True,
        )
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def create_database(self, name: str) -> None:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user,
                                dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'create database "{name}"')
        conn.close()
