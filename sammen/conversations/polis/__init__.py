"""Read and write the Pol.is open-data format (comments.csv, votes.csv,
participants-votes.csv, summary.csv).

Pure Python and NumPy, no Django, so the analyst's command line tool starts fast and
the Django import and export commands share one implementation. Malformed input
raises ``PolisFormatError`` naming the file, the line and the column; its problem is
an English message marked for translation, so Django can show it in the reader's
language (``PolisFormatError.describe(gettext)``) while the command line prints it as is.

The format, as exported by Pol.is and published in compdemocracy/openData:

- ``votes.csv``: timestamp, datetime, comment-id, voter-id, vote (1 agree,
  -1 disagree, 0 pass). A participant can vote again on a statement: the latest
  timestamp wins.
- ``participants-votes.csv``: participant, [xid,] group-id, n-comments, n-votes,
  n-agree, n-disagree, then one column per comment id holding 1, -1, 0 or nothing.
- ``comments.csv``: timestamp, [datetime,] comment-id, author-id, agrees, disagrees,
  moderated (1 accepted, 0 unmoderated, -1 moderated out), [is-meta, is-seed,
  group-informed-consensus,] comment-body.
- ``summary.csv``: one ``key,value`` row per figure (topic, url, voters, ...).
"""

from .reading import (
    COMMENTS_FILE,
    MODERATED_OUT,
    PARTICIPANTS_VOTES_FILE,
    SUMMARY_FILE,
    VOTES_FILE,
    PolisComment,
    PolisConversation,
    PolisFormatError,
    PolisVote,
    gettext_noop,
    read_comments_csv,
    read_conversation,
    read_participants_votes_csv,
    read_summary_csv,
    read_votes_csv,
)
from .writing import (
    VOTE_CHUNK,
    write_comments_csv,
    write_participants_votes_csv,
    write_summary_csv,
    write_vote_columns,
    write_votes_csv,
)

__all__ = [
    "COMMENTS_FILE",
    "MODERATED_OUT",
    "PARTICIPANTS_VOTES_FILE",
    "SUMMARY_FILE",
    "VOTES_FILE",
    "VOTE_CHUNK",
    "PolisComment",
    "PolisConversation",
    "PolisFormatError",
    "PolisVote",
    "gettext_noop",
    "read_comments_csv",
    "read_conversation",
    "read_participants_votes_csv",
    "read_summary_csv",
    "read_votes_csv",
    "write_comments_csv",
    "write_participants_votes_csv",
    "write_summary_csv",
    "write_vote_columns",
    "write_votes_csv",
]
