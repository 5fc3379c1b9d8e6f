"""Reference data: the 43 territorial police forces of England and Wales, and the service's code lists.

Every code list is (code, label) pairs in the order users see them. Codes are stable: they are stored
in the database and used by the API, so never rename one.
"""

import pycountry

from config.settings import DURATION_BAND_EDGES_DAYS

ROLES = {
    "force_lead": "International lead",
    "chief_officer": "Chief officer",
    "pcc_office": "PCC office",
    "home_office": "Home Office",
    "ipab": "IPAB secretariat",
    "foi_officer": "FOI officer",
    "admin": "Administrator",
}
# Each role's scope: its own force's requests, every force's, or (an FOI officer) their force's if they have one.
FORCE_SCOPED_ROLES = {"force_lead", "chief_officer", "pcc_office"}
NATIONAL_ROLES = {"home_office", "ipab"}
EITHER_SCOPE_ROLES = {"foi_officer"}
ALL_FORCES_ROLES = NATIONAL_ROLES | {"admin"}
# Roles that decide on deployments abroad or manage users must use two-factor sign-in.
ROLES_REQUIRING_2FA = {"chief_officer", "pcc_office", "home_office", "ipab", "admin"}

PCC = "Police and Crime Commissioner"
PFCC = "Police, Fire and Crime Commissioner"

# (slug, force name, local policing body). Where a mayor or the Common Council holds the PCC's
# functions, that body is named instead.
FORCES = [
    ("avon-and-somerset", "Avon and Somerset Constabulary", f"Avon and Somerset {PCC}"),
    ("bedfordshire", "Bedfordshire Police", f"Bedfordshire {PCC}"),
    ("cambridgeshire", "Cambridgeshire Constabulary", f"Cambridgeshire {PCC}"),
    ("cheshire", "Cheshire Constabulary", f"Cheshire {PCC}"),
    ("city-of-london", "City of London Police", "Common Council of the City of London"),
    ("cleveland", "Cleveland Police", f"Cleveland {PCC}"),
    ("cumbria", "Cumbria Constabulary", f"Cumbria {PFCC}"),
    ("derbyshire", "Derbyshire Constabulary", f"Derbyshire {PCC}"),
    ("devon-and-cornwall", "Devon and Cornwall Police", f"Devon, Cornwall and the Isles of Scilly {PCC}"),
    ("dorset", "Dorset Police", f"Dorset {PCC}"),
    ("durham", "Durham Constabulary", f"Durham {PCC}"),
    ("dyfed-powys", "Dyfed-Powys Police", f"Dyfed-Powys {PCC}"),
    ("essex", "Essex Police", f"Essex {PFCC}"),
    ("gloucestershire", "Gloucestershire Constabulary", f"Gloucestershire {PCC}"),
    ("greater-manchester", "Greater Manchester Police", "Mayor of Greater Manchester"),
    ("gwent", "Gwent Police", f"Gwent {PCC}"),
    ("hampshire", "Hampshire and Isle of Wight Constabulary", f"Hampshire and Isle of Wight {PCC}"),
    ("hertfordshire", "Hertfordshire Constabulary", f"Hertfordshire {PCC}"),
    ("humberside", "Humberside Police", f"Humberside {PCC}"),
    ("kent", "Kent Police", f"Kent {PCC}"),
    ("lancashire", "Lancashire Constabulary", f"Lancashire {PCC}"),
    ("leicestershire", "Leicestershire Police", f"Leicester, Leicestershire and Rutland {PCC}"),
    ("lincolnshire", "Lincolnshire Police", f"Lincolnshire {PCC}"),
    ("merseyside", "Merseyside Police", f"Merseyside {PCC}"),
    ("metropolitan", "Metropolitan Police Service", "Mayor's Office for Policing and Crime (MOPAC)"),
    ("norfolk", "Norfolk Constabulary", f"Norfolk {PCC}"),
    ("north-wales", "North Wales Police", f"North Wales {PCC}"),
    ("north-yorkshire", "North Yorkshire Police", "Mayor of York and North Yorkshire"),
    ("northamptonshire", "Northamptonshire Police", f"Northamptonshire {PFCC}"),
    ("northumbria", "Northumbria Police", f"Northumbria {PCC}"),
    ("nottinghamshire", "Nottinghamshire Police", f"Nottinghamshire {PCC}"),
    ("south-wales", "South Wales Police", f"South Wales {PCC}"),
    ("south-yorkshire", "South Yorkshire Police", "Mayor of South Yorkshire"),
    ("staffordshire", "Staffordshire Police", f"Staffordshire {PFCC}"),
    ("suffolk", "Suffolk Constabulary", f"Suffolk {PCC}"),
    ("surrey", "Surrey Police", f"Surrey {PCC}"),
    ("sussex", "Sussex Police", f"Sussex {PCC}"),
    ("thames-valley", "Thames Valley Police", f"Thames Valley {PCC}"),
    ("warwickshire", "Warwickshire Police", f"Warwickshire {PCC}"),
    ("west-mercia", "West Mercia Police", f"West Mercia {PCC}"),
    ("west-midlands", "West Midlands Police", f"West Midlands {PCC}"),
    ("west-yorkshire", "West Yorkshire Police", "Mayor of West Yorkshire"),
    ("wiltshire", "Wiltshire Police", f"Wiltshire {PCC}"),
]

REQUESTING_BODY_KINDS = [
    ("foreign_government", "Foreign government"),
    ("foreign_policing_agency", "Foreign policing agency"),
    ("international_organisation", "International organisation"),
]

# Operational purposes exercise police powers; the others do not.
OPERATIONAL_PURPOSES = [
    ("executive_policing", "Executive policing"),
    ("public_order", "Public order"),
    ("investigation", "Investigation"),
    ("dvi", "Disaster victim identification"),
    ("command", "Command"),
]
NON_OPERATIONAL_PURPOSES = [
    ("training", "Training"),
    ("mentoring", "Mentoring"),
    ("monitoring", "Monitoring"),
    ("advising", "Advising"),
    ("capacity_building", "Capacity building"),
    ("programme_management", "Programme management"),
]
PURPOSES = OPERATIONAL_PURPOSES + NON_OPERATIONAL_PURPOSES
OPERATIONAL_PURPOSE_CODES = {code for code, _ in OPERATIONAL_PURPOSES}

SPONSORS = [
    ("home_office", "Home Office"),
    ("fcdo", "Foreign, Commonwealth and Development Office (FCDO)"),
    ("un", "United Nations"),
    ("eu", "European Union"),
    ("osce", "OSCE"),
    ("nato", "NATO"),
    ("bilateral", "Bilateral partner"),
    ("other", "Other"),
]

COST_CATEGORIES = [
    ("salaries", "Salaries"),
    ("overtime", "Overtime"),
    ("travel", "Travel"),
    ("accommodation", "Accommodation"),
    ("subsistence", "Subsistence"),
    ("insurance", "Insurance"),
    ("equipment", "Equipment"),
    ("overheads", "Overheads"),
    ("other", "Other"),
]

FUNDING_SOURCES = [
    ("requesting_country", "Requesting country"),
    ("fcdo", "FCDO"),
    ("home_office", "Home Office"),
    ("un", "United Nations"),
    ("eu", "European Union"),
    ("other", "Other"),
]

# The kinds of assistance a force gives under section 26 (issue 23): officers sent abroad, foreign personnel trained
# in the UK, an overseas delegation hosted, advice given from home. The UK-delivered kinds count foreign personnel.
ASSISTANCE_KINDS = [
    ("deployment_overseas", "Officers or staff deployed overseas"),
    ("training_in_uk", "Foreign personnel trained in the UK"),
    ("hosted_delegation", "An overseas delegation hosted in the UK"),
    ("remote_advice", "Advice given remotely, with no travel"),
]
DEFAULT_ASSISTANCE_KIND = "deployment_overseas"
UK_DELIVERED_KINDS = frozenset({"training_in_uk", "hosted_delegation"})
# Each kind's delivery step: (the lead's button, the timeline's line). Closing out is the same for every kind.
DELIVERY_WORDING = {
    "deployment_overseas": ("Record deployment start", "Deployment started"),
    "training_in_uk": ("Record the start of the training", "Training started"),
    "hosted_delegation": ("Record the start of the visit", "Delegation visit started"),
    "remote_advice": ("Record the start of the advice", "Advice started"),
}
# The costs of travelling: advice given remotely has none.
TRAVEL_COST_CATEGORIES = frozenset({"travel", "accommodation", "subsistence"})

DURATION_BANDS = [
    ("under_2_weeks", "Less than 2 weeks"),
    ("2_to_12_weeks", "2 to 12 weeks"),
    ("over_12_weeks", "More than 12 weeks"),
]


def duration_band(days):
    """The band of a deployment lasting `days` (start to end date inclusive); edges from the settings."""
    short, long = DURATION_BAND_EDGES_DAYS
    return "under_2_weeks" if days < short else "2_to_12_weeks" if days <= long else "over_12_weeks"


# British Overseas Territories with an ISO 3166-1 code, and the Crown Dependencies.
BRITISH_OVERSEAS_TERRITORIES = {"AI", "BM", "IO", "VG", "KY", "FK", "GI", "MS", "PN", "SH", "GS", "TC"}
CROWN_DEPENDENCIES = {"JE", "GG", "IM"}
# The UK itself is not a destination for assistance overseas.
EXCLUDED_DESTINATIONS = {"GB"}
# Places the UK government lists as countries that ISO 3166-1 (and so pycountry) does not: Kosovo has the
# user-assigned code XK, used by the UK, the EU and the College of Policing's published list of countries assisted.
EXTRA_DESTINATIONS = {"XK": "Kosovo"}


def label(pairs, code):
    """The label for a code in one of the code lists, or the code itself if unknown."""
    return dict(pairs).get(code, code)


def country_status(code):
    if code in BRITISH_OVERSEAS_TERRITORIES:
        return "British Overseas Territory"
    if code in CROWN_DEPENDENCIES:
        return "Crown Dependency"
    return None


def country_name(code):
    if code in EXTRA_DESTINATIONS:
        return EXTRA_DESTINATIONS[code]
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return code or ""
    return getattr(country, "common_name", None) or country.name


def country_label(code):
    status = country_status(code)
    name = country_name(code)
    return f"{name} ({status})" if status else name


def destination_choices():
    """(code, label) for every ISO 3166-1 country or territory a force may be asked to assist."""
    codes = [c.alpha_2 for c in pycountry.countries if c.alpha_2 not in EXCLUDED_DESTINATIONS]
    codes += list(EXTRA_DESTINATIONS)
    return sorted(((code, country_label(code)) for code in codes), key=lambda pair: pair[1])


def normalise_destination(code):
    """The upper-case code if `code` names a destination (in any case, surrounding spaces ignored), else None.
    pycountry's look-up ignores case, so without this `sa` would be stored and miss every rule keyed on `SA`."""
    if not isinstance(code, str):
        return None
    code = code.strip().upper()
    if len(code) != 2 or code in EXCLUDED_DESTINATIONS:
        return None
    if code in EXTRA_DESTINATIONS or pycountry.countries.get(alpha_2=code) is not None:
        return code
    return None


def is_destination(code):
    """Whether `code` is exactly (upper case) the code of a destination."""
    return bool(code) and normalise_destination(code) == code
