"""Cost recovery: pure functions over integer pence. No database, no Flask."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from config.settings import MAX_MONEY_PENCE


@dataclass(frozen=True)
class CostPosition:
    full_cost_pence: int
    committed_pence: int
    expected_pence: int

    @property
    def shortfall_pence(self):
        return max(0, self.full_cost_pence - self.committed_pence)

    @property
    def recovery_ratio(self):
        """Committed funding as a share of full cost (None when there is no cost)."""
        if self.full_cost_pence == 0:
            return None
        return self.committed_pence / self.full_cost_pence

    @property
    def recovery_percent(self):
        ratio = self.recovery_ratio
        return None if ratio is None else round(ratio * 100, 1)


def full_cost(cost_lines):
    return sum(line.amount_pence for line in cost_lines)


def committed_funding(funding):
    return sum(source.amount_pence for source in funding if source.committed)


def expected_funding(funding):
    return sum(source.amount_pence for source in funding if not source.committed)


def position(cost_lines, funding):
    return CostPosition(full_cost(cost_lines), committed_funding(funding), expected_funding(funding))


def waiver_needed(cost_position):
    return cost_position.shortfall_pence > 0


def shortfall_refusal(cost_position, waiver_reason):
    """The refusal message for a positive decision, or None when the cost rule is met."""
    if waiver_needed(cost_position) and not (waiver_reason or "").strip():
        return (
            f"Costs are not fully recovered: the shortfall is {format_pence(cost_position.shortfall_pence)}. "
            "Give a reason for waiving cost recovery, or return the request."
        )
    return None


def recommendation_refusal(cost_position, recommendation):
    """At the chief officer's gate: a positive decision with a shortfall needs a recommended waiver, with reasons."""
    if waiver_needed(cost_position) and not (recommendation or "").strip():
        return (
            f"Costs are not fully recovered: the shortfall is {format_pence(cost_position.shortfall_pence)}. "
            "Give your reasons for recommending that the PCC waive cost recovery, or return the request."
        )
    return None


def not_yours_refusal(cost_position, waiver_reason, pcc_waiver_stands):
    """At the national gates: only the policing body waives cost recovery. A positive decision with a shortfall is
    refused unless the PCC's waiver stands for this approval round; a waiver of this gate's own is refused."""
    if (waiver_reason or "").strip():
        return "Only the policing body (the PCC) can waive cost recovery: leave the waiver reason empty"
    if waiver_needed(cost_position) and not pcc_waiver_stands:
        return (
            f"Costs are not fully recovered (the shortfall is {format_pence(cost_position.shortfall_pence)}) and the "
            "PCC has not waived cost recovery: return the request, or decline it"
        )
    return None


@dataclass(frozen=True)
class CloseOut:
    estimate_pence: int
    actual_cost_pence: int
    recovered_pence: int

    @property
    def variance_pence(self):
        """Actual minus estimate: positive means it cost more than estimated."""
        return self.actual_cost_pence - self.estimate_pence

    @property
    def unrecovered_pence(self):
        return max(0, self.actual_cost_pence - self.recovered_pence)


def format_pence(pence):
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(int(pence)), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_pounds(text):
    """'£1,234.50' -> 123450 pence. Raises ValueError with a GOV.UK-style message."""
    cleaned = (text or "").strip().replace(",", "").replace("£", "").strip()
    if not cleaned:
        raise ValueError("Enter an amount")
    if cleaned.startswith("-"):
        raise ValueError("Amount must be 0 or more")
    if not _MONEY.match(cleaned):
        raise ValueError("Amount must be a number in pounds, like 1250 or 1250.50")
    try:
        pence = int(Decimal(cleaned) * 100)
    except InvalidOperation as error:
        raise ValueError("Amount must be a number in pounds, like 1250 or 1250.50") from error
    if pence > MAX_MONEY_PENCE:
        raise ValueError("Amount must be £100 million or less")
    return pence
