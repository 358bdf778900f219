"""What a person needs before holding a qualification: other qualifications and an internship.

The needs are the `requires` and `internship_months` of the kind's rule (reference data); a
patent practice filing, for one, needs the qualification certificate and a year's internship
(专利代理条例 第10条)."""

from __future__ import annotations

from datetime import date

from directory.errors import ErrorCode
from directory.reference.data import QUALIFICATION_KINDS
from directory.reference.duties import KindDuties, parse_duties
from directory.talent.models import Practitioner, Qualification, Verification
from directory.talent.rules import internship_months, is_valid
from directory.validation import Checker

DUTIES: dict[str, KindDuties] = {
    code: parse_duties(code, rule) for code, *_, rule in QUALIFICATION_KINDS
}
_NAMES = {code: (zh, en) for code, zh, en, *_ in QUALIFICATION_KINDS}


def duties_of(kind: str) -> KindDuties:
    return DUTIES.get(kind) or KindDuties()


async def check_prerequisites(
    check: Checker, person: Practitioner, kind: str, on: date, *, verified: bool
) -> None:
    """Adds a problem (field `kind`) for each need of `kind` the person lacks on day `on`.

    A needed qualification counts while the bureau is still checking it; with `verified`
    (the bureau approving the new one) it must be valid: verified, issued and not expired."""
    duties = duties_of(kind)
    zh, en = _NAMES.get(kind, (kind, kind))
    if duties.requires:
        held = await Qualification.filter(
            practitioner_id=person.id, kind_id__in=list(duties.requires)
        ).values_list("kind_id", "verification", "issued_on", "expires_on")
        for needed in duties.requires:
            if not any(
                k == needed and is_valid(_counted(v, verified), issued, expires, on)
                for k, v, issued, expires in held
            ):
                needed_zh, needed_en = _NAMES.get(needed, (needed, needed))
                how = "经核验的" if verified else ""
                check.add(
                    ErrorCode.QUALIFICATION_REQUIRED,
                    "kind",
                    f"{zh}须先持有{how}有效的{needed_zh}（a {en} needs a valid {needed_en} first）",
                )
    if months := duties.internship_months:
        done = internship_months(person.internship_started_on, person.internship_ended_on, on)
        if done < months:
            check.add(
                ErrorCode.INTERNSHIP_REQUIRED,
                "kind",
                f"{zh}须实习满 {months} 个月，登记的实习为 {done} 个月"
                f"（a {en} needs {months} months of internship, {done} recorded）",
            )


def _counted(verification: str, verified: bool) -> str:
    """A pending certificate counts as if verified, unless only verified ones count."""
    if verification == Verification.PENDING and not verified:
        return Verification.VERIFIED
    return verification
