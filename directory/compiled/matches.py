"""The answer of `matchAgencies`, compiled: the match runs as the resolver runs it
(`matching.queries.answer_match`), then one statement builds the JSON of the agencies, the
people and the services it names (`objects.Builder`, with the same privacy rules), and the
answer is put together here, instead of one resolver call for each of its fields.

`MatchShape` checks the whole selection before anything runs: a field it does not know raises
`Unsupported`, and the operation runs the normal way, before the request is counted or the
match made."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from directory.compiled.objects import Builder
from directory.compiled.selection import Selected, Unsupported
from directory.matching.facts import Match, Reason

# The scalar fields of AgencyMatch and MatchReason, as their resolvers answer them (GraphQL
# serialises a Float as a float and an Int as an int).
_MATCH: dict[str, Callable[[Match], Any]] = {
    "rank": lambda m: int(m.rank),
    "score": lambda m: float(m.score),
    "partialCoverage": lambda m: bool(m.partial_coverage),
    "abnormalListed": lambda m: bool(m.abnormal),
}
_REASON: dict[str, Callable[[Reason], Any]] = {
    "code": lambda r: r.code,
    "labelZh": lambda r: r.label_zh,
    "labelEn": lambda r: r.label_en,
    "weight": lambda r: float(r.weight),
    "value": lambda r: float(r.value),
    "detailZh": lambda r: r.detail_zh,
    "detailEn": lambda r: r.detail_en,
}
# The object fields: the type each lists and the table it is read from by key.
_OBJECTS = {
    "agency": ("Agency", "agency", "id", "int[]"),
    "qualifiedPractitioners": ("Practitioner", "practitioner", "id", "int[]"),
    "missingServices": ("ServiceType", "service_type", "code", "text[]"),
}


class MatchShape:
    """The fields an operation asks of each AgencyMatch, and the statement reading the objects
    among them."""

    def __init__(self, builder: Builder, parts: Sequence[Selected]) -> None:
        self.parts = parts
        self.reasons: dict[str, list[Selected]] = {}
        # The keys of each object field asked are the first parameters, before the bodies'.
        self.keys = list(dict.fromkeys(p.name for p in parts if p.name in _OBJECTS))
        keys = {name: builder.param(None, _OBJECTS[name][3]) for name in self.keys}
        bodies: list[str] = []
        for part in parts:
            if part.name == "__typename" or part.name in _MATCH:
                continue
            if part.name == "reasons":
                fields = builder.fields("MatchReason", part.node.selection_set)
                if any(f.name != "__typename" and f.name not in _REASON for f in fields):
                    raise Unsupported("MatchReason field")
                self.reasons[part.key] = fields
                continue
            if part.name not in _OBJECTS:
                raise Unsupported(f"AgencyMatch.{part.name}")
            type_name, table, key, _ = _OBJECTS[part.name]
            t = builder.alias()
            body = builder.build(type_name, t, part.node.selection_set)
            bodies += [
                f"'{part.key}'",
                f"(SELECT coalesce(json_object_agg({t}.{key}, {body}), '{{}}'::json)"
                f" FROM {table} {t} WHERE {t}.{key} = ANY({keys[part.name]}))",
            ]
        self.builder = builder
        self.sql = f"SELECT json_build_object({', '.join(bodies)})::text AS j" if bodies else None

    def params(self, matches: Sequence[Match]) -> list[Any]:
        """The statement's parameters: the keys of each object field, then the builder's."""
        wanted = {
            "agency": sorted({m.agency_id for m in matches}),
            "qualifiedPractitioners": sorted({p for m in matches for p in m.qualified}),
            "missingServices": sorted({s for m in matches for s in m.missing_services}),
        }
        return [*(wanted[name] for name in self.keys), *self.builder.params[len(self.keys) :]]

    def answer(
        self, matches: Sequence[Match], objects: Mapping[str, Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Each match as the operation asks for it; `objects` holds the statement's objects
        by response key, each by its key as text (JSON keys are text)."""
        answer = []
        found = objects.get
        for m in matches:
            agency = next((p.key for p in self.parts if p.name == "agency"), None)
            if agency is not None and str(m.agency_id) not in found(agency, {}):
                continue  # removed since the match was made: the resolver would fail on it
            item: dict[str, Any] = {}
            for part in self.parts:
                if part.name == "__typename":
                    item[part.key] = "AgencyMatch"
                elif part.name in _MATCH:
                    item[part.key] = _MATCH[part.name](m)
                elif part.name == "reasons":
                    item[part.key] = [_reason(r, self.reasons[part.key]) for r in m.reasons]
                elif part.name == "agency":
                    item[part.key] = found(part.key, {})[str(m.agency_id)]
                elif part.name == "qualifiedPractitioners":
                    people = found(part.key, {})
                    item[part.key] = [people[str(p)] for p in m.qualified if str(p) in people]
                else:
                    services = found(part.key, {})
                    item[part.key] = [services[s] for s in m.missing_services]
            answer.append(item)
        return answer


def _reason(reason: Reason, fields: Sequence[Selected]) -> dict[str, Any]:
    return {
        f.key: "MatchReason" if f.name == "__typename" else _REASON[f.name](reason) for f in fields
    }
