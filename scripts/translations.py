"""The message catalogues (issue 25): extract, fill, compile and check.

    python scripts/translations.py update    # extract the text from the code into translations/messages.pot and
                                             # merge it into every catalogue, filling Welsh from translations/cy.py
    python scripts/translations.py compile   # .po -> .mo (make run and make test do this)
    python scripts/translations.py check     # fails if any catalogue has a missing or fuzzy translation
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"


def catalogues():
    return sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def _mapping(language):
    source = TRANSLATIONS / f"{language}.py"
    if not source.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"translations_{language}", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, language.upper())


def dynamic_messages():
    """Text held as data in the code and translated where it is shown (emails: gate titles, what happened, roles,
    the return's figures): no extractor finds it, so it is read from the modules that define it."""
    sys.path.insert(0, str(ROOT))
    from approvals.gates import GATES
    from approvals.machine import EVENT_WORDING, GATE_WORDING
    from approvals.marking import EMAIL_PLACEHOLDERS
    from approvals.returns import FIGURES
    from models.reference_data import ROLES

    return sorted(
        {
            *(gate.title for gate in GATES),
            *(gate.title.lower() for gate in GATES),
            *(wording.subject for wording in EVENT_WORDING.values() if wording.subject),
            *(wording.waiting for wording in GATE_WORDING.values()),
            *ROLES.values(),
            *(heading for _, heading in FIGURES),
            *EMAIL_PLACEHOLDERS.values(),
        }
    )


def extract(target):
    """Every translatable text into the template `target`: what pybabel finds, and the dynamic messages."""
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    command = [pybabel, "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "--no-location", "--sort-output"]
    subprocess.run([*command, "-o", str(target), "."], check=True, cwd=ROOT)
    with open(target, "rb") as handle:
        template = read_po(handle)
    for text in dynamic_messages():
        if text not in template:
            template.add(text)
    with open(target, "wb") as handle:
        write_po(handle, template, no_location=True, sort_output=True, width=120)


def update():
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    extract(POT)
    subprocess.run([pybabel, "-q", "update", "-N", "-i", str(POT), "-d", str(TRANSLATIONS)], check=True, cwd=ROOT)
    for path in catalogues():
        language = path.parent.parent.name
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        mapping = _mapping(language)
        for message in catalogue:
            if message.id and message.id in mapping:
                message.string = mapping[message.id]
                message.flags.discard("fuzzy")
        catalogue.obsolete.clear()
        with path.open("wb") as handle:
            write_po(handle, catalogue, no_location=True, sort_output=True, width=120)


def compile_all():
    for path in catalogues():
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalogue)


def problems():
    """Every untranslated or fuzzy message in every catalogue, as 'cy: msgid' lines."""
    found = []
    for path in catalogues():
        language = path.parent.parent.name
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                found.append(f"{language}: {message.id if isinstance(message.id, str) else message.id[0]}")
    return found


def main(argv):
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        for line in found:
            print(f"missing or fuzzy: {line}")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
