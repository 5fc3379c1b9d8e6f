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
    # The approving step and the letter it issues were timed apart (one letter a timed lifecycle).
    assert "The approving step" in text and "The letter's own cost" in text


def test_a_measurement_reports_its_own_peak_memory_not_its_parents():
    """bench/measure.py runs in a process of its own so that its peak memory is its own: a parent holding 300 MB
    more than the measurement needs (as bench/run.py holds what it generated) must not show in the figure."""
    child = "import sys; sys.path.insert(0, 'bench'); import measure; print(measure.peak_rss_mb())"
    parent = (
        "import subprocess, sys\n"
        "held = bytearray(300 * 1024 * 1024)\n"
        "for i in range(0, len(held), 4096): held[i] = 1\n"
        f"print(subprocess.run([sys.executable, '-c', {child!r}], capture_output=True, text=True, check=True).stdout)\n"
    )
    result = subprocess.run([sys.executable, "-c", parent], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert float(result.stdout.strip()) < 250  # the app imported, about 100 MB; the parent alone held over 300
