"""Rating arithmetic on plain numbers: an agency's stars held near the sector's while few."""

from __future__ import annotations

NEUTRAL_RATING = 4.0  # stars: the sector mean assumed before the sector has reviews
PRIOR_REVIEWS = 5.0  # reviews' worth of weight the sector mean carries in an agency's rating
SECTOR_PRIOR_REVIEWS = 20.0  # reviews' worth of weight NEUTRAL_RATING carries in the sector mean


def shrunk_rating(count: int, total: int, mean: float) -> float:
    """Bayesian average: the agency's stars pulled toward the sector mean by PRIOR_REVIEWS."""
    return (PRIOR_REVIEWS * mean + total) / (PRIOR_REVIEWS + count)


def sector_mean(count: int, total: int) -> float:
    """The sector's mean rating, itself held near NEUTRAL_RATING while reviews are few."""
    return (SECTOR_PRIOR_REVIEWS * NEUTRAL_RATING + total) / (SECTOR_PRIOR_REVIEWS + count)
