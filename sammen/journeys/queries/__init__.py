"""Reads of the journeys app, split by noun: the map a viewer sees and the figures."""

from .figures import JourneyFigures, journey_figures
from .maps import (
    Progress,
    StageView,
    journey_map,
    own_ratings,
    progress_of,
    rateable_touchpoints,
)

__all__ = [
    "JourneyFigures",
    "Progress",
    "StageView",
    "journey_figures",
    "journey_map",
    "own_ratings",
    "progress_of",
    "rateable_touchpoints",
]
