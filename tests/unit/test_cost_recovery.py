from types import SimpleNamespace as Row

import pytest

from approvals import cost_recovery as cr


def lines(*amounts):
    return [Row(amount_pence=a) for a in amounts]


def funding(*pairs):
    return [Row(amount_pence=a, committed=c) for a, c in pairs]


def test_full_cost_is_the_sum_of_cost_lines():
    assert cr.full_cost(lines(100, 250, 1)) == 351


def test_only_committed_funding_counts_and_expected_is_shown_apart():
    position = cr.position(lines(1000), funding((600, True), (300, False)))
    assert (position.committed_pence, position.expected_pence, position.shortfall_pence) == (600, 300, 400)


def test_shortfall_never_goes_below_zero_when_overfunded():
    assert cr.position(lines(1000), funding((1500, True))).shortfall_pence == 0


def test_recovery_percent_and_no_cost():
    assert cr.position(lines(1000), funding((250, True))).recovery_percent == 25.0
    assert cr.position([], []).recovery_ratio is None


def test_shortfall_refuses_a_positive_decision_without_a_waiver_reason():
    position = cr.position(lines(1000), [])
    assert "£10.00" in cr.shortfall_refusal(position, "")
    assert cr.shortfall_refusal(position, "   ") is not None
    assert cr.shortfall_refusal(position, "Home Office-funded strategic priority") is None


def test_no_shortfall_needs_no_waiver():
    assert cr.shortfall_refusal(cr.position(lines(1000), funding((1000, True))), "") is None


@pytest.mark.parametrize(
    "text,pence", [("1250", 125000), ("£1,250.50", 125050), ("0.5", 50), (" 7.05 ", 705), ("100000000", 10_000_000_000)]
)
def test_parse_pounds(text, pence):
    assert cr.parse_pounds(text) == pence


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "Enter an amount"),
        ("-5", "0 or more"),
        ("abc", "must be a number"),
        ("1.234", "must be a number"),
        ("100000000.01", "£100 million or less"),
    ],
)
def test_parse_pounds_refuses_bad_amounts(text, message):
    with pytest.raises(ValueError, match=message):
        cr.parse_pounds(text)


def test_format_pence():
    assert cr.format_pence(123456789) == "£1,234,567.89"
    assert cr.format_pence(-5) == "-£0.05"


def test_close_out_variance_and_unrecovered():
    close = cr.CloseOut(estimate_pence=10_000, actual_cost_pence=12_500, recovered_pence=11_000)
    assert (close.variance_pence, close.unrecovered_pence) == (2_500, 1_500)
