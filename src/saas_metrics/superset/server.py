"""A local Superset over the demo warehouse, in its own venv (.venv-superset).

Superset 6.1 pins SQLAlchemy 1.4 and pandas 2.1, so it never shares the project's venv:
everything here talks to it through `.venv-superset/bin/...` subprocesses.

DuckDB and concurrent builds: a DuckDB file that one process has open read-write cannot
be opened by any other process, so Superset never reads the file dbt writes. It reads a
replica, `target/superset/warehouse_replica.duckdb`, refreshed by `refresh_replica`:
open the warehouse read-only (which fails while a build holds it, so we wait and never
copy a half-written file), copy it next to the replica and rename over it. The rename is
atomic; queries already running keep the old file open, new ones see the new build. The
server refreshes the replica whenever the warehouse file changes.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from saas_metrics import PROJECT_ROOT

SUPERSET_DIR = PROJECT_ROOT / "superset"
REQUIREMENTS = SUPERSET_DIR / "requirements.txt"
CONFIG_PATH = SUPERSET_DIR / "superset_config.py"
HARNESS = SUPERSET_DIR / "harness.py"
DEFAULT_VENV = PROJECT_ROOT / ".venv-superset"
# git-ignored (target/); `make clean` resets it and the next `make superset` starts afresh
DEFAULT_HOME = PROJECT_ROOT / "target" / "superset"
ADMIN_USER = "admin"


def _requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def ensure_venv(venv: Path = DEFAULT_VENV, python: str = "python3.11",
                quiet: bool = True) -> Path:
    """Create the Superset venv from superset/requirements.txt unless it is up to date."""
    stamp = venv / ".installed"
    digest = _requirements_digest()
    if stamp.exists() and stamp.read_text().strip() == digest:
        return venv
    if not (venv / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install"] + (["-q"] if quiet else [])
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(digest + "\n")
    return venv


@dataclass
class SupersetHome:
    """A Superset metadata folder: sqlite DB, secret key, admin password, replica."""

    path: Path
    venv: Path = DEFAULT_VENV

    @property
    def secret_key(self) -> str:
        key_file = self.path / "secret_key"
        if not key_file.exists():
            self.path.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(42))
            key_file.chmod(0o600)
        return key_file.read_text().strip()

    @property
    def replica(self) -> Path:
        return self.path / "warehouse_replica.duckdb"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        # never leak the project's venv into Superset's interpreter
        env.pop("VIRTUAL_ENV", None)
        env.update({
            "SUPERSET_HOME": str(self.path),
            "SUPERSET_CONFIG_PATH": str(CONFIG_PATH),
            "SUPERSET_SECRET_KEY": self.secret_key,
            "FLASK_APP": "superset.app:create_app()",
            "PYTHONWARNINGS": "ignore",
        })
        return env

    def run(self, *args: str, check: bool = True, capture: bool = True
            ) -> subprocess.CompletedProcess:
        result = subprocess.run(
            list(args), env=self.env(), cwd=self.path, text=True,
            capture_output=capture, check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:3])} failed ({result.returncode}):\n"
                               f"{(result.stdout or '')[-3000:]}\n{(result.stderr or '')[-3000:]}")
        return result

    def superset(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run(str(self.venv / "bin" / "superset"), *args, check=check)

    @property
    def initialised(self) -> bool:
        return (self.path / "admin_password").exists() and (self.path / "superset.db").exists()

    def initialise(self, admin_password: str | None = None) -> str:
        """db upgrade + admin user + roles (about 20 s). Returns the admin password."""
        self.path.mkdir(parents=True, exist_ok=True)
        # letters and digits only: easy to type, never taken for a command-line option
        password = admin_password or "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(16))
        self.superset("db", "upgrade")
        self.superset("fab", "create-admin", "--username", ADMIN_USER, "--firstname",
                      "Metrics", "--lastname", "Admin", "--email", "admin@localhost",
                      f"--password={password}")
        self.superset("init")
        password_file = self.path / "admin_password"
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        return password

    @property
    def admin_password(self) -> str:
        return (self.path / "admin_password").read_text().strip()

    def check(self, bundles: list[Path], out: Path) -> subprocess.CompletedProcess:
        """Import the bundles in order and fetch every chart's data (superset/harness.py)."""
        return self.run(str(self.venv / "bin" / "python"), str(HARNESS), "check",
                        f"--user={ADMIN_USER}", f"--password={self.admin_password}",
                        f"--out={out}", *map(str, bundles))

    def scoped(self, bundle: Path, role: str, out: Path) -> subprocess.CompletedProcess:
        """Import the bundle (rules included), then every chart's data as a user with
        the scope role `role` (superset/harness.py scoped)."""
        return self.run(str(self.venv / "bin" / "python"), str(HARNESS), "scoped",
                        f"--user={ADMIN_USER}", f"--password={self.admin_password}",
                        f"--out={out}", f"--as-role={role}", str(bundle))


def refresh_replica(source: Path, replica: Path, timeout: float = 600.0) -> bool:
    """Copy a consistent snapshot of `source` to `replica` (atomic rename).

    Holding a read-only DuckDB connection keeps writers (dbt) out while we copy, and
    opening one fails while a build is running: then we wait. Returns False on timeout.
    """
    import duckdb

    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = duckdb.connect(str(source), read_only=True)
        except duckdb.Error:
            if time.monotonic() > deadline:
                return False
            time.sleep(2)
            continue
        try:
            replica.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".replica-", suffix=".duckdb",
                                            dir=replica.parent)
            os.close(fd)
            shutil.copyfile(source, tmp_name)
            os.replace(tmp_name, replica)
        finally:
            connection.close()
        return True


def duckdb_uri(path: Path) -> str:
    return f"duckdb:///{Path(path).resolve()}?access_mode=read_only"


def _watch_and_refresh(source: Path, replica: Path, stop: threading.Event,
                       interval: float = 10.0) -> None:
    last = source.stat().st_mtime if source.exists() else 0.0
    while not stop.wait(interval):
        try:
            current = source.stat().st_mtime
        except FileNotFoundError:
            continue
        if current != last and refresh_replica(source, replica, timeout=3600):
            last = current
            print(f"[superset] replica refreshed from {source}", flush=True)


def _row_access_of(duckdb_file: Path) -> tuple[list, list]:
    """Reader scopes (the seed) and the dimension, for the bundle's row-level rules."""
    from saas_metrics.quality.row_access import load_row_access
    from saas_metrics.warehouse import connect_duckdb

    conn = connect_duckdb(duckdb_file, read_only=True)
    try:
        return load_row_access(conn, "duckdb")
    finally:
        conn.close()


def serve(warehouse: Path, host: str = "127.0.0.1", port: int = 8088,
          home: Path = DEFAULT_HOME, venv: Path = DEFAULT_VENV) -> int:
    """Install (once), initialise (once), import the assets and run Superset."""
    from saas_metrics.superset.bundle import build_bundle

    warehouse = Path(warehouse).resolve()
    if not warehouse.exists():
        print(f"No warehouse at {warehouse}: run `make demo` first.", file=sys.stderr)
        return 1
    if not (venv / ".installed").exists():
        print("[superset] installing .venv-superset (about a minute, once)", flush=True)
    ensure_venv(venv)
    superset_home = SupersetHome(home.resolve(), venv)
    if not superset_home.initialised:
        print("[superset] initialising the metadata DB (about 20 s)", flush=True)
        superset_home.initialise()
    if not refresh_replica(warehouse, superset_home.replica, timeout=600):
        print("[superset] the warehouse stayed locked by a build for 10 min", file=sys.stderr)
        return 1
    bundle = superset_home.path / "bundle.zip"
    build_bundle(duckdb_uri(superset_home.replica), bundle,
                 row_access=_row_access_of(superset_home.replica))
    superset_home.check([bundle], superset_home.path / "last_import.json")
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_and_refresh, daemon=True,
                               args=(warehouse, superset_home.replica, stop))
    watcher.start()
    print(f"[superset] http://{host}:{port}/  login: {ADMIN_USER} / "
          f"{superset_home.admin_password}", flush=True)
    process = subprocess.Popen(
        [str(venv / "bin" / "superset"), "run", "-h", host, "-p", str(port),
         "--with-threads"], env=superset_home.env(), cwd=superset_home.path)

    def _stop(signum, frame):  # SIGTERM as well as Ctrl-C stops the server with us
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
    finally:
        stop.set()
