"""Run pip-audit on the installed environment; fail on any known vulnerability.

When the vulnerability database cannot be reached (no network to PyPI's JSON API or OSV), pip-audit
skips every package instead of auditing it. That is reported loudly but does not fail the build:
an unreachable database is not a finding. Any package with a known vulnerability always fails it.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main():
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "audit.json"
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own tool
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "-o",
                str(report_path),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if not report_path.exists():
            print(result.stderr, file=sys.stderr)
            return 2
        dependencies = json.loads(report_path.read_text())["dependencies"]
    code, lines = verdict(dependencies)
    print("\n".join(lines))
    return code


def verdict(dependencies):
    """(exit code, lines to print) for pip-audit's list of dependencies."""
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    lines = [f"VULNERABLE {d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}" for d in vulnerable]
    if vulnerable:
        return 1, lines
    if not audited:
        return 0, [
            f"WARNING: the vulnerability database could not be reached; {len(dependencies)} packages were NOT audited."
        ]
    skipped = len(dependencies) - len(audited)
    return 0, [f"pip-audit: {len(audited)} packages audited, no known vulnerabilities ({skipped} skipped)"]


if __name__ == "__main__":
    sys.exit(main())
