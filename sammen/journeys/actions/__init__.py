"""Every write of the journeys app, split by noun: the map of stages and touchpoints,
ratings and waves, and what the organisation decides."""

from .decisions import (
    do_add_plan,
    do_decide,
    do_delete_plan,
    do_open_call_from_touchpoint,
)
from .mapping import (
    do_add_stage,
    do_add_touchpoint,
    do_delete_stage,
    do_delete_touchpoint,
    do_move_stage,
    do_move_touchpoint,
    do_update_stage,
    do_update_touchpoint,
)
from .rating import (
    do_answer_closing_questions,
    do_merge_journey_participants,
    do_rate,
    do_skip,
)
from .setup import do_setup_journey, do_start_wave, do_update_journey

__all__ = [
    "do_add_plan",
    "do_add_stage",
    "do_add_touchpoint",
    "do_answer_closing_questions",
    "do_decide",
    "do_delete_plan",
    "do_delete_stage",
    "do_delete_touchpoint",
    "do_merge_journey_participants",
    "do_move_stage",
    "do_move_touchpoint",
    "do_open_call_from_touchpoint",
    "do_rate",
    "do_setup_journey",
    "do_skip",
    "do_start_wave",
    "do_update_journey",
    "do_update_stage",
    "do_update_touchpoint",
]
