from sammen.accounts.models import User
from sammen.ambassadors.actions import do_answer_invitation, do_invite_ambassador
from sammen.ambassadors.models import Ambassador
from sammen.spaces.models import Membership, Role, Space


def make_ambassador(space: Space, user: User) -> Ambassador:
    """Invite a member as an ambassador and let them accept."""
    owner = Membership.objects.filter(space=space, role=Role.OWNER).select_related("user").first()
    assert owner is not None
    ambassador = do_invite_ambassador(owner.user, space, user)
    do_answer_invitation(user, ambassador, accept=True)
    ambassador.refresh_from_db()
    return ambassador
