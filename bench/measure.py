"""One measurement in a process of its own, so its time is free of tracing and its peak memory is its own.

python bench/measure.py foi|returns|audit DATABASE_URL  -> prints JSON: seconds, peak RSS in MB, figures
"""

import json
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from approvals import audit, returns, transparency  # noqa: E402
from config import TestingConfig  # noqa: E402


def peak_rss_mb():
    """This process's own peak resident memory: the kernel's high-water mark of its address space (VmHWM).

    Not getrusage's ru_maxrss: Linux carries that over fork and exec, so a measurement started by a big parent
    (bench/run.py, holding what it generated) reported the parent's peak as its own.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main():
    what, url = sys.argv[1], sys.argv[2]
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        baseline = peak_rss_mb()
        started = time.perf_counter()
        if what == "foi":
            today = date.today()
            report = transparency.foi_statistics(today - timedelta(days=3650), today)
            stats_seconds = time.perf_counter() - started
            workbook = transparency.to_xlsx(report)
            result = {
                "deployments": report.totals["deployments"],
                "stats_s": stats_seconds,
                "xlsx_kb": len(workbook) / 1024,
            }
        elif what == "returns":
            # Every force's monthly return for the last twelve complete months, the .xlsx of each included.
            from sqlalchemy import select

            from extensions import db
            from models import Force

            forces = db.session.scalars(select(Force)).all()
            month = date.today().replace(day=1)
            made, xlsx_seconds = [], 0.0
            for _ in range(12):
                month = (month - timedelta(days=1)).replace(day=1)
                date_from, date_to = returns.month_period(month.year, month.month)
                made += returns.period_returns(forces, date_from, date_to)
            figures_seconds = time.perf_counter() - started
            for result in made:
                returns.to_xlsx(result)
            xlsx_seconds = time.perf_counter() - started - figures_seconds
            result = {"returns": len(made), "forces": len(forces), "figures_s": figures_seconds, "xlsx_s": xlsx_seconds}
        else:
            checked, broken = audit.verify()
            assert broken is None
            result = {"events": checked}
        result["seconds"] = time.perf_counter() - started
        result["peak_rss_mb"] = peak_rss_mb()
        result["baseline_rss_mb"] = baseline
    print(json.dumps(result))


if __name__ == "__main__":
    main()
