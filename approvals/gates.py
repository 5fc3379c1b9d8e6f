"""The four section 26 gates, as data: who decides, what the positive decision is called, and its scope."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Gate:
    state: str  # the state a request is in while it waits at this gate
    role: str  # the role that decides here
    trigger: str  # the workflow trigger for a positive decision
    title: str
    positive_label: str  # what the decider chooses
    positive_past: str  # what the timeline says
    national: bool  # national roles act on every force's requests


GATES = (
    Gate(
        "awaiting_chief_officer",
        "chief_officer",
        "recommend",
        "Chief officer recommendation",
        "Recommend",
        "Recommended",
        False,
    ),
    Gate("awaiting_pcc", "pcc_office", "approve", "PCC approval", "Approve", "Approved by the PCC", False),
    Gate(
        "awaiting_home_secretary",
        "home_office",
        "consent",
        "Home Secretary consent",
        "Consent",
        "Home Secretary consented",
        True,
    ),
    Gate(
        "awaiting_ipab",
        "ipab",
        "align",
        "IPAB alignment",
        "Aligned with UK objectives",
        "IPAB confirmed alignment",
        True,
    ),
)
GATE_BY_STATE = {gate.state: gate for gate in GATES}
GATE_STATES = tuple(gate.state for gate in GATES)
FIRST_GATE = GATES[0]
HOME_OFFICE_GATE = GATE_BY_STATE["awaiting_home_secretary"]

OUTCOMES = [("positive", "Positive decision"), ("return", "Return for more information"), ("decline", "Decline")]


def gates_for_role(role):
    return [gate for gate in GATES if gate.role == role]


def previous_gates(state):
    """The gates before `state`, in order."""
    return list(GATES[: GATE_STATES.index(state)]) if state in GATE_STATES else list(GATES)
