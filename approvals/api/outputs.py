"""Reports on the API (issue 18): a force's periodic return and the national picture, through the same functions
as the pages: approvals.returns and approvals.dashboard."""

from datetime import date

from flask import Response, g, jsonify
from pydantic import Field

from approvals import dashboard, policy, returns
from approvals import marking as markings
from approvals.api.contract import Choice, Day, Invalid, Out, Query, api
from approvals.api.request_bodies import ForceSlug
from approvals.api.routes import Period
from approvals.commands import Forbidden
from approvals.gates import GATE_STATES
from approvals.machine import OPEN_STATES

Count = int


class ReturnQuery(Query):
    from_: Day = Field(alias="from")
    to: Day
    force: ForceSlug | None = Field(None, description="Required for the Home Office and IPAB; otherwise your own")
    format: Choice(("json", "xlsx", "pdf")) = "json"


class Outcomes(Out):
    positive: Count
    decline: Count
    return_: Count = Field(alias="return")


class OpenItem(Out):
    id: int
    reference: str
    title: str | None = None
    destination: str | None = None
    country: str | None = None
    state: Choice(OPEN_STATES)
    gate: str = Field(description="The gate it waits at, or 'Returned to the force'")
    entered_on: date
    age_days: int = Field(description="Days from first submission to the end of the period")
    working_days_at_gate: Count | None = None
    overdue: bool
    sensitive: bool = Field(description="Sensitive requests are included in a return, and marked")
    variation: bool | None = None
    urgent: bool | None = None


class PeriodReturn(Out):
    marking: Choice(markings.MARKINGS) | None = Field(
        None, description="OFFICIAL-SENSITIVE when the return counts or lists a sensitive request"
    )
    force: ForceSlug
    force_name: str | None = None
    period: Period
    received: Count = Field(description="Requests (not variations) first submitted in the period")
    sensitive_received: Count | None = None
    decisions: dict[Choice(GATE_STATES), Outcomes] = Field(description="Gate decisions in the period, by gate")
    approved: Count
    deployed: Count = Field(description="Deployments whose start date falls in the period")
    closed: Count
    withdrawn: Count
    declined: Count
    open: list[OpenItem] = Field(description="At a gate or returned to the force at the end of the period")
    overdue: Count
    officers: Count
    staff: Count
    full_cost_pence: int = Field(description="Actual full cost of requests closed out in the period")
    recovered_pence: int
    recovery_percent: float | None = None
    conditions_not_met: Count | None = Field(None, description="Conditions reported not met at close-outs")
    unmet_conditions: list[dict] | None = None


class GateRow(Out):
    gate: Choice(GATE_STATES)
    title: str
    waiting: Count | None = None
    overdue: Count | None = None
    median_working_days: float | None = None
    visits: Count | None = None


class TimeAtGates(Out):
    period: Period
    gates: list[GateRow]


class MonthRow(Out):
    month: str = Field(pattern="^[0-9]{4}-[0-9]{2}$")
    label: str
    deployments: Count
    officers: Count
    staff: Count


class RegionRow(Out):
    region: str
    deployments: Count


class CountryRow(RegionRow):
    code: str
    name: str


class NationalPicture(Out):
    """Every force; sensitive requests included (for oversight, not publication)."""

    as_at: date
    sensitive_included: bool | None = None
    marking: Choice(markings.MARKINGS) | None = Field(
        None, description="OFFICIAL-SENSITIVE once any sensitive request is held (it is counted here)"
    )
    pipeline: list[GateRow]
    returned_to_forces: Count | None = None
    time_at_gates: TimeAtGates
    deployments_by_month: list[MonthRow] = Field(description="The last 12 calendar months, this one last")
    deployments_period: Period | None = None
    deployments_by_region: list[RegionRow]
    deployments_by_country: list[CountryRow]
    conditions_not_met: dict | None = Field(None, description="Conditions reported not met in the last 12 months")


BINARY = {"type": "string", "format": "binary"}


@api(
    "GET",
    "/reports/returns",
    query=ReturnQuery,
    roles=tuple(sorted(returns.READERS)),
    ok={200: {"application/json": PeriodReturn, returns.XLSX_MIMETYPE: BINARY, returns.PDF_MIMETYPE: BINARY}},
)
def period_return(query):
    """A force's periodic return to its PCC, as JSON, Excel or PDF.
    A force's chief officers and PCC office read their own force's (another force is 403); the Home Office and IPAB
    any force's (`force` is required). Sensitive requests are included and marked."""
    user, slug = g.api_user, query.force
    if not policy.reads_national_picture(user):
        if slug and slug != user.force.slug:
            raise Forbidden("You may read your own force's return only")
        slug = user.force.slug
    elif not slug:
        raise Invalid({"force": "Give the force's slug"})
    if message := returns.period_error(query.from_, query.to):
        raise Invalid({"to": message})
    result = returns.period_return(returns.force_by_slug(slug), query.from_, query.to)
    if query.format == "json":
        return jsonify(result.as_json())
    content, mimetype = (
        (returns.to_xlsx(result), returns.XLSX_MIMETYPE)
        if query.format == "xlsx"
        else (returns.to_pdf(result), returns.PDF_MIMETYPE)
    )
    disposition = f'attachment; filename="{returns.filename(result, query.format)}"'
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": disposition})


@api("GET", "/reports/national", ok={200: NationalPicture}, roles=tuple(sorted(policy.NATIONAL_DECIDER_ROLES)))
def national():
    """The national picture's figures: pipeline, time at each gate, deployments by month, region and country."""
    return jsonify(dashboard.national())
