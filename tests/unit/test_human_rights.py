from approvals.human_rights import Assessment, refusals, validate


def rules(found):
    return {r.rule for r in found}


def test_serious_residual_is_left_to_the_ministerial_route():
    # Issue 17: a serious risk is referred to ministers, judged in approvals.ministerial.route_refusals.
    found = refusals(Assessment(residual="serious", mitigations="Vetting"), None, "", positive=True)
    assert "hr_serious" not in rules(found)


def test_serious_residual_does_not_stop_a_decline():
    assert refusals(Assessment(residual="serious"), None, "", positive=False) == []


def test_high_residual_needs_written_mitigations():
    assert rules(refusals(Assessment(residual="high"), None, "", True)) == {"hr_high_needs_mitigations"}
    assert refusals(Assessment(residual="high", mitigations="Human-rights training first"), None, "", True) == []


def test_a_gate_may_raise_the_rating_freely_but_lowering_needs_a_reason():
    assert refusals(Assessment(residual="high", mitigations="m"), "medium", "", True) == []
    assert rules(refusals(Assessment(residual="low"), "medium", "", True)) == {"hr_lowered_without_reason"}
    assert rules(refusals(Assessment(residual="low"), "medium", "", False)) == {"hr_lowered_without_reason"}
    assert refusals(Assessment(residual="low"), "medium", "Assurances received from the ministry", True) == []


def test_validate_names_missing_residual_unknown_risks_and_missing_likelihood():
    errors = validate(Assessment(risks=["torture", "made_up"], residual=None))
    assert set(errors) == {"hr_risks", "hr_residual", "hr_likelihood"}
    assert validate(Assessment(risks=["torture"], likelihood="possible", residual="medium")) == {}
