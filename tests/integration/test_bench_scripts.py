"""The benchmark scripts still run, on a tiny size (timings belong to `make bench`, not here)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmarks_run_end_to_end_on_a_tiny_size(tmp_path):
    database = "postgresql" if os.environ.get("S26_TEST_DB") == "postgresql" else "sqlite"
    out = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--requests",
            "200",
            "--audit-events",
            "1000",
            "--workflow",
            "3",
            "--load-seconds",
            "0",
            "--databases",
            database,
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(
            os.environ, PG_URL=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
        ),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text()
    assert f"## {database}" in text and "1,000 events verified" in text and "Ratio" in text
    # The general-purpose engine ran beside ours, and each side's statements per step were counted.
    assert "| SpiffWorkflow 3.2 |" in text and "x the peer's" in text
