"""What makes a change material: the one statement of which answers, changed after a return, void the approval
round and send the request back to the chief officer. The state machine's `material_change` condition reads it;
the decision page uses it to show every decider what changed since their gate last saw the request.

A value is snapshotted (JSON-safe) when a gate returns a request and when any gate decides; on resubmission the
snapshot taken at the return is compared with the request as it is now.
"""

from dataclasses import dataclass
from datetime import date

from approvals import cost_recovery
from approvals.cost_recovery import format_pence
from models.reference_data import PURPOSES, REQUESTING_BODY_KINDS, SPONSORS, country_name, label


def _any_change(before, after):
    return before != after


def _earlier(before, after):
    return after is not None and (before is None or after < before)


def _later(before, after):
    return after is not None and (before is None or after > before)


def _more(before, after):
    return (after or 0) > (before or 0)


def _less(before, after):
    return (after or 0) < (before or 0)


def _date(value):
    return date.fromisoformat(value).strftime("%-d %B %Y") if value else "Not given"


# field -> (label, rule: is this change material?, how to show a value). Order is the order shown.
RULES = {
    "requesting_body": ("Requesting body", _any_change, str),
    "requesting_body_kind": ("Kind of requesting body", _any_change, lambda v: label(REQUESTING_BODY_KINDS, v)),
    "destination": ("Destination", _any_change, country_name),
    "purpose": ("Purpose", _any_change, lambda v: label(PURPOSES, v)),
    "sponsor": ("Sponsor", _any_change, lambda v: label(SPONSORS, v)),
    "sponsor_other": ("Sponsor (other)", _any_change, str),
    # Dates beyond the ones seen: starting earlier or ending later. Shortening a deployment is not material.
    "start_date": ("Start date", _earlier, _date),
    "end_date": ("End date", _later, _date),
    "officers": ("Police officers", _more, str),
    "staff": ("Police staff", _more, str),
    "sensitive": ("Sensitive", _any_change, lambda v: "Yes" if v else "No"),
    "full_cost_pence": ("Full cost", _more, format_pence),
    # Issue 23: another force's people joining or leaving changes who must approve.
    "contributing_forces": ("Contributing forces", _any_change, lambda v: ", ".join(v) or "None"),
    "committed_pence": ("Committed funding", _less, format_pence),
}


def snapshot(request):
    """The material answers of `request` as they stand, JSON-safe."""
    position = cost_recovery.position(request.cost_lines, request.funding)
    values = {
        name: getattr(request, name)
        for name in RULES
        if name not in ("full_cost_pence", "committed_pence", "start_date", "end_date", "contributing_forces")
    }
    values.update(
        start_date=request.start_date.isoformat() if request.start_date else None,
        end_date=request.end_date.isoformat() if request.end_date else None,
        full_cost_pence=position.full_cost_pence,
        committed_pence=position.committed_pence,
    )
    if request.contributing_forces:  # absent when there are none, so snapshots from before issue 23 still compare
        values["contributing_forces"] = [
            f"{part.force.name}: {part.officers} officers, {part.staff} staff" for part in request.contributing_forces
        ]
    return values


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str
    material: bool


def changes(before, after):
    """Every answer in RULES that differs between two snapshots, each marked material or not."""
    found = []
    for name, (text, rule, show) in RULES.items():
        old, new = before.get(name), after.get(name)
        if old != new:
            shown = [show(value) if value is not None else "Not given" for value in (old, new)]
            found.append(Change(name, text, *shown, rule(old, new)))
    return found


def is_material(before, after):
    """Whether the change from snapshot `before` to `after` voids the approval round. No snapshot (a request
    returned before snapshots were kept) counts as material: restarting is the safe side."""
    if before is None:
        return True
    return any(change.material for change in changes(before, after))
