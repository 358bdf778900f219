"""Demo reviews: firms of Bazhong rating the agencies they engaged, mostly content."""

from __future__ import annotations

from typing import Any

from directory.demo import names as words
from directory.demo.draws import Draws
from directory.demo.plans import AgencyPlan

REVIEWS = 18  # in the whole set
_RATINGS = (5, 4, 3, 2, 1)
_RATING_WEIGHTS = (45, 35, 10, 6, 4)  # per cent


def draw_reviews(d: Draws, agencies: list[AgencyPlan]) -> list[tuple[int, dict[str, Any]]]:
    """(index into `agencies`, review row), one per engagement; bigger agencies get more."""
    rng, today = d.rng, d.today
    firms = [
        (name, d.credit_code(prefix, region, rng.random() < 0.6))
        for name, region, prefix in words.FIRMS
    ]
    open_ = [i for i, a in enumerate(agencies) if a.profile.status != "deregistered"]
    sizes = [sum(n for _, n in agencies[i].profile.staff) for i in open_]
    seen: set[tuple[int, str, str]] = set()
    reviews: list[tuple[int, dict[str, Any]]] = []
    while len(reviews) < REVIEWS:
        agency = rng.choices(open_, sizes)[0]
        firm, code = rng.choice(firms)
        ref = f"HT-{rng.choice((today.year - 1, today.year))}-{rng.randint(1, 400):04d}"
        if (agency, code, ref) in seen:
            continue
        seen.add((agency, code, ref))
        rating = rng.choices(_RATINGS, _RATING_WEIGHTS)[0]
        if rating >= 4:
            kinds = agencies[agency].profile.kinds
            pool = [c for k in (*kinds, "any") for c in words.PRAISE.get(k, ())]
            satisfied = True
        else:
            pool = list(words.COMPLAINTS[rating])
            satisfied = rating == 3 and rng.random() < 0.5
        row = {
            "firm_credit_code": code,
            "firm_name": firm,
            "engagement_ref": ref,
            "rating": rating,
            "satisfied": satisfied,
            "comment": rng.choice(pool),
        }
        reviews.append((agency, row))
    return reviews
