"""The faces of the emotion scale drawn as SVG, the same on every phone.

Emoji differ from one platform to the next (and some colour their angry face red),
so the rating card draws its own: a circle, two eyes and a mouth that bends from a
frown at the bottom of the scale to a smile at the top; the very negative face
frowns with its brows too, the very positive one smiles with its eyes. The word
beside each face says the same in text, so no drawing or colour carries it alone.
"""

from dataclasses import dataclass

from .emotions import midpoint

VIEWBOX = 48
MOUTH_LEFT, MOUTH_RIGHT, MOUTH_Y = 15, 33, 32
MOUTH_BEND = 8


def mood(score: int, points: int) -> float:
    """Return where a score sits on the scale, from -1 (very negative) to 1 (very positive)."""
    middle = midpoint(points)
    return (score - middle) / (middle - 1)


def mouth_path(score: int, points: int) -> str:
    """Return the SVG path of the mouth: a frown below the middle, a line at it, a smile above."""
    bend = mood(score, points) * MOUTH_BEND
    # A frown sits a little lower, so the face keeps its balance.
    y = MOUTH_Y + max(0.0, -bend) * 3 / MOUTH_BEND
    control = y + 2 * bend
    return f"M{MOUTH_LEFT} {y:.3g} Q24 {control:.3g} {MOUTH_RIGHT} {y:.3g}"


@dataclass(frozen=True)
class Drawing:
    mouth: str
    brows: bool  # frowning brows, at the very negative end
    beaming: bool  # eyes closed in a smile, at the very positive end


def drawing(score: int, points: int) -> Drawing:
    where = mood(score, points)
    return Drawing(mouth=mouth_path(score, points), brows=where <= -1, beaming=where >= 1)
