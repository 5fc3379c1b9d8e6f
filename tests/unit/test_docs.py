from pathlib import Path

from approvals.workflow import mermaid

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_diagram_is_the_one_the_machine_generates():
    assert mermaid() in README.read_text(), "regenerate with: flask --app app workflow-diagram"


def test_the_readme_starts_with_the_two_commands():
    text = README.read_text()
    setup = text.index("## Set up")
    assert text.index("make run", setup) < text.index("make test", setup) < text.index("## What it does")
