"""The message catalogues (issue 25): every user-facing text marked for translation is in every catalogue,
translated and not fuzzy, and the compiled catalogues the app loads are built from the current .po files."""

import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import translations  # noqa: E402


def test_every_catalogue_is_complete_with_no_missing_or_fuzzy_translation():
    assert translations.catalogues(), "no catalogue in translations/"
    assert translations.problems() == []


def test_every_text_in_the_code_is_in_every_catalogue(tmp_path):
    pot = tmp_path / "messages.pot"
    translations.extract(pot)
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    assert wanted, "no text was extracted"
    for path in translations.catalogues():
        with path.open("rb") as handle:
            have = {m.id for m in read_po(handle) if m.id}
        missing = sorted(wanted - have)
        assert not missing, f"{path.parent.parent.name} lacks {missing[:5]}: run make translations-update"


def test_the_compiled_catalogues_match_their_sources():
    for path in translations.catalogues():
        with path.open("rb") as handle:
            source = {m.id: m.string for m in read_po(handle) if m.id}
        with path.with_suffix(".mo").open("rb") as handle:
            compiled = {m.id: m.string for m in read_mo(handle) if m.id}
        assert compiled == source, f"{path.with_suffix('.mo')} is stale: run make translations"
