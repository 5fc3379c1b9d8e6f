"""The suite's reflow check (tests/e2e/conftest.py) draws every kind of page the browser tests were shown at 320 px;
here it is shown a page that is too wide, and must refuse it, and a GOV.UK page that fits, and must pass it."""

import pytest

from tests.e2e import conftest


def test_the_reflow_check_refuses_a_page_that_scrolls_sideways(browser, live_url):
    wide = '<!DOCTYPE html><html lang="en"><title>Wide</title><body><div style="width:900px">Wide</div></body></html>'
    conftest.SHOWN.append((("/reflow-wide", ()), f"{live_url}/reflow-wide", wide))
    with pytest.raises(AssertionError, match="reflow-wide: 9\\d\\d px wide"):
        conftest.reflow_check(browser)
    conftest.REFLOWED.discard(("/reflow-wide", ()))
    conftest.WIDE[:] = [page for page in conftest.WIDE if "/reflow-wide" not in page]  # the suite's own count


def test_the_reflow_check_passes_a_page_that_fits(browser, live_url):
    fits = '<!DOCTYPE html><html lang="en"><title>Fits</title><body><p>Fits at any width</p></body></html>'
    conftest.SHOWN.append((("/reflow-fits", ()), f"{live_url}/reflow-fits", fits))
    conftest.reflow_check(browser)
    assert ("/reflow-fits", ()) in conftest.REFLOWED
    conftest.REFLOWED.discard(("/reflow-fits", ()))
