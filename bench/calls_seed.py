"""Seed the open call's benchmark: the call by actions, the crowd and its ideas with COPY.

`setup_call` makes the owner, the space, the open call and the members who support during
the run through the normal actions; `seed` adds the crowd, the ideas with their threads,
supports and comments with COPY, counts kept consistent with the rows; `make_sessions`
signs the supporting members in. Part of `bench/calls.py`.
"""

import argparse
import random
import secrets
import string
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from calls_load import log
from psycopg import sql

# Words for titles, bodies and comments, most frequent first; texts draw them with
# Zipf-like frequencies, so searches for rarer words match fewer ideas, as in real text.
WORDS_TEXT = """
the harbour museum city people story old new water boat children school place
community open street summer light history family ship evening garden year
festival neighbours young walk music space visitors food market quay bridge
workshop bench playground library fishermen tour route art wall river dock
map square stories memory crane tram warehouse lighthouse night sound window
photo exhibition guide path bicycle sea wind island ferry station canal
volunteers tree theatre kitchen archive sailor net cargo rope anchor storm tide
mural poster film dance choir lantern beach shelter tower clock gate yard
workshop app audio trail signs seats shade fountain pier jetty harbourmaster
captain diver swimmer rower sailing regatta lifeboat coastguard pilot dredger
tugboat barge container shipyard welder carpenter painter rigger pilotage
seagull heron cormorant eel herring mackerel oyster mussel crab seaweed dune
moor polder dyke lock sluice pump mill windmill granary customs tollhouse
smugglers emigrants sugar coffee tobacco spice timber coal salt grain wool
postcard diary letter ledger logbook chart compass sextant telescope barometer
uniform cap jacket boots lamp stove kettle bread soup pancakes waffles cheese
apple cherry plum rain fog snow frost sunrise sunset moon stars tidepool
heritage dialect song poem riddle legend ghost treasure shipwreck rescue strike
union dockers shift whistle bell horn siren flag banner parade procession
exhibition-room podcast webcast hackathon makerspace repair-cafe swap-shop
"""
WORDS = WORDS_TEXT.split()

SEARCH_RANKS = [120, 150, 180, 210, 240]  # rarer words: each in a few percent of ideas


@dataclass
class Setup:
    space_slug: str
    activity_slug: str
    call_id: int
    owner_user_id: int
    supporters: list[tuple[int, int]]  # (user id, participant id), members who joined


@dataclass
class Seeded:
    visible_ids: list[int]
    supportable_ids: list[int]
    hot_ids: list[int]
    busiest_id: int
    busiest_comments: int
    search_words: dict[str, int]
    seconds: float
    rows: dict[str, int]


def setup_call(args: argparse.Namespace) -> Setup:
    """Create the owner, the space, the open call and the supporting members, by actions."""
    from sammen.accounts.models import Participant
    from sammen.testing import make_member, make_space, make_user
    from sammen.testing.calls import make_call

    owner = make_user("Olivia")
    space = make_space(owner, "Harbour Bench", description="Stories of the harbour, at scale.")
    call = make_call(space, owner, "A thousand harbour ideas")
    supporters = []
    from sammen.accounts.actions import do_create_account

    for number in range(args.supporters):
        user = do_create_account(
            f"supporter-{number}@bench.example.org", None, f"Supporter {number}"
        )
        make_member(space, user)
        supporters.append((user.pk, Participant.objects.get(user=user).pk))
    return Setup(
        space_slug=space.slug,
        activity_slug=call.activity.slug,
        call_id=call.pk,
        owner_user_id=owner.pk,
        supporters=supporters,
    )


def allocate(total: int, count: int, rng: random.Random, cap: int) -> list[int]:
    """Share `total` among `count` items with a long tail (Pareto weights), each at most `cap`."""
    weights = [rng.paretovariate(1.5) for _ in range(count)]
    scale = total / sum(weights)
    shares = [min(cap, int(weight * scale)) for weight in weights]
    missing = total - sum(shares)
    while missing > 0:
        index = rng.randrange(count)
        if shares[index] < cap:
            shares[index] += 1
            missing -= 1
    return shares


class Text:
    """Make titles, bodies and comments from WORDS with Zipf-like frequencies."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cumulative: list[float] = []
        running = 0.0
        for rank in range(1, len(WORDS) + 1):
            running += 1 / rank
            self.cumulative.append(running)

    def words(self, low: int, high: int) -> list[str]:
        return self.rng.choices(WORDS, cum_weights=self.cumulative, k=self.rng.randint(low, high))

    def title(self) -> str:
        return " ".join(self.words(3, 9)).capitalize()

    def paragraph(self, low: int, high: int) -> str:
        words = self.words(low, high)
        sentences = []
        while words:
            length = self.rng.randint(6, 16)
            sentence, words = words[:length], words[length:]
            sentences.append(" ".join(sentence).capitalize() + ".")
        return " ".join(sentences)


def seed(args: argparse.Namespace, setup: Setup) -> Seeded:
    """Insert the crowd, the ideas, their threads, supports and comments with COPY."""
    from sammen.calls.models import trending_score

    started = time.monotonic()
    rng = random.Random(args.seed)
    text = Text(rng)
    now = datetime.now(UTC)
    database_url = f"{args.pg_url}/{args.database}"
    with psycopg.connect(database_url, autocommit=True) as connection:

        def next_id(table: str) -> int:
            statement = sql.SQL("SELECT coalesce(max(id), 0) + 1 FROM {}")
            row = connection.execute(statement.format(sql.Identifier(table))).fetchone()
            assert row is not None
            return int(row[0])

        def copy(table: str, columns: str, rows: Iterable[tuple[Any, ...]]) -> int:
            count = 0
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(columns)
            )
            with (
                connection.transaction(),
                connection.cursor() as cursor,
                cursor.copy(statement) as stream,
            ):
                for row in rows:
                    stream.write_row(row)
                    count += 1
            return count

        space_row = connection.execute(
            "SELECT space_id FROM activities_activity WHERE id = %s", [setup.call_id]
        ).fetchone()
        assert space_row is not None
        space_id = int(space_row[0])

        # The crowd: members who wrote the ideas, supported and commented before the run.
        first_user, first_participant = next_id("accounts_user"), next_id("accounts_participant")
        joined = now - timedelta(days=120)
        user_ids = list(range(first_user, first_user + args.crowd))
        crowd = list(range(first_participant, first_participant + args.crowd))
        copy(
            "accounts_user",
            "id, password, is_superuser, is_staff, is_active, date_joined, email, display_name,"
            " preferred_language, reading_language, avatar, email_notifications",
            (
                (
                    uid,
                    "!",
                    False,
                    False,
                    True,
                    joined,
                    f"crowd-{n}@bench.example.org",
                    f"Neighbour {n}",
                    "",
                    "",
                    "",
                    "daily",
                )
                for n, uid in enumerate(user_ids)
            ),
        )
        copy(
            "accounts_participant",
            "id, public_id, display_name, created_at, user_id",
            (
                (pid, uuid.UUID(int=rng.getrandbits(128), version=4), "", joined, uid)
                for pid, uid in zip(crowd, user_ids, strict=True)
            ),
        )
        copy(
            "spaces_membership",
            "role, joined_at, user_id, space_id",
            (("member", joined, uid, space_id) for uid in user_ids),
        )
        log(f"  {args.crowd:,} members of the crowd")

        # Ideas, oldest first, over the last 90 days; the counts decided up front.
        first_idea, first_thread = next_id("calls_idea"), next_id("comments_thread")
        idea_ids = list(range(first_idea, first_idea + args.ideas))
        created = sorted(now - timedelta(seconds=rng.uniform(60, 90 * 86400)) for _ in idea_ids)
        authors = [rng.choice(crowd) for _ in idea_ids]
        support_counts = allocate(args.supports, args.ideas, rng, cap=args.crowd - 1)
        comment_counts = allocate(args.comments, args.ideas, rng, cap=10 * args.comments)
        copy(
            "comments_thread",
            "id, created_at, activity_id, owner_id, space_id",
            (
                (first_thread + i, created[i], setup.call_id, authors[i], space_id)
                for i in range(args.ideas)
            ),
        )

        # Comments first, so each idea's count of visible comments is known when it is written.
        visible_comments = [0] * args.ideas

        first_comment = next_id("comments_comment")

        def comments() -> Iterator[tuple[Any, ...]]:
            comment_id = first_comment
            for i, count in enumerate(comment_counts):
                top_level: list[int] = []
                for _ in range(count):
                    at = created[i] + (now - created[i]) * rng.random()
                    parent = rng.choice(top_level) if top_level and rng.random() < 0.25 else None
                    hidden = rng.random() < 0.02
                    deleted = not hidden and rng.random() < 0.01
                    if not hidden and not deleted:
                        visible_comments[i] += 1
                    if parent is None:
                        top_level.append(comment_id)
                    yield (
                        comment_id, text.paragraph(5, 40), at, None, at if deleted else None,
                        at if hidden else None, "Off topic" if hidden else "", None,
                        rng.choice(crowd), setup.owner_user_id if hidden else None, parent,
                        first_thread + i,
                    )  # fmt: skip
                    comment_id += 1

        copy(
            "comments_comment",
            "id, body, created_at, edited_at, deleted_at, hidden_at, hidden_reason, helpful_at,"
            " author_id, hidden_by_id, parent_id, thread_id",
            comments(),
        )
        log(f"  {args.comments:,} comments")

        def ideas() -> Iterator[tuple[Any, ...]]:
            for i, idea_id in enumerate(idea_ids):
                at, roll = created[i], rng.random()
                status, answer = "published", ""
                answered_at = withdrawn_at = archived_at = None
                if roll < 0.02:
                    status = "under_review"
                elif roll < 0.05:
                    status = rng.choice(["selected", "in_progress", "done", "not_selected"])
                    answer, answered_at = text.paragraph(10, 30), at + (now - at) * 0.9
                elif roll < 0.055:
                    status, withdrawn_at = "withdrawn", at + (now - at) * 0.5
                elif roll < 0.065:
                    status, archived_at = "archived", at + (now - at) * 0.5
                hidden_at = at + (now - at) * 0.1 if rng.random() < 0.003 else None
                builds_on = idea_ids[rng.randrange(i)] if i and rng.random() < 0.02 else None
                yield (
                    idea_id, text.title(), text.paragraph(20, 90), status, 0, answer,
                    answered_at, support_counts[i], visible_comments[i],
                    trending_score(support_counts[i], at), at, at, withdrawn_at, archived_at,
                    hidden_at, "Not respectful" if hidden_at else "",
                    setup.owner_user_id if answered_at else None, authors[i], builds_on,
                    setup.call_id, setup.owner_user_id if hidden_at else None, first_thread + i,
                )  # fmt: skip

        copy(
            "calls_idea",
            "id, title, body, status, momentum_level, answer, answered_at, support_count,"
            " comment_count, trending, created_at, updated_at, withdrawn_at, archived_at,"
            " hidden_at, hidden_reason, answered_by_id, author_id, builds_on_id, call_id,"
            " hidden_by_id, thread_id",
            ideas(),
        )
        log(f"  {args.ideas:,} ideas and their threads")

        def supports() -> Iterator[tuple[Any, ...]]:
            for i, count in enumerate(support_counts):
                supporters = rng.sample(crowd, count + 1)
                if authors[i] in supporters:
                    supporters.remove(authors[i])  # authors do not support their own idea
                for participant in supporters[:count]:
                    yield (created[i] + (now - created[i]) * rng.random(), idea_ids[i], participant)

        copy("calls_support", "created_at, idea_id, participant_id", supports())
        log(f"  {args.supports:,} supports")

        for table in [
            "accounts_user",
            "accounts_participant",
            "spaces_membership",
            "comments_thread",
            "comments_comment",
            "calls_idea",
            "calls_support",
        ]:
            statement = sql.SQL(
                "SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))"
            )
            connection.execute(statement.format(sql.Literal(table), sql.Identifier(table)))
        # A database in use has been vacuumed and analysed; a freshly loaded one not yet.
        connection.execute("VACUUM (ANALYZE)")
        connection.execute("CHECKPOINT")  # so that writing the load out does not overlap the run
        log("  vacuumed, analysed and checkpointed")
        seconds = time.monotonic() - started

        rows = {
            table: int(row[0])
            for table in ["calls_idea", "calls_support", "comments_comment", "accounts_user"]
            if (
                row := connection.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()
            )
        }
        visible_ids = [
            int(row[0])
            for row in connection.execute(
                "SELECT id FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL",
                [setup.call_id],
            )
        ]
        supportable_ids = [
            int(row[0])
            for row in connection.execute(
                "SELECT id FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL"
                " AND status IN ('published', 'under_review')",
                [setup.call_id],
            )
        ]
        hot_ids = [
            int(row[0])
            for row in connection.execute(
                "SELECT id FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL"
                " AND status IN ('published', 'under_review') ORDER BY trending DESC LIMIT 10",
                [setup.call_id],
            )
        ]
        busiest = connection.execute(
            "SELECT id, comment_count FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL"
            " ORDER BY comment_count DESC LIMIT 1",
            [setup.call_id],
        ).fetchone()
        assert busiest is not None
        search_words = {}
        for rank in SEARCH_RANKS:
            word = WORDS[min(rank, len(WORDS) - 1)]
            matches = connection.execute(
                "SELECT count(*) FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL"
                " AND status <> 'archived' AND (setweight(to_tsvector('english', title), 'A')"
                " || setweight(to_tsvector('english', body), 'B'))"
                " @@ websearch_to_tsquery('english', %s)",
                [setup.call_id, word],
            ).fetchone()
            search_words[word] = int(matches[0]) if matches else 0
    return Seeded(
        visible_ids=visible_ids,
        supportable_ids=supportable_ids,
        hot_ids=hot_ids,
        busiest_id=int(busiest[0]),
        busiest_comments=int(busiest[1]),
        search_words=search_words,
        seconds=seconds,
        rows=rows,
    )


def make_sessions(supporters: list[tuple[int, int]]) -> dict[int, tuple[str, str]]:
    """Sign each supporter in, as the sign-in page would.

    Return, per participant, the Cookie header of their browser and its CSRF token.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from sammen.accounts.models import User

    users = User.objects.in_bulk([user_id for user_id, _participant in supporters])
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    sessions, cookies = [], {}
    alphabet = string.ascii_letters + string.digits
    for user_id, participant_id in supporters:
        user = users[user_id]
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        csrf = "".join(secrets.choice(alphabet) for _ in range(32))
        cookies[participant_id] = (
            f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}",
            csrf,
        )
    Session.objects.bulk_create(sessions, batch_size=1000)
    return cookies
