"""ops/cluster.sh driven from Python: start, stop, the servers' URLs and their worker pids."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "ops" / "cluster.sh"


def free_ports(count: int) -> list[int]:
    """Local ports nothing listens on now (bound, read, released together)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class Cluster:
    """App servers (gunicorn, one per port) and an `alur worker` on one PostgreSQL database."""

    def __init__(
        self,
        url: str,
        run_dir: Path,
        ports: list[int],
        workers: int = 3,
        worker: bool = True,
        env: dict[str, str] | None = None,
    ):
        self.run_dir, self.ports = Path(run_dir), list(ports)
        self.env = {
            **os.environ,
            "ALUR_DATABASE_URL": url,
            "ALUR_RUN_DIR": str(self.run_dir),
            "ALUR_UPLOAD_DIR": str(self.run_dir / "files"),
            "ALUR_CLUSTER_PORTS": " ".join(map(str, self.ports)),
            "ALUR_WORKERS": str(workers),
            "ALUR_CLUSTER_WORKER": "1" if worker else "0",
            "ALUR_STOP_WAIT": "20",
            **(env or {}),
        }

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def _run(self, command: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SCRIPT), command],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=check,
        )

    def start(self) -> str:
        result = self._run("start", check=False)
        if result.returncode:
            self._run("stop", check=False)
            raise RuntimeError(f"cluster.sh start failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def stop(self) -> str:
        return self._run("stop", check=False).stdout

    def status(self) -> subprocess.CompletedProcess:
        return self._run("status", check=False)

    def master_pid(self, port: int) -> int:
        return int((self.run_dir / f"server-{port}.pid").read_text().strip())

    def worker_pids(self, port: int) -> list[int]:
        """The gunicorn workers of the server on port (the master's children)."""
        master, found = self.master_pid(port), []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[1]) == master:
                found.append(int(stat.parent.name))
        return sorted(found)

    def log(self, port: int) -> str:
        return (self.run_dir / f"server-{port}.log").read_text(errors="replace")

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
