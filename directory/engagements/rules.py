"""Which step each state of an engagement request allows, and who takes it (pure)."""

from __future__ import annotations

from enum import StrEnum

from directory.engagements.models import RequestState

MAX_AGENCIES = 3  # agencies one inquiry may ask
REMINDER_WORKING_DAYS = (1, 2)  # the agency is reminded after these working days unanswered
LAPSE_WORKING_DAYS = 5  # an unanswered request lapses after these working days
CONFIRM_HOURS = 72  # how long the e-mail confirmation link works
RESPONSE_WINDOW_DAYS = 365  # the responsiveness figures count the requests of this period


class Step(StrEnum):
    CONFIRM = "confirm"  # the firm confirmed its e-mail (system, through the link)
    ACCEPT = "accept"  # the agency
    DECLINE = "decline"  # the agency
    LAPSE = "lapse"  # the worker
    START = "start"  # the firm
    FINISH = "finish"  # the firm
    WITHDRAW = "withdraw"  # the firm


S = RequestState
TRANSITIONS: dict[tuple[RequestState, Step], RequestState] = {
    (S.UNCONFIRMED, Step.CONFIRM): S.OPEN,
    (S.UNCONFIRMED, Step.WITHDRAW): S.WITHDRAWN,
    (S.OPEN, Step.ACCEPT): S.ACCEPTED,
    (S.OPEN, Step.DECLINE): S.DECLINED,
    (S.OPEN, Step.LAPSE): S.LAPSED,
    (S.OPEN, Step.WITHDRAW): S.WITHDRAWN,
    (S.ACCEPTED, Step.START): S.STARTED,
    (S.ACCEPTED, Step.WITHDRAW): S.WITHDRAWN,
    (S.STARTED, Step.FINISH): S.DONE,
}

ANSWERED = frozenset({S.ACCEPTED, S.DECLINED, S.STARTED, S.DONE})  # the agency answered
REVIEWABLE = S.DONE


def next_state(state: RequestState, step: Step) -> RequestState | None:
    """The state `step` leads to from `state`, or None when it is not allowed there."""
    return TRANSITIONS.get((state, step))
