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
    # Who waives cost recovery (the power to charge, and so to waive, is the policing body's): the chief officer
    # "recommend"s a waiver, the PCC "record"s it, the national gates "rely" on the PCC's standing waiver.
    cost_waiver: str = "rely"


GATES = (
    Gate("awaiting_chief_officer", "chief_officer", "recommend", "Chief officer recommendation", False, "recommend"),
    Gate("awaiting_pcc", "pcc_office", "approve", "PCC approval", False, "record"),
    Gate("awaiting_home_secretary", "home_office", "consent", "Home Secretary consent", True),
    Gate("awaiting_ipab", "ipab", "align", "IPAB alignment", True),
)
GATE_BY_STATE = {gate.state: gate for gate in GATES}
GATE_STATES = tuple(gate.state for gate in GATES)
HOME_OFFICE_GATE = GATE_BY_STATE["awaiting_home_secretary"]
PCC_GATE = GATE_BY_STATE["awaiting_pcc"]
IPAB_GATE = GATE_BY_STATE["awaiting_ipab"]
WAIVING_GATE = next(gate for gate in GATES if gate.cost_waiver == "record")
