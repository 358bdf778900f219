"""The fictional Bazhong demo data set behind `ipdir seed --demo` and `ipdir serve --demo`.

Everything is drawn from one seeded random generator (`draws`) and every date is counted
from the day the set is loaded, so the same `now` always gives the same rows and "expiring
soon" stays true whenever it is loaded. `build` draws the set in memory (`agencies`,
`people`, `qualifications` with training, `reviews`) and `load` saves it; the word lists
live in `names`.
"""
