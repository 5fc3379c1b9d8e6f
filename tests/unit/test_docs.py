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


def test_the_help_pages_picture_is_drawn_from_the_machine_as_it_is():
    from approvals.diagram import SVG_PATH, dot_digest, drawn_digest
    from approvals.machine import STATE_TEXT, dot, transitions_table

    assert drawn_digest() == dot_digest(), "redraw it with: make workflow-svg"
    svg = SVG_PATH.read_text()
    assert "<svg" in svg and "viewBox" in svg and 'width="' not in svg.split(">", 2)[1]
    for state in STATE_TEXT.values():
        assert f">{state.label}</text>" in svg
    for source, event, dest, _ in transitions_table():
        assert f"{source} -> {dest} [label=\"{event.replace('_', ' ')}\"" in dot()
