import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "audit_dependencies", Path(__file__).parents[2] / "scripts" / "audit_dependencies.py"
)
audit_dependencies = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_dependencies)
verdict = audit_dependencies.verdict


def test_a_known_vulnerability_fails_the_build():
    code, lines = verdict(
        [{"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-1"}]}, {"name": "x", "version": "1", "vulns": []}]
    )
    assert code == 1 and lines == ["VULNERABLE flask 0.1: PYSEC-1"]


def test_an_unreachable_database_warns_but_does_not_fail():
    code, lines = verdict([{"name": "flask", "version": "3", "skip_reason": "Dependency not found on PyPI"}])
    assert code == 0 and "NOT audited" in lines[0]


def test_a_clean_audit_passes():
    assert verdict([{"name": "flask", "version": "3", "vulns": []}])[0] == 0
