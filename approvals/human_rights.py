"""Human-rights and Code of Ethics rules, in the spirit of the OSJA guidance. Pure functions."""

from dataclasses import dataclass, field

RISKS = [
    ("unlawful_killing", "Unlawful killing"),
    ("torture", "Torture or cruel, inhuman or degrading treatment"),
    ("death_penalty", "Use of the death penalty"),
    ("arbitrary_detention", "Arbitrary detention"),
    ("unfair_trial", "Unfair trial"),
    ("discrimination", "Discrimination"),
    ("civil_liberties", "Restriction of civil liberties"),
]
RISK_CODES = {code for code, _ in RISKS}
LIKELIHOODS = [("remote", "Remote"), ("possible", "Possible"), ("likely", "Likely")]
RESIDUALS = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("serious", "Serious")]
_RANK = {code: rank for rank, (code, _) in enumerate(RESIDUALS)}

# The College of Policing's Code of Ethics (2024): three principles, which replaced the 2014 Code's nine.
ETHICS_PRINCIPLES = "The Code's three principles: courage, respect and empathy, and public service"
ETHICS_CODE_URL = "https://www.college.police.uk/ethics/code-of-ethics"


@dataclass(frozen=True)
class Assessment:
    risks: list = field(default_factory=list)
    likelihood: str | None = None
    mitigations: str = ""
    residual: str | None = None


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str


def rank(residual):
    return _RANK.get(residual, -1)


def needs_ministerial_attention(residual):
    return residual == "high"


def validate(assessment):
    """Field errors for an assessment: {field: message}."""
    errors = {}
    unknown = set(assessment.risks) - RISK_CODES
    if unknown:
        errors["hr_risks"] = "Select risks from the list"
    if assessment.residual not in _RANK:
        errors["hr_residual"] = "Select the residual risk"
    if assessment.risks and assessment.likelihood not in dict(LIKELIHOODS):
        errors["hr_likelihood"] = "Select how likely the risk is"
    return errors


def refusals(assessment, previous_residual, lowering_reason, positive):
    """Why the human-rights rules refuse this decision (empty when they allow it).

    - a gate may raise the previous rating but lowers it only with a reason, whatever the outcome;
    - residual serious refuses any positive decision;
    - residual high needs written mitigations before a positive decision.
    """
    found = []
    if (
        previous_residual
        and rank(assessment.residual) < rank(previous_residual)
        and not (lowering_reason or "").strip()
    ):
        found.append(
            Refusal(
                "hr_lowered_without_reason",
                f"You lowered the residual risk from {previous_residual} to {assessment.residual}: "
                "give a reason for lowering it",
            )
        )
    if positive and assessment.residual == "serious":
        found.append(
            Refusal(
                "hr_serious",
                "The residual human-rights risk is serious: a positive decision cannot be made. "
                "Decline or return the request",
            )
        )
    if positive and assessment.residual == "high" and not (assessment.mitigations or "").strip():
        found.append(Refusal("hr_high_needs_mitigations", "The residual risk is high: describe the mitigations"))
    return found
