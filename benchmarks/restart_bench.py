"""A class arriving on a freshly started server: N people log in at the same moment, on the new
process (cold) and then again on the same process (warm, the anchor), after each of ``--restarts``
starts of the real server (``streamlit run serve.py``, SQLite, the seeded class of
``load_bench.py``, driven over Streamlit's websocket like it).

Reports, per start, the median and worst login time and the server's CPU seconds for the N logins;
then the medians over the starts and the cold/warm ratios. What a restart used to cost the class:
every session's first run read the bundled content again and waited for the first page's imports
(``workbench/once.py``, ``ui/warm_up.py``).

    python benchmarks/restart_bench.py [--users 25] [--restarts 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import load_bench as lb  # the benchmark next door: its seed, server and people

LOGIN = "log in (home page)"


def logins(server: lb.Server, users: int) -> tuple[float, float, float, int]:
    """Everyone logs in at once: median and worst seconds, server CPU, failures."""
    before = lb.cpu_seconds(server.process)
    ledger = asyncio.run(lb.together(server, users, 120, rounds=0))
    times = ledger.times[LOGIN]
    failed = sum(len(v) for v in ledger.failures.values())
    for name, lines in ledger.failures.items():
        for line in lines[:2]:
            print(f"  failed {name}: {line[:200]}")
    return statistics.median(times), max(times), lb.cpu_seconds(server.process) - before, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--restarts", type=int, default=3)
    args = parser.parse_args(argv)
    rows: dict[str, list[tuple[float, float, float, int]]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory(prefix="restart-bench-") as tmp:
        data_dir = Path(tmp)
        os.environ["ATELIER_DATA_DIR"] = tmp
        os.environ.setdefault("ATELIER_SECRET_KEY", "restart-bench-secret")
        url = f"sqlite:///{data_dir / 'atelier.db'}"
        os.environ["ATELIER_DATABASE_URL"] = url
        lb.seed(url, args.users)
        print(f"{'start':>5} {'process':>7} {'median':>7} {'max':>6} {'cpu':>6} {'failed':>6} {'load':>5}")
        for start in range(1, args.restarts + 1):
            with lb.Server(url, data_dir) as server:
                for state in ("cold", "warm"):
                    row = logins(server, args.users)
                    rows[state].append(row)
                    median, worst, cpu, failed = row
                    print(
                        f"{start:>5} {state:>7} {median:>7.2f} {worst:>6.2f} {cpu:>6.2f} {failed:>6} "
                        f"{os.getloadavg()[0]:>5.1f}",
                        flush=True,
                    )
    cold = [statistics.median(r[i] for r in rows["cold"]) for i in range(3)]
    warm = [statistics.median(r[i] for r in rows["warm"]) for i in range(3)]
    print(
        f"medians over {args.restarts} starts — cold: login {cold[0]:.2f} s (worst {cold[1]:.2f}), "
        f"CPU {cold[2]:.2f} s; warm: {warm[0]:.2f} s (worst {warm[1]:.2f}), CPU {warm[2]:.2f} s; "
        f"cold/warm {cold[0] / warm[0]:.2f} × time, {cold[2] / warm[2]:.2f} × CPU"
    )
    return 1 if any(r[3] for r in rows["cold"] + rows["warm"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
