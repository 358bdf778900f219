"""Talent mutations: an agency's people, their qualifications and training."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import UNSET

from directory.context import Info
from directory.ids import local_id
from directory.inputs import from_input
from directory.results import MutationError, atomically
from directory.talent import services
from directory.talent.assessments import NewAssessment, record_assessment
from directory.talent.changes import NewTraining, PractitionerChanges, QualificationChanges
from directory.talent.models import AssessmentResult, Degree, Practitioner, Qualification
from directory.talent.types import PractitionerType, QualificationType, TrainingRecordType


@strawberry.input(description="A person's details; on an update only the fields sent change.")
class PractitionerDetailsInput:
    employer: str | None = UNSET
    degree: Degree | None = UNSET
    major: str | None = UNSET
    languages: list[str] | None = UNSET
    practising_since: date | None = UNSET
    joined_agency_on: date | None = UNSET
    internship_started_on: date | None = strawberry.field(
        default=UNSET, description="the internship a patent practice filing needs (12 months)"
    )
    internship_ended_on: date | None = strawberry.field(
        default=UNSET, description="null while still interning"
    )
    fields: list[str] | None = UNSET
    phone: str | None = UNSET
    personal_email: str | None = UNSET
    id_number: str | None = UNSET


@strawberry.input
class AddPractitionerInput(PractitionerDetailsInput):
    agency_id: strawberry.ID
    name: str


@strawberry.input(description="Only the fields sent change.")
class UpdatePractitionerInput(PractitionerDetailsInput):
    id: strawberry.ID
    version: int
    name: str | None = UNSET


@strawberry.input
class AddQualificationInput:
    practitioner_id: strawberry.ID
    kind: str
    number: str
    issuer: str | None = UNSET
    level: str | None = UNSET
    issued_on: date | None = UNSET
    expires_on: date | None = UNSET


@strawberry.input(description="Changing number, kind or dates sends it back to verification.")
class UpdateQualificationInput:
    id: strawberry.ID
    kind: str | None = UNSET
    number: str | None = UNSET
    issuer: str | None = UNSET
    level: str | None = UNSET
    issued_on: date | None = UNSET
    expires_on: date | None = UNSET


@strawberry.input(description="A year's annual assessment of a lawyer licence (律师执业年度考核).")
class RecordAssessmentInput:
    qualification_id: strawberry.ID
    year: int = strawberry.field(description="the spring it took place in")
    result: AssessmentResult
    assessed_on: date | None = strawberry.field(
        default=UNSET, description="the day of the decision; default: today"
    )


@strawberry.input
class RecordTrainingInput:
    practitioner_id: strawberry.ID
    course: str
    hours: Decimal
    completed_on: date
    provider: str | None = UNSET


@strawberry.type
class PractitionerPayload:
    practitioner: PractitionerType


@strawberry.type
class QualificationPayload:
    qualification: QualificationType


@strawberry.type
class TrainingPayload:
    training: TrainingRecordType


PractitionerResult = Annotated[
    PractitionerPayload | MutationError, strawberry.union("PractitionerResult")
]
QualificationResult = Annotated[
    QualificationPayload | MutationError, strawberry.union("QualificationResult")
]
TrainingResult = Annotated[TrainingPayload | MutationError, strawberry.union("TrainingResult")]


def _practitioner_changes(input: PractitionerDetailsInput) -> PractitionerChanges:
    return from_input(PractitionerChanges, input)


def _person(p: Practitioner) -> PractitionerPayload:
    return PractitionerPayload(practitioner=PractitionerType.from_model(p))


def _qualification(q: Qualification) -> QualificationPayload:
    return QualificationPayload(qualification=QualificationType.from_model(q))


@strawberry.type
class TalentMutation:
    @strawberry.mutation(description="Bureau or the agency's administrator.")
    async def add_practitioner(self, info: Info, input: AddPractitionerInput) -> PractitionerResult:
        ctx = info.context

        async def run() -> PractitionerPayload:
            agency_id = local_id(input.agency_id, "Agency", "agencyId")
            changes = _practitioner_changes(input)
            return _person(
                await services.add_practitioner(ctx.viewer, agency_id, changes, ctx.moment)
            )

        return await atomically(run)

    @strawberry.mutation
    async def update_practitioner(
        self, info: Info, input: UpdatePractitionerInput
    ) -> PractitionerResult:
        ctx = info.context

        async def run() -> PractitionerPayload:
            pk = local_id(input.id, "Practitioner")
            changes = _practitioner_changes(input)
            person = await services.update_practitioner(
                ctx.viewer, pk, input.version, changes, ctx.moment
            )
            return _person(person)

        return await atomically(run)

    @strawberry.mutation(description="Take a person off the listings; the history stays.")
    async def remove_practitioner(
        self, info: Info, id: strawberry.ID, version: int
    ) -> PractitionerResult:
        ctx = info.context

        async def run() -> PractitionerPayload:
            pk = local_id(id, "Practitioner")
            return _person(await services.remove_practitioner(ctx.viewer, pk, version, ctx.moment))

        return await atomically(run)

    @strawberry.mutation
    async def add_qualification(
        self, info: Info, input: AddQualificationInput
    ) -> QualificationResult:
        ctx = info.context

        async def run() -> QualificationPayload:
            pk = local_id(input.practitioner_id, "Practitioner", "practitionerId")
            changes = from_input(QualificationChanges, input)
            return _qualification(
                await services.add_qualification(ctx.viewer, pk, changes, ctx.moment)
            )

        return await atomically(run)

    @strawberry.mutation
    async def update_qualification(
        self, info: Info, input: UpdateQualificationInput
    ) -> QualificationResult:
        ctx = info.context

        async def run() -> QualificationPayload:
            pk = local_id(input.id, "Qualification")
            changes = from_input(QualificationChanges, input)
            return _qualification(
                await services.update_qualification(ctx.viewer, pk, changes, ctx.moment)
            )

        return await atomically(run)

    @strawberry.mutation(description="Bureau: verify (approve) or reject a qualification.")
    async def verify_qualification(
        self, info: Info, id: strawberry.ID, approve: bool
    ) -> QualificationResult:
        ctx = info.context

        async def run() -> QualificationPayload:
            pk = local_id(id, "Qualification")
            return _qualification(
                await services.verify_qualification(ctx.viewer, pk, approve, ctx.moment)
            )

        return await atomically(run)

    @strawberry.mutation(
        description="Bureau: record (or correct) a year's assessment; the licence's validity "
        "follows its latest assessment."
    )
    async def record_licence_assessment(
        self, info: Info, input: RecordAssessmentInput
    ) -> QualificationResult:
        ctx = info.context

        async def run() -> QualificationPayload:
            pk = local_id(input.qualification_id, "Qualification", "qualificationId")
            day = input.assessed_on if input.assessed_on is not UNSET else None
            new = NewAssessment(year=input.year, result=input.result, assessed_on=day)
            return _qualification(await record_assessment(ctx.viewer, pk, new, ctx.moment))

        return await atomically(run)

    @strawberry.mutation
    async def record_training(self, info: Info, input: RecordTrainingInput) -> TrainingResult:
        ctx = info.context

        async def run() -> TrainingPayload:
            pk = local_id(input.practitioner_id, "Practitioner", "practitionerId")
            training = from_input(NewTraining, input)
            record = await services.record_training(ctx.viewer, pk, training, ctx.moment)
            return TrainingPayload(training=TrainingRecordType.from_model(record))

        return await atomically(run)
