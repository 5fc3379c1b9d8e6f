"""The four section 26 gates, as data: who decides, what the positive decision is called, and its scope.

The role sets (who decides at all, who reads requests) are derived from this table in approvals.policy."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Gate:
    state: str  # the state a request is in while it waits at this gate
    role: str  # the role that decides here
    trigger: str  # the workflow trigger for a positive decision
    title: str
    national: bool  # national roles act on every force's requests


GATES = (
    Gate("awaiting_chief_officer", "chief_officer", "recommend", "Chief officer recommendation", False),
    Gate("awaiting_pcc", "pcc_office", "approve", "PCC approval", False),
    Gate("awaiting_home_secretary", "home_office", "consent", "Home Secretary consent", True),
    Gate("awaiting_ipab", "ipab", "align", "IPAB alignment", True),
)
GATE_BY_STATE = {gate.state: gate for gate in GATES}
GATE_STATES = tuple(gate.state for gate in GATES)
HOME_OFFICE_GATE = GATE_BY_STATE["awaiting_home_secretary"]
