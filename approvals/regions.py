"""World regions for the national picture: each ISO 3166-1 alpha-2 destination in one broad region.

Broad groupings in the spirit of the FCDO's geographical directorates (not an official list): the
British Overseas Territories and Crown Dependencies sit in the region they are in.
"""

REGIONS = {
    "Europe": (
        "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GE GG GI GR HR HU IE IM IS IT JE LI LT LU "
        "LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK"
    ),
    "Middle East and North Africa": "AE BH DZ EG EH IL IQ IR JO KW LB LY MA OM PS QA SA SY TN YE",
    "Sub-Saharan Africa": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW MZ NA NE NG RE "
        "RW SC SD SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW"
    ),
    "Asia": "AF BD BN BT CN HK ID IN IO JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH TJ TL TM TW UZ VN",
    "Americas and the Caribbean": (
        "AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GS GT GY HN HT JM KN KY LC "
        "MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI"
    ),
    "Oceania": "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
}
OTHER = "Other"
REGION_BY_CODE = {code: region for region, codes in REGIONS.items() for code in codes.split()}
REGION_ORDER = [*REGIONS, OTHER]


def region_of(code):
    return REGION_BY_CODE.get((code or "").upper(), OTHER)
