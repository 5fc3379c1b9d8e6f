"""Salary cost lines from the rate card on the API (issue 24): work them out, or override one with a reason,
through approvals.rates as the costs page is."""

from typing import ClassVar

from flask import g, jsonify

from approvals import policy, rates
from approvals.api.contract import Action, Out, Pence, Reason, api, visible
from approvals.api.request_bodies import RequestOut, request_json


class Override(Action):
    amount_pence: Pence
    reason: Reason
    WORDS: ClassVar[dict] = {"reason": "Give the reason for overriding the rate card"}


class SalaryLine(Out):
    id: int
    description: str | None
    amount_pence: int
    computed_pence: int | None
    override_reason: str | None


class SalaryLines(Out):
    request: RequestOut
    salary_lines: list[SalaryLine]
    people_without_a_line: int


def _answer(request_id, missing=0):
    item = visible(request_id)
    lines = [
        {
            "id": line.id,
            "description": line.description,
            "amount_pence": line.amount_pence,
            "computed_pence": line.computed_pence,
            "override_reason": line.override_reason,
        }
        for line in item.cost_lines
        if line.computed
    ]
    return jsonify({"request": request_json(item), "salary_lines": lines, "people_without_a_line": missing})


@api("POST", "/requests/<int:request_id>/salary-lines", ok={200: SalaryLines}, roles=(policy.LEAD_ROLE,), errors=(409,))
def compute_salary_lines(request_id):
    """Work out the salary lines from the people named, their days and the rate card."""
    item = visible(request_id)
    policy.require(g.api_user, policy.EDIT, item)
    return _answer(request_id, len(rates.compute_salary_lines(item.id, g.api_user)))


@api(
    "POST",
    "/requests/<int:request_id>/salary-lines/<int:line_id>/override",
    body=Override,
    ok={200: SalaryLines},
    roles=(policy.LEAD_ROLE,),
    errors=(409,),
    example={"amount_pence": 150000, "reason": "Part-time secondment"},
)
def override_salary_line(request_id, line_id, body):
    """Override a worked-out salary line with the amount and the reason."""
    item = visible(request_id)
    policy.require(g.api_user, policy.EDIT, item)
    rates.override(item.id, g.api_user, line_id, body.amount_pence, body.reason, body.version)
    return _answer(request_id)
