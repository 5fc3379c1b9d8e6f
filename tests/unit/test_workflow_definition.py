"""The machine's definition itself: no shortcuts, the gate order, the diagram."""

from types import SimpleNamespace

import pytest
from transitions import MachineError

from approvals import workflow
from approvals.gates import GATES


def test_there_are_no_auto_transitions_to_jump_to_approved():
    request = SimpleNamespace(state="draft")
    assert not hasattr(request, "to_approved")
    assert not any(name.startswith("to_") for name in workflow.machine.events)


def test_gates_run_chief_officer_pcc_home_secretary_ipab():
    assert [g.role for g in GATES] == ["chief_officer", "pcc_office", "home_office", "ipab"]
    for gate, expected in zip(
        GATES, ["awaiting_pcc", "awaiting_home_secretary", "awaiting_ipab", "approved"], strict=True
    ):
        transitions = workflow.machine.events[gate.trigger].transitions[gate.state]
        rows = [(t.dest, [c.func.__name__ for c in t.conditions]) for t in transitions]
        # The PCC's approval waits for every contributing force's part, and a general authorisation's cover skips
        # the Home Office gate (issue 23); every other gate has one unconditional row.
        if gate.trigger == "approve":
            assert rows == [
                ("awaiting_ipab", ["contributing_parts_approved", "covered_by_general_authorisation"]),
                (expected, ["contributing_parts_approved"]),
            ]
        else:
            assert rows == [(expected, [])]


def test_the_diagram_shows_the_general_authorisation_route_and_the_call_in():
    diagram = workflow.mermaid()
    assert (
        "awaiting_pcc --> awaiting_ipab: approve [contributing_parts_approved, covered_by_general_authorisation]"
        in diagram
    )
    assert "awaiting_pcc --> awaiting_home_secretary: approve [contributing_parts_approved]" in diagram
    assert "awaiting_ipab --> awaiting_home_secretary: call_in [on_general_authorisation]" in diagram


@pytest.mark.parametrize("state", ["draft", "approved", "closed", "declined", "withdrawn", "not_required"])
def test_a_positive_decision_cannot_fire_outside_its_gate(state):
    request = SimpleNamespace(state=state)
    with pytest.raises(MachineError):
        workflow.machine.events["align"].trigger(request, actor=None)
    assert request.state == state


def test_withdrawal_is_possible_only_before_approval():
    sources = set(workflow.machine.events["withdraw"].transitions)
    assert sources == {
        "draft",
        "returned",
        "awaiting_chief_officer",
        "awaiting_pcc",
        "awaiting_home_secretary",
        "awaiting_ipab",
    }


def test_mermaid_diagram_is_generated_from_the_machine():
    diagram = workflow.mermaid()
    assert diagram.startswith("stateDiagram-v2")
    assert "awaiting_ipab --> approved: align" in diagram
    assert "returned --> awaiting_chief_officer: resubmit [material_change]" in diagram
    assert "draft --> not_required: submit [uk_investigation]" in diagram


def test_working_days_skip_weekends():
    from datetime import date

    friday = date(2026, 11, 27)
    assert workflow.add_working_days(friday, 2) == date(2026, 12, 1)


def test_working_days_skip_england_and_wales_bank_holidays():
    from datetime import date

    # Christmas Day is a Friday in 2026; Boxing Day falls on the Saturday, so Monday 28th is its substitute.
    assert workflow.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    # Easter 2027: Good Friday 26 March and Easter Monday 29 March.
    assert workflow.add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert workflow.add_working_days(date(2026, 12, 31), 5) == date(2027, 1, 8)  # New Year's Day skipped
    assert not workflow.is_working_day(date(2026, 8, 31)) and workflow.is_working_day(date(2026, 9, 1))
