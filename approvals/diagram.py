"""The state diagram as a picture (issue 26): DOT generated from the machine (approvals.machine.dot), drawn by
Graphviz into static/workflow.svg, which is committed so that no server needs Graphviz. The SVG carries the
SHA-256 of the DOT it was drawn from; a test fails when the machine changes and the picture was not redrawn
(`make workflow-svg`)."""

import hashlib
import re
import shutil

# Graphviz runs on DOT text we generate, never on user input.
import subprocess  # nosec B404
from pathlib import Path

from approvals.machine import dot

SVG_PATH = Path(__file__).resolve().parents[1] / "static" / "workflow.svg"
MARK = "s26-dot-sha256"


def dot_digest():
    return hashlib.sha256(dot().encode()).hexdigest()


def draw_svg():
    """Run Graphviz on the machine's DOT; the SVG scales to its container (no fixed width or height)."""
    program = shutil.which("dot")
    if program is None:
        raise RuntimeError("Graphviz's dot is missing: make graphviz")
    # A fixed program and arguments; the input is our own DOT text.
    svg = subprocess.run(  # nosec B603
        [program, "-Tsvg"], input=dot(), capture_output=True, text=True, check=True, timeout=60
    ).stdout
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)  # Graphviz's own comments name its version
    svg = re.sub(r"<!DOCTYPE[^>]*>\n?", "", svg, flags=re.S)
    return svg.replace("<svg", f'<svg data-{MARK}="{dot_digest()}"', 1)


def drawn_digest(path=SVG_PATH):
    match = re.search(rf'data-{MARK}="([0-9a-f]{{64}})"', path.read_text(encoding="utf-8"))
    return match.group(1) if match else None
