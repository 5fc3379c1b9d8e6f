from pathlib import Path

from approvals.workflow import mermaid

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_diagram_is_the_one_the_machine_generates():
    assert mermaid() in README.read_text(), "regenerate with: flask --app app workflow-diagram"


def test_the_readme_starts_with_the_two_commands():
    text = README.read_text()
    setup = text.index("## Set up")
    assert text.index("make run", setup) < text.index("make test", setup) < text.index("## What it does")


def test_every_test_the_security_section_names_exists():
    import re

    section = README.read_text().split("## Security model", 1)[1]
    named = set(re.findall(r"`(tests/[\w/]+\.py)`", section))
    assert len(named) >= 8
    missing = [path for path in named if not (README.parent / path).is_file()]
    assert missing == []
