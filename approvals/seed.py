"""Reference data (idempotent) and demo data for a newcomer's first click-through."""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from approvals import documents, drafts, workflow
from extensions import db
from models import CostLine, CountryNote, Force, FundingSource, PageContent, User
from models.reference_data import FORCES

PRINCIPLES = "\n\n".join(
    [
        ("All our services are consistent with the British model of policing by consent."),
        (
            "Consideration of human rights and our Code of Ethics underpins all our work and informs decision-"
            "making on whether to proceed with or decline a request for international assistance."
        ),
        (
            "Decisions about our work overseas must also reconcile the difficulties of working with countries "
            "whose standards of human rights may be at odds with our own, with the opportunity to address "
            "national security concerns, reduce harm, help to protect UK citizens overseas and contribute to "
            "positive reform in those countries."
        ),
    ]
)

FCDO_REPORT = "FCDO Human Rights and Democracy report"
COUNTRY_NOTES = [
    ("SA", "Retains and uses the death penalty, including for drug offences.", FCDO_REPORT),
    ("CN", "Retains the death penalty; reports of arbitrary detention.", FCDO_REPORT),
    ("US", "Retains the death penalty in federal law and in some states.", "Death Penalty Information Center"),
    ("EG", "Retains the death penalty; reports of arbitrary and prolonged pre-trial detention.", FCDO_REPORT),
    ("PK", "Retains the death penalty; reports of enforced disappearances.", FCDO_REPORT),
    ("BD", "Allegations of extrajudicial killings by some security units.", FCDO_REPORT),
]

DEMO_PASSWORD = "demo-password-s26"  # printed by `flask seed --demo`; demo data is refused in production


def reference_data():
    existing = {force.slug: force for force in db.session.scalars(select(Force))}
    for slug, name, body in FORCES:
        force = existing.get(slug) or Force(slug=slug)
        force.name, force.policing_body = name, body
        db.session.add(force)
    if db.session.scalars(select(CountryNote).limit(1)).first() is None:
        db.session.add_all(
            CountryNote(country_code=code, note=note, source=source) for code, note, source in COUNTRY_NOTES
        )
    if db.session.get(PageContent, "principles") is None:
        db.session.add(PageContent(key="principles", body=PRINCIPLES))
    db.session.flush()


DEMO_USERS = [
    ("lead@north-yorkshire.example", "Nadia Lead", ["force_lead"], "north-yorkshire"),
    ("chief@north-yorkshire.example", "Charles Chief", ["chief_officer"], "north-yorkshire"),
    ("pcc@north-yorkshire.example", "Priya PCC Office", ["pcc_office"], "north-yorkshire"),
    ("lead@metropolitan.example", "Mo Lead", ["force_lead"], "metropolitan"),
    ("chief@metropolitan.example", "Meera Chief", ["chief_officer"], "metropolitan"),
    ("pcc@metropolitan.example", "Mark MOPAC", ["pcc_office"], "metropolitan"),
    ("home-office@demo.example", "Hana Home Office", ["home_office"], None),
    ("ipab@demo.example", "Ian IPAB", ["ipab"], None),
    ("foi@demo.example", "Fran FOI", ["foi_officer"], None),
    ("admin@demo.example", "Ada Admin", ["admin"], None),
]


def demo():
    """Demo users for two forces and the national roles, and a few requests. Returns lines to print."""
    if current_app.config["ENV_NAME"] == "production":
        raise RuntimeError("Demo data is never loaded in production")
    forces = {force.slug: force for force in db.session.scalars(select(Force))}
    users = {}
    lines = [f"Demo users (password for all: {DEMO_PASSWORD}):"]
    for email, name, roles, slug in DEMO_USERS:
        user = db.session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, name=name, force=forces[slug] if slug else None)
            user.set_password(DEMO_PASSWORD)
            user.set_roles(roles)
            db.session.add(user)
        users[email] = user
        lines.append(f"  {email:34} {', '.join(roles):15} {slug or 'national'}")
    db.session.flush()
    _demo_rates(forces, users["admin@demo.example"])
    if not _has_requests():
        _demo_requests(users)
    return lines


# Example charge rates for the demo forces, marked as examples: no policing body approved these figures.
DEMO_RATES = [
    ("Constable", 28_000, 150, 20),
    ("Sergeant", 32_000, 150, 20),
    ("Detective Sergeant", 33_000, 150, 20),
    ("Inspector", 38_000, 150, 20),
    ("Analyst", 24_000, 150, 20),
]


def _demo_rates(forces, admin):
    from models import ChargeRate

    if db.session.scalars(select(ChargeRate).limit(1)).first() is not None:
        return
    start = date(date.today().year, 4, 1)
    for slug in ("north-yorkshire", "metropolitan"):
        for rank, daily_pence, overtime, overhead in DEMO_RATES:
            db.session.add(
                ChargeRate(
                    force_id=forces[slug].id,
                    rank=rank,
                    daily_rate_pence=daily_pence,
                    overtime_percent=overtime,
                    overhead_percent=overhead,
                    effective_from=start.replace(year=start.year - 1),
                    example=True,
                    created_by_id=admin.id,
                )
            )
    db.session.flush()


def _has_requests():
    from models import AssistanceRequest

    return db.session.scalars(select(AssistanceRequest).limit(1)).first() is not None


def demo_assessment():
    """A complete OSJA assessment's parts besides its risk answers (those are the request's `hr_*` answers, mirrored
    onto it): what a demo or test request needs to be submitted (issue 24)."""
    return {
        "owner": "force",
        "country_stability": "Stable; no conflict now or expected within the next 5 years",
        "country_record": "Independent courts; the FCDO records concerns about long pre-trial detention",
        "country_sources": "FCDO human rights and democracy report, read 3 March 2026",
        "recipient_unit": "Criminal Investigation Department",
        "transferred": "Investigative interviewing skills (the PEACE model)",
        "misuse": "Interview skills could be turned to coercive questioning; the course teaches non-coercive methods",
        "contributes": "no",
        "contributes_reasoning": "Training only, in non-coercive methods, under independent oversight",
        "consultees": [
            {
                "organisation": "British Embassy",
                "role": "Police liaison officer",
                "consulted_on": (date.today() - timedelta(days=7)).isoformat(),
                "advice": "No objection",
            }
        ],
    }


def demo_request_values(destination="KY", purpose="training", start_in_days=30, days=20):
    start = date.today() + timedelta(days=start_in_days)
    return {
        "requesting_body": "Royal Cayman Islands Police Service",
        "requesting_body_kind": "foreign_policing_agency",
        "destination": destination,
        "purpose": purpose,
        "purpose_details": "Investigative interviewing training for the service's detectives",
        "destination_place": {"KY": "George Town", "JE": "St Helier", "BM": "Hamilton"}.get(destination),
        "sponsor": "fcdo",
        "start_date": start,
        "end_date": start + timedelta(days=days - 1),
        "urgent": False,
        "officers": 2,
        "staff": 1,
        "personnel_roles": "1 detective sergeant, 1 constable, 1 analyst",
        "coordinating_unit": "International Policing Unit",
        "mission_reference": "Op Demo",
        "uk_investigation": False,
        "sensitive": False,
        "hr_risks": [],
        "hr_mitigations": "Human rights standards are part of the course; the embassy follows how it is used",
        "hr_residual": "low",
        "osja": demo_assessment(),
        "cost_lines": [
            CostLine(category="salaries", amount_pence=1_200_000),
            CostLine(category="travel", amount_pence=300_000),
        ],
        "funding": [FundingSource(source="fcdo", amount_pence=1_500_000, committed=True)],
    }


# A one-page PDF standing in for the requesting body's letter: every demo request that is submitted needs one.
DEMO_LETTER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def attach_invitation_letter(request, lead):
    """Give a demo (or test) request the invitation letter it needs to be submitted, through the service."""
    return documents.upload(
        request.id,
        lead,
        documents.Upload(
            kind="invitation_letter",
            description=f"Letter of invitation from {request.requesting_body or 'the requesting body'}",
            filename="invitation-letter.pdf",
            content=DEMO_LETTER_PDF,
        ),
    )


def _demo_requests(users):
    lead = users["lead@north-yorkshire.example"]
    first = drafts.create_draft(lead, "Investigative interviewing training", **demo_request_values())
    drafts.create_draft(lead, "Public order advice for a regional summit", requesting_body="Ministry of the Interior")
    met_lead = users["lead@metropolitan.example"]
    drafts.create_draft(met_lead, "Disaster victim identification support", **demo_request_values("FJ", "dvi", 10, 14))
    db.session.commit()
    attach_invitation_letter(first, lead)
    workflow.submit(first.id, lead)
    _demo_route(users)


def _demo_route(users):
    """Issue 23: a general authorisation, and a UK training course that names it (submitted, so the Home Office sees
    it on the general authorisation route)."""
    from approvals import route

    home_office, lead = users["home-office@demo.example"], users["lead@north-yorkshire.example"]
    authorisation = route.record(
        home_office,
        route.AuthorisationInput(
            reference=f"GA-{date.today().year}-01",
            title="Non-operational training of overseas police, in the UK or overseas",
            purposes=["training", "mentoring", "capacity_building"],
            assistance_kinds=["training_in_uk", "deployment_overseas"],
            max_personnel=10,
            max_days=60,
            max_cost_pence=5_000_000,
            valid_from=date.today() - timedelta(days=30),
            valid_to=date.today() + timedelta(days=365),
            conditions="No operational activity. Report numbers trained to the Home Office within 30 days of the end.",
        ),
    )
    values = demo_request_values("SA", "training", 45, 10)
    values.update(
        requesting_body="Ministry of Interior, Public Security",
        requesting_body_kind="foreign_government",
        assistance_kind="training_in_uk",
        foreign_personnel=30,
        location="College of Policing, Ryton-on-Dunsmore",
        personnel_roles="2 trainers (detective sergeants)",
        officers=2,
        staff=0,
        general_authorisation=authorisation.reference,
        cost_lines=[CostLine(category="salaries", amount_pence=800_000)],
        funding=[FundingSource(source="requesting_country", amount_pence=800_000, committed=True)],
    )
    course = drafts.create_draft(lead, "Investigative interviewing course in the UK", **values)
    db.session.commit()
    attach_invitation_letter(course, lead)
    workflow.submit(course.id, lead)

    # Two forces on one request: the Metropolitan Police Service sends its own officers and decides its part.
    joint = demo_request_values("MS", "public_order", 60, 14)
    joint.update(
        requesting_body="Royal Montserrat Police Service",
        personnel_roles="2 public order sergeants, 1 planner",
        contributing_forces=[{"force": "metropolitan", "officers": 4, "staff": 1}],
    )
    two_force = drafts.create_draft(lead, "Public order support for a regional summit", **joint)
    db.session.commit()
    attach_invitation_letter(two_force, lead)
    workflow.submit(two_force.id, lead)
