"""A meeting's return, level by level (Phillips: 0 inputs, 1 reaction and planned action,
2 learning, 3 application, 4 impact, 5 ROI).

Pure Python, NumPy and SciPy, with no Django import. The database aggregates and passes
plain numbers and lists (one rating, one pair of answers, one estimate per attendee);
nothing here is a sentence: results carry keys and figures, and the Django layer words
and translates them.

- estimates: `mean_interval` (t), `share_interval` (Wilson), `response_rate`;
- reaction: session ratings, satisfaction, planned actions and their confidence (from
  the ratings, or from the database's counts: `reaction_from_tallies`);
- learning: the paired gain per objective and per attendee (`learning_gain`, `learning`);
- application: a follow-up round (`application`);
- money: `cost_per_attendee`, `impact` (the Phillips isolation), `roi`;
- chain: `return_chain`, levels 0 to 5 as a chain of evidence.
"""

from .application import (
    FREQUENCIES,
    Application,
    AppliedKey,
    FollowUpAnswer,
    FrequencyKey,
    application,
)
from .chain import Chain, Level, LevelKey, LevelReason, Unit, return_chain
from .estimates import MIN_ANSWERS, Estimate, mean_interval, response_rate, share_interval
from .learning import Gain, Learning, Pair, learning, learning_gain
from .money import (
    Impact,
    Roi,
    RoiReason,
    benefit_cost_ratio,
    cost_per_attendee,
    impact,
    roi,
    roi_percent,
    total_costs,
)
from .reaction import (
    SATISFIED_FROM,
    SCALE_POINTS,
    Reaction,
    SessionReaction,
    reaction,
    reaction_from_tallies,
)

__all__ = [
    "FREQUENCIES",
    "MIN_ANSWERS",
    "SATISFIED_FROM",
    "SCALE_POINTS",
    "Application",
    "AppliedKey",
    "Chain",
    "Estimate",
    "FollowUpAnswer",
    "FrequencyKey",
    "Gain",
    "Impact",
    "Learning",
    "Level",
    "LevelKey",
    "LevelReason",
    "Pair",
    "Reaction",
    "Roi",
    "RoiReason",
    "SessionReaction",
    "Unit",
    "application",
    "benefit_cost_ratio",
    "cost_per_attendee",
    "impact",
    "learning",
    "learning_gain",
    "mean_interval",
    "reaction",
    "reaction_from_tallies",
    "response_rate",
    "return_chain",
    "roi",
    "roi_percent",
    "share_interval",
    "total_costs",
]
