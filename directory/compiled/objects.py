"""One SQL expression building the JSON of an object the API shows, for each supported type.

Each builder answers what the type's resolvers answer, field for field: the same columns, the
enum names GraphQL shows, dates as ISO days, decimals as text, global ids as base64 of
"Type:id", lists in the order the loaders give, private fields only where
`Viewer.can_see_private` allows. Anything else raises `Unsupported`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, SelectionSetNode

from directory.agencies.models import AgencyStatus, CreditGrade
from directory.auth import Viewer
from directory.compiled.selection import Selected, Unsupported, selected
from directory.pagination import MAX_PAGE_SIZE
from directory.reference.models import Holder, RegionLevel
from directory.talent.models import Degree, PractitionerStatus
from directory.talent.rules import valid_sql
from directory.verification import Verification

_MAX_KEYS = 50  # json_build_object takes at most 100 arguments


def _enum(column: str, enum: type[Enum]) -> str:
    whens = " ".join(f"WHEN '{m.value}' THEN '{m.name}'" for m in enum)
    return f"(CASE {{t}}.{column} {whens} END)"


def _day(column: str) -> str:
    return f"to_char({{t}}.{column}, 'YYYY-MM-DD')"


def _global_id(type_name: str) -> str:
    return f"encode(convert_to('{type_name}:' || {{t}}.id, 'UTF8'), 'base64')"


def _columns(**names: str) -> dict[str, str]:
    return {api: f"{{t}}.{column}" for api, column in names.items()}


_LABELS = _columns(code="code", nameZh="name_zh", nameEn="name_en")

# Scalar fields without arguments: an SQL template on the row aliased {t}.
LEAVES: dict[str, dict[str, str]] = {
    "Agency": {
        "id": _global_id("Agency"),
        **_columns(
            version="version",
            name="name",
            nameEn="name_en",
            creditCode="credit_code",
            verified="verified",
            address="address",
            description="description",
            contactName="contact_name",
            contactPhone="contact_phone",
            contactEmail="contact_email",
            website="website",
        ),
        "status": _enum("status", AgencyStatus),
        "foundedOn": _day("founded_on"),
    },
    "CreditRating": {
        "grade": _enum("credit_grade", CreditGrade),
        "score": "({t}.credit_score)::text",
        "gradedOn": _day("credit_graded_on"),
    },
    "AgencyLicence": {
        "id": _global_id("AgencyLicence"),
        **_columns(version="version", number="number", issuer="issuer", endReason="end_reason"),
        "issuedOn": _day("issued_on"),
        "expiresOn": _day("expires_on"),
        "endedOn": _day("ended_on"),
        "verification": _enum("verification", Verification),
    },
    "Practitioner": {
        "id": _global_id("Practitioner"),
        **_columns(version="version", name="name", employer="employer", major="major"),
        "status": _enum("status", PractitionerStatus),
        "degree": _enum("degree", Degree),
        "languages": "({t}.languages)::json",
        "practisingSince": _day("practising_since"),
        "internshipStartedOn": _day("internship_started_on"),
        "internshipEndedOn": _day("internship_ended_on"),
    },
    "Qualification": {
        "id": _global_id("Qualification"),
        **_columns(number="number", issuer="issuer", level="level"),
        "issuedOn": _day("issued_on"),
        "expiresOn": _day("expires_on"),
        "verification": _enum("verification", Verification),
    },
    "TrainingRecord": {
        "id": "({t}.id)::text",
        **_columns(course="course", provider="provider"),
        "hours": "({t}.hours)::text",
        "completedOn": _day("completed_on"),
    },
    "Region": {**_LABELS, "level": _enum("level", RegionLevel)},
    "ServiceType": {**_LABELS, "requiredQualificationCode": "{t}.required_qualification_id"},
    "AgencyKind": dict(_LABELS),
    "TechnicalField": {**_LABELS, "priority": "{t}.priority"},
    "QualificationKind": {
        **_LABELS,
        "holder": _enum("holder", Holder),
        "validityMonths": "{t}.validity_months",
        "rule": "({t}.rule)::json",
    },
}


class Builder:
    """Builds the JSON expressions of one operation and collects their parameters ($1, $2, …)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        variables: Any,
        viewer: Viewer,
        today: date,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.viewer = viewer
        self.today = today
        self.params: list[Any] = []
        self._aliases = 0

    def param(self, value: Any, cast: str) -> str:
        self.params.append(value)
        return f"${len(self.params)}::{cast}"

    def alias(self) -> str:
        self._aliases += 1
        return f"t{self._aliases}"

    def object_type(self, name: str) -> GraphQLObjectType:
        found = self.schema.get_type(name)
        assert isinstance(found, GraphQLObjectType)
        return found

    def fields(self, type_name: str, selection_set: SelectionSetNode | None) -> list[Selected]:
        return selected(self.object_type(type_name), selection_set, self.variables)

    def build(self, type_name: str, t: str, selection_set: SelectionSetNode | None) -> str:
        """The JSON object of the row aliased `t`, with the fields of `selection_set`."""
        leaves = LEAVES.get(type_name, {})
        nested = _NESTED.get(type_name, {})
        parts: list[str] = []
        for field in self.fields(type_name, selection_set):
            if field.name == "__typename":
                expression = f"'{type_name}'"
            elif field.name in leaves:
                expression = leaves[field.name].format(t=t)
            elif field.name in nested:
                expression = nested[field.name](self, t, field)
            else:
                raise Unsupported(f"{type_name}.{field.name}")
            parts += [f"'{field.key}'", expression]
        if len(parts) > 2 * _MAX_KEYS:
            raise Unsupported("too many fields")
        return f"json_build_object({', '.join(parts)})"

    def one(self, type_name: str, table: str, where: str, field: Selected) -> str:
        """A single object (null when no row matches) from `table` aliased {t}."""
        t = self.alias()
        body = self.build(type_name, t, field.node.selection_set)
        return f"(SELECT {body} FROM {table} {t} WHERE {where.format(t=t)})"

    def many(
        self,
        type_name: str,
        source: str,
        where: str,
        order: str,
        field: Selected,
        limit: str | None = None,
    ) -> str:
        """A JSON array (empty, never null) of rows from `source` (the row aliased {t})."""
        t = self.alias()
        body = self.build(type_name, t, field.node.selection_set)
        source, where, order = (s.format(t=t) for s in (source, where, order))
        if limit is None:
            return (
                f"(SELECT coalesce(json_agg({body} ORDER BY {order}), '[]'::json)"
                f" FROM {source} WHERE {where})"
            )
        return (
            "(SELECT coalesce(json_agg(x.j ORDER BY x.n), '[]'::json) FROM ("
            f"SELECT {body} AS j, row_number() OVER (ORDER BY {order}) AS n"
            f" FROM {source} WHERE {where} ORDER BY {order} LIMIT {limit}) x)"
        )

    def private(self, agency_column: str) -> str:
        """`Viewer.can_see_private` of the agency in `agency_column`, as an SQL condition."""
        if self.viewer.is_bureau:
            return "TRUE"
        if self.viewer.can_see_private(self.viewer.agency_id):
            return f"coalesce({agency_column} = {self.param(self.viewer.agency_id, 'int')}, FALSE)"
        return "FALSE"

    def day(self, field: Selected) -> str:
        on = field.arguments.get("on")
        return self.param(on if on is not None else self.today, "date")


Nested = Callable[[Builder, str, Selected], str]


def _region(column: str) -> Nested:
    return lambda b, t, f: b.one("Region", "region", f"{{t}}.code = {t}.{column}", f)


def _linked(type_name: str, table: str, link: str, owner: str, key: str, order: str) -> Nested:
    def build(b: Builder, t: str, f: Selected) -> str:
        source = f"{link} l_{{t}} JOIN {table} {{t}} ON {{t}}.code = l_{{t}}.{key}"
        return b.many(type_name, source, f"l_{{t}}.{owner} = {t}.id", order, f)

    return build


_BY_POSITION = "{t}.position, {t}.code"


def _credit_rating(b: Builder, t: str, f: Selected) -> str:
    body = b.build("CreditRating", t, f.node.selection_set)
    return f"(CASE WHEN {t}.credit_grade IS NULL THEN NULL ELSE {body} END)"


def _licences(b: Builder, t: str, f: Selected) -> str:
    shown = f"({b.private(f'{t}.id')} OR {{t}}.verification = '{Verification.VERIFIED.value}')"
    where = f"{{t}}.agency_id = {t}.id AND {shown}"
    return b.many("AgencyLicence", "agency_licence {t}", where, "{t}.kind_id, {t}.id", f)


def _people(b: Builder, t: str, f: Selected) -> str:
    first = f.arguments["first"]
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise Unsupported("first")  # the resolver answers the error
    limit = b.param(first, "int")
    where = f"{{t}}.agency_id = {t}.id AND {{t}}.removed_at IS NULL"
    return b.many("Practitioner", "practitioner {t}", where, "{t}.name, {t}.id", f, limit)


def _agency_of(b: Builder, t: str, f: Selected) -> str:
    return b.one("Agency", "agency", f"{{t}}.id = {t}.agency_id", f)


def _experience_years(b: Builder, t: str, f: Selected) -> str:
    today = b.param(b.today, "date")
    return (
        f"(CASE WHEN {t}.practising_since IS NULL THEN NULL ELSE"
        f" (date_part('year', {today}) - date_part('year', {t}.practising_since))::int"
        f" - (to_char({today}, 'MMDD') < to_char({t}.practising_since, 'MMDD'))::int END)"
    )


def _private_text(column: str) -> Nested:
    return lambda b, t, f: (
        f"(CASE WHEN {b.private(f'{t}.agency_id')} THEN {t}.{column} ELSE NULL END)"
    )


def _id_number(b: Builder, t: str, f: Selected) -> str:
    value = f"{t}.id_number"
    masked = f"left({value}, 3) || repeat('*', length({value}) - 7) || right({value}, 4)"
    if f.arguments.get("unmasked") and b.viewer.is_bureau:
        masked = value
    return (
        f"(CASE WHEN {b.private(f'{t}.agency_id')} AND {value} <> '' THEN {masked} ELSE NULL END)"
    )


def _qualifications(b: Builder, t: str, f: Selected) -> str:
    source = "qualification {t} JOIN qualification_kind k_{t} ON k_{t}.code = {t}.kind_id"
    return b.many(
        "Qualification", source, f"{{t}}.practitioner_id = {t}.id", "k_{t}.position, {t}.id", f
    )


def _training_records(b: Builder, t: str, f: Selected) -> str:
    where = f"{{t}}.practitioner_id = {t}.id"
    order = "{t}.completed_on DESC, {t}.id DESC"
    return b.many("TrainingRecord", "training_record {t}", where, order, f)


def _is_valid_qualification(b: Builder, t: str, f: Selected) -> str:
    verified = b.param(Verification.VERIFIED.value, "text")
    return f"({valid_sql(t, verified, b.day(f))})"


def _is_valid_licence(b: Builder, t: str, f: Selected) -> str:
    verified = b.param(Verification.VERIFIED.value, "text")
    on = b.day(f)
    return f"({valid_sql(t, verified, on)} AND ({t}.ended_on IS NULL OR {t}.ended_on > {on}))"


def _kind(b: Builder, t: str, f: Selected) -> str:
    return b.one("QualificationKind", "qualification_kind", f"{{t}}.code = {t}.kind_id", f)


_NESTED: dict[str, dict[str, Nested]] = {
    "Agency": {
        "creditRating": _credit_rating,
        "officeRegion": _region("office_region_id"),
        "kinds": _linked(
            "AgencyKind", "agency_kind", "agency_kind_link", "agency_id", "kind_id", _BY_POSITION
        ),
        "services": _linked(
            "ServiceType",
            "service_type",
            "agency_service_link",
            "agency_id",
            "service_id",
            _BY_POSITION,
        ),
        "fields": _linked(
            "TechnicalField",
            "technical_field",
            "agency_field_link",
            "agency_id",
            "field_id",
            _BY_POSITION,
        ),
        "regionsServed": _linked(
            "Region", "region", "agency_region_served", "agency_id", "region_id", "{t}.code"
        ),
        "licences": _licences,
        "practitioners": _people,
    },
    "AgencyLicence": {"kind": _kind, "isValid": _is_valid_licence},
    "Practitioner": {
        "experienceYears": _experience_years,
        "phone": _private_text("phone"),
        "personalEmail": _private_text("personal_email"),
        "idNumber": _id_number,
        "agency": _agency_of,
        "fields": _linked(
            "TechnicalField",
            "technical_field",
            "practitioner_field_link",
            "practitioner_id",
            "field_id",
            _BY_POSITION,
        ),
        "qualifications": _qualifications,
        "trainingRecords": _training_records,
    },
    "Qualification": {"kind": _kind, "isValid": _is_valid_qualification},
    "Region": {"parent": _region("parent_id")},
}
