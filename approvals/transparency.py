"""Transparency: the publication list and FOI deployment statistics, from live data.

Sensitive requests (security bodies, counter-terrorism) are neither confirmed nor denied: they are
left out of every figure and export. Variations are copies of a request under review, never counted
on their own: the request they vary carries the applied details.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, or_, select

from approvals import marking
from approvals.machine import AUTHORISED_STATES, DEPLOYABLE_STATES
from config.settings import DURATION_BAND_EDGES_DAYS
from extensions import db
from models import AssistanceRequest, ContributingForce, CostLine, Force
from models.reference_data import (
    ASSISTANCE_KINDS,
    DURATION_BANDS,
    OPERATIONAL_PURPOSE_CODES,
    PURPOSES,
    SPONSORS,
    UK_DELIVERED_KINDS,
    country_name,
    duration_band,
    label,
)

METRICS = ("deployments", "officers", "staff", "operational", "non_operational", "foreign_personnel")
BREAKDOWNS = (
    ("by_country", "Destination country or territory"),
    ("by_purpose", "Primary purpose"),
    ("by_sponsor", "Sponsoring or commissioning body"),
    ("by_duration_band", "Duration"),
    ("by_unit", "Coordinating unit"),
    # Issue 23: the kinds of assistance (deployed overseas, trained in the UK, a hosted delegation, remote advice).
    ("assistance_kind", "Kind of assistance"),
)
SHEET_NAMES = {  # Excel allows 31 characters
    "by_country": "By country or territory",
    "by_purpose": "By purpose",
    "by_sponsor": "By sponsor",
    "by_duration_band": "By duration",
    "by_unit": "By coordinating unit",
    "assistance_kind": "By kind of assistance",
}
DEFINITIONS = [
    (
        "Deployment",
        "One request approved under section 26 (approved, deployed or closed), or recorded as travel connected with "
        "UK police work that needs no section 26 authorisation, whose dates overlap the period.",
    ),
    (
        "International deployment",
        "Any period of duty outside the UK, including the British Overseas Territories and the Crown Dependencies.",
    ),
    (
        "Operational",
        "Police powers or operational functions are exercised: executive policing, public order, investigation, "
        "disaster victim identification, command.",
    ),
    ("Non-operational", "Training, mentoring, monitoring, advising, capacity building, programme management."),
    (
        "Kind of assistance",
        "Officers or staff deployed overseas; foreign personnel trained in the UK; an overseas delegation hosted in "
        "the UK; advice given remotely. For the kinds delivered in the UK the country is the requesting body's.",
    ),
    ("Foreign personnel", "The number of overseas personnel trained or hosted in the UK."),
    (
        "Duration band",
        "From start to end date inclusive: less than 2 weeks (under {0} days), 2 to 12 weeks ({0} to {1} days), "
        "more than 12 weeks.".format(*DURATION_BAND_EDGES_DAYS),
    ),
    (
        "Exclusions",
        "Information whose disclosure would be exempt (for example under sections 23, 24, 27 or 31 of the Freedom of "
        "Information Act 2000) is not included, and its existence is neither confirmed nor denied.",
    ),
]


def one_year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _overlapping(stmt, date_from, date_to):
    return stmt.where(
        AssistanceRequest.start_date <= date_to,
        AssistanceRequest.end_date >= date_from,
        AssistanceRequest.variation_of_id.is_(None),
    )


def publication(today=None):
    """Countries assisted in the 12 months up to today: names only, alphabetical."""
    today = today or date.today()
    date_from = one_year_before(today)
    stmt = _overlapping(select(AssistanceRequest.destination).distinct(), date_from, today).where(
        AssistanceRequest.state.in_(AUTHORISED_STATES), AssistanceRequest.sensitive.is_(False)
    )
    codes = [code for code in db.session.scalars(stmt) if code]
    countries = sorted(({"code": code, "name": country_name(code)} for code in codes), key=lambda c: c["name"])
    return {"period": {"from": date_from.isoformat(), "to": today.isoformat()}, "countries": countries}


def _band(start, end):
    return duration_band((end - start).days + 1)


@dataclass
class FoiReport:
    date_from: date
    date_to: date
    force: str | None
    totals: dict = field(default_factory=lambda: dict.fromkeys(METRICS, 0))
    breakdowns: dict = field(
        default_factory=lambda: {name: defaultdict(lambda: dict.fromkeys(METRICS, 0)) for name, _ in BREAKDOWNS}
    )
    excluded_sensitive: int = 0
    full_cost_pence: int = 0
    recovered_pence: int = 0

    def as_json(self):
        def items(name):
            rows = []
            for key, metrics in sorted(self.breakdowns[name].items(), key=lambda kv: self._label(name, kv[0])):
                row = {"key": key, "label": self._label(name, key), **metrics}
                if name == "by_country":
                    row = {"code": key, "name": self._label(name, key), **metrics}
                rows.append(row)
            return rows

        return {
            "marking": marking.OFFICIAL,
            "period": {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()},
            "force": self.force,
            "totals": dict(self.totals),
            **{name: items(name) for name, _ in BREAKDOWNS},
        }

    @staticmethod
    def _label(name, key):
        if name == "by_country":
            return country_name(key)
        if name == "by_purpose":
            return label(PURPOSES, key)
        if name == "by_sponsor":
            return label(SPONSORS, key)
        if name == "by_duration_band":
            return label(DURATION_BANDS, key)
        if name == "assistance_kind":
            return label(ASSISTANCE_KINDS, key)
        return key

    @property
    def recovery_percent(self):
        return None if not self.full_cost_pence else round(100 * self.recovered_pence / self.full_cost_pence, 1)


def foi_statistics(date_from, date_to, force_slug=None):
    """Deployments overlapping the period, split the ways FOI requesters ask, sensitive ones excluded."""
    force_id = None
    if force_slug:
        force_id = db.session.scalar(select(Force.id).where(Force.slug == force_slug))
        if force_id is None:
            raise LookupError(force_slug)
    report = FoiReport(date_from, date_to, force_slug)
    base = _overlapping(select(AssistanceRequest.id), date_from, date_to).where(
        AssistanceRequest.state.in_(DEPLOYABLE_STATES)
    )
    if force_id is not None:
        # A force's own requests, and those it sends its own people on as a contributing force (issue 23).
        contributes = select(ContributingForce.request_id).where(ContributingForce.force_id == force_id)
        base = base.where(or_(AssistanceRequest.force_id == force_id, AssistanceRequest.id.in_(contributes)))
    report.excluded_sensitive = db.session.scalar(
        select(func.count()).select_from(base.where(AssistanceRequest.sensitive.is_not(False)).subquery())
    )
    counted = base.where(AssistanceRequest.sensitive.is_(False))
    columns = select(
        AssistanceRequest.id,
        AssistanceRequest.force_id,
        AssistanceRequest.destination,
        AssistanceRequest.purpose,
        AssistanceRequest.sponsor,
        AssistanceRequest.coordinating_unit,
        AssistanceRequest.start_date,
        AssistanceRequest.end_date,
        AssistanceRequest.officers,
        AssistanceRequest.staff,
        AssistanceRequest.recovered_pence,
        AssistanceRequest.assistance_kind,
        AssistanceRequest.foreign_personnel,
    ).where(AssistanceRequest.id.in_(counted))
    # Each force's own people, counted once: the lead's on the request, each contributing force's on its part.
    parts = defaultdict(list)
    part_columns = select(
        ContributingForce.request_id, ContributingForce.force_id, ContributingForce.officers, ContributingForce.staff
    )
    for part in db.session.execute(part_columns.where(ContributingForce.request_id.in_(counted))):
        parts[part.request_id].append(part)
    for row in db.session.execute(columns.execution_options(yield_per=5000)):
        operational = row.purpose in OPERATIONAL_PURPOSE_CODES
        if force_id is not None and row.force_id != force_id:
            people = [p for p in parts[row.id] if p.force_id == force_id]
        else:
            people = [row] + (parts[row.id] if force_id is None else [])
        metrics = {
            "deployments": 1,
            "officers": sum(p.officers or 0 for p in people),
            "staff": sum(p.staff or 0 for p in people),
            "operational": int(operational),
            "non_operational": int(not operational),
            "foreign_personnel": (row.foreign_personnel or 0) if row.assistance_kind in UK_DELIVERED_KINDS else 0,
        }
        keys = {
            "by_country": row.destination,
            "by_purpose": row.purpose,
            "by_sponsor": row.sponsor,
            "by_duration_band": _band(row.start_date, row.end_date),
            "by_unit": (row.coordinating_unit or "").strip() or "Not recorded",
            "assistance_kind": row.assistance_kind,
        }
        for name in METRICS:
            report.totals[name] += metrics[name]
        for breakdown, key in keys.items():
            bucket = report.breakdowns[breakdown][key]
            for name in METRICS:
                bucket[name] += metrics[name]
        report.recovered_pence += row.recovered_pence or 0
    report.full_cost_pence = db.session.scalar(
        select(func.coalesce(func.sum(CostLine.amount_pence), 0)).where(CostLine.request_id.in_(counted))
    )
    return report


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise spreadsheet formula injection: text that a spreadsheet would run is stored as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _rows(report):
    data = report.as_json()
    yield ["Totals", "All deployments", *[data["totals"][m] for m in METRICS]]
    for name, title in BREAKDOWNS:
        for item in data[name]:
            yield [title, item.get("name") or item.get("label"), *[item[m] for m in METRICS]]


HEADINGS = [
    "Breakdown",
    "Category",
    "Deployments",
    "Police officers",
    "Police staff",
    "Operational",
    "Non-operational",
    "Foreign personnel trained or hosted",
]


def to_csv(report):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(marking.csv_rows(marking.OFFICIAL))
    writer.writerow([f"International deployments {report.date_from.isoformat()} to {report.date_to.isoformat()}"])
    writer.writerow(HEADINGS)
    for row in _rows(report):
        writer.writerow([safe_cell(cell) for cell in row])
    writer.writerow(marking.csv_rows(marking.OFFICIAL))
    return out.getvalue()


def to_xlsx(report):
    """One sheet per breakdown plus a notes sheet, written in openpyxl's write-only (streaming) mode."""
    workbook = Workbook(write_only=True)
    data = report.as_json()
    totals = workbook.create_sheet("Totals")
    totals.append(["Measure", "Number"])
    for name, heading in zip(METRICS, HEADINGS[2:], strict=True):
        totals.append([heading, data["totals"][name]])
    for name, title in BREAKDOWNS:
        sheet = workbook.create_sheet(SHEET_NAMES[name])
        sheet.append([title, *HEADINGS[2:]])
        for item in data[name]:
            sheet.append([safe_cell(item.get("name") or item.get("label")), *[item[m] for m in METRICS]])
    notes = workbook.create_sheet("Notes")
    notes.append(["Term", "Definition"])
    notes.append(["Period", f"{report.date_from.isoformat()} to {report.date_to.isoformat()}"])
    notes.append(["Force", report.force or "All forces"])
    for term, definition in DEFINITIONS:
        notes.append([term, definition])
    out = io.BytesIO()
    workbook.save(out)
    # Sensitive requests are never counted: the statistics are OFFICIAL.
    return marking.mark_xlsx(out.getvalue(), marking.OFFICIAL)
