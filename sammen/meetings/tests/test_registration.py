import pytest

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.core.errors import ActionRefused
from sammen.meetings.actions import (
    do_cancel_registration,
    do_check_in,
    do_confirm_registration,
    do_register,
)
from sammen.meetings.models import Registration, RegistrationState
from sammen.testing import in_parallel, make_space, make_user
from sammen.testing.meetings import make_meeting, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_user("Olga")


@pytest.fixture
def meeting(owner):
    return make_meeting(make_space(owner, "Harbour Museum"), owner, capacity=2)


def test_past_the_places_people_wait_and_a_cancellation_lets_the_first_in(meeting):
    names = ["Ana", "Ben", "Cas", "Dia"]
    first, second, third, fourth = (register(meeting, name) for name in names)
    assert [r.state for r in (first, second, third, fourth)] == ["confirmed"] * 2 + ["waiting"] * 2
    promoted = do_cancel_registration(first)
    assert [r.pk for r in promoted] == [third.pk]
    third.refresh_from_db()
    assert third.state == RegistrationState.CONFIRMED


def test_an_unconfirmed_address_takes_no_place_until_confirmed(meeting):
    registration = do_register(
        meeting,
        do_create_anonymous_participant(),
        name="Eva",
        email="eva@example.org",
        confirmed=False,
    )
    assert registration.state == RegistrationState.UNCONFIRMED
    register(meeting, "Ana")
    register(meeting, "Ben")
    assert do_confirm_registration(registration).state == RegistrationState.WAITING


def test_registering_twice_is_refused(meeting):
    participant = do_create_anonymous_participant()
    register(meeting, "Ana", participant)
    with pytest.raises(ActionRefused):
        register(meeting, "Ana", participant)
    assert Registration.objects.count() == 1


def test_a_name_is_needed_and_kept_short(meeting):
    for name in ("", "   ", "x" * 121):
        with pytest.raises(ActionRefused):
            do_register(meeting, do_create_anonymous_participant(), name=name, confirmed=True)
    assert not Registration.objects.exists()


def test_checking_in_counts_once(meeting, owner):
    registration = register(meeting, "Ana")
    assert do_check_in(owner, registration) is True
    assert do_check_in(owner, registration) is False


@pytest.mark.django_db(transaction=True)
def test_places_are_never_exceeded_when_many_register_at_once(owner):
    meeting = make_meeting(make_space(owner, "Busy Hall"), owner, capacity=5)
    participants = [do_create_anonymous_participant() for _ in range(12)]

    def one(index: int) -> None:
        register(meeting, f"Person{index}", participants[index])

    in_parallel(12, one)
    confirmed = Registration.objects.filter(meeting=meeting, state="confirmed").count()
    assert confirmed == 5
    assert Registration.objects.filter(meeting=meeting).count() == 12


def test_deleting_an_account_forgets_the_name_and_address_it_registered_with(meeting):
    from sammen.accounts.actions import do_delete_account
    from sammen.testing import participant_of

    rosa = make_user("Rosa")
    registration = register(meeting, "Rosa Jansen", participant_of(rosa))
    do_delete_account(rosa)
    registration.refresh_from_db()
    assert (registration.name, registration.email) == ("", "")
    assert registration.state == RegistrationState.CONFIRMED
