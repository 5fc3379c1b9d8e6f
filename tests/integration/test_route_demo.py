"""The demo data shows issue 23's route: a general authorisation, a UK training course that names it, and a
request with a contributing force."""

from sqlalchemy import select

from approvals import route
from extensions import db
from models import AssistanceRequest, GeneralAuthorisation


def test_the_demo_has_a_general_authorisation_and_a_uk_training_course(runner):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    [authorisation] = db.session.scalars(select(GeneralAuthorisation)).all()
    course = db.session.scalars(
        select(AssistanceRequest).where(AssistanceRequest.assistance_kind == "training_in_uk")
    ).one()
    assert course.general_authorisation == authorisation.reference and course.state == "awaiting_chief_officer"
    assert course.foreign_personnel == 30 and route.submit_refusals(course) == []
