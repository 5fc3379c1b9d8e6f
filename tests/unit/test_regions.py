"""Every destination a force may choose falls in one region of the national picture."""

from approvals.regions import OTHER, REGION_BY_CODE, region_of
from models.reference_data import destination_choices

UNINHABITED = {"AQ", "BV", "TF"}  # Antarctica, Bouvet Island, the French Southern Territories


def test_every_destination_but_the_uninhabited_has_a_region():
    codes = {code for code, _ in destination_choices()}
    assert {code for code in codes if region_of(code) == OTHER} == UNINHABITED
    assert set(REGION_BY_CODE) <= codes  # no region lists a code that is not a destination


def test_territories_and_crown_dependencies_sit_where_they_are():
    assert region_of("KY") == "Americas and the Caribbean" and region_of("GI") == "Europe"
    assert region_of("je") == "Europe" and region_of("IO") == "Asia" and region_of(None) == OTHER
