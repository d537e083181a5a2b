from typing import Any

from sammen.accounts.models import Participant, User

from .models import Comment, Thread


def merge_comments(source: Participant, target: Participant) -> None:
    Comment.objects.filter(author=source).update(author=target)
    Thread.objects.filter(owner=source).update(owner=target)


def personal_comment_data(user: User) -> dict[str, Any]:
    return {
        "comments": [
            {
                "text": comment.body,
                "at": comment.created_at.isoformat(),
                "deleted": comment.deleted_at is not None,
            }
            for comment in Comment.objects.filter(author__user=user)
        ]
    }
