"""Opinion maps: groups, what divides them and what unites them, from agree/disagree/pass votes.

Pure NumPy, SciPy sparse and scikit-learn, with no Django import, so it runs in a
background task, in the analyst's command line tool and in the benchmark alike.

The pipeline follows Pol.is's math (``polismath/math/{pca,clusters,repness,
conversation}.clj``) and differs where Pol.is has known bugs; the differences are
listed in ``docs/decisions/0008-opinion-map-analysis.md``:

1. a sparse participants x statements matrix, agree +1, disagree -1, pass 0 (stored
   explicitly), missing not stored; excluded statements (moderated out, meta) dropped;
2. participants enter the analysis once they have voted on ``min(7, statements)``
   statements, at least the 15 most active always, and once in they stay in;
3. missing votes imputed with the statement's mean, so the centred matrix keeps the
   sparsity of the votes; two principal components by truncated SVD; each projection
   scaled by ``sqrt(statements / votes of that participant)``, where, as in Pol.is,
   excluded statements that received votes count as statements everyone passed on;
4. up to 100 base clusters by k-means on the projections of the participants in the
   analysis, then groups by weighted k-means on the base centres for k in
   ``2..min(5, 2 + bases // 12)``, k chosen by silhouette over the base centres and
   changed only after the same new k won 4 updates in a row;
5. representative statements per group and group-informed consensus from the
   votes of the groups' members; consensus statements, those a majority in every
   group agrees (or disagrees) with, from the same votes.
"""

from .clusters import BASE_CLUSTERS, GROUP_K_BUFFER, MAX_GROUPS
from .consensus import (
    MAX_CONSENSUS,
    UNITING_MIN_VOTES,
    consensus_across_groups,
    group_informed_consensus,
)
from .pipeline import analyse
from .placement import META_PRIORITY, place_participant, statement_priorities
from .representativeness import MAX_REPRESENTATIVE, Z_90, proportion_z, two_proportion_z
from .state import (
    NOT_ENOUGH_VOTES,
    Consensus,
    ConsensusStatement,
    Group,
    MapState,
    OpinionMap,
    Placement,
    RepresentativeStatement,
    VoteTallies,
)
from .votes import ALWAYS_INCLUDED, ENTRY_VOTES, Direction, FloatArray, IntArray, VoteTable

__all__ = [
    "ALWAYS_INCLUDED",
    "BASE_CLUSTERS",
    "ENTRY_VOTES",
    "GROUP_K_BUFFER",
    "MAX_CONSENSUS",
    "MAX_GROUPS",
    "MAX_REPRESENTATIVE",
    "META_PRIORITY",
    "NOT_ENOUGH_VOTES",
    "UNITING_MIN_VOTES",
    "Z_90",
    "Consensus",
    "ConsensusStatement",
    "Direction",
    "FloatArray",
    "Group",
    "IntArray",
    "MapState",
    "OpinionMap",
    "Placement",
    "RepresentativeStatement",
    "VoteTable",
    "VoteTallies",
    "analyse",
    "consensus_across_groups",
    "group_informed_consensus",
    "place_participant",
    "proportion_z",
    "statement_priorities",
    "two_proportion_z",
]
