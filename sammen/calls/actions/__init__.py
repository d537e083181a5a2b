"""Every write of an open call, split by what it writes: the call's settings (rules),
ideas, supports and their momentum, and the review. The package names every action."""

from .ideas import (
    MAX_CO_AUTHORS,
    MAX_IDEAS_PER_DAY,
    ImageInput,
    do_edit_idea,
    do_hide_idea,
    do_respond_to_co_authorship,
    do_restore_idea,
    do_submit_idea,
    do_withdraw_idea,
    idea_people,
)
from .participants import do_merge_call_participants
from .review import (
    REVIEW_DUE_SOON,
    REVIEW_OVERDUE,
    do_answer_idea,
    do_remind_of_review,
    do_score_idea,
)
from .rules import (
    MAX_REVIEW_DATES,
    do_setup_call,
    do_update_call_rules,
    do_update_call_schedule,
    do_update_jury,
)
from .supports import do_support_idea, do_sweep_momentum, do_unsupport_idea

__all__ = [
    "MAX_CO_AUTHORS",
    "MAX_IDEAS_PER_DAY",
    "MAX_REVIEW_DATES",
    "REVIEW_DUE_SOON",
    "REVIEW_OVERDUE",
    "ImageInput",
    "do_answer_idea",
    "do_edit_idea",
    "do_hide_idea",
    "do_merge_call_participants",
    "do_remind_of_review",
    "do_respond_to_co_authorship",
    "do_restore_idea",
    "do_score_idea",
    "do_setup_call",
    "do_submit_idea",
    "do_support_idea",
    "do_sweep_momentum",
    "do_unsupport_idea",
    "do_update_call_rules",
    "do_update_call_schedule",
    "do_update_jury",
    "do_withdraw_idea",
    "idea_people",
]
