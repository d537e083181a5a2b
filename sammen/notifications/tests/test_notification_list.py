from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sammen.accounts.actions import do_set_preferred_language
from sammen.accounts.models import User
from sammen.notifications import kinds
from sammen.notifications.actions import do_notify
from sammen.notifications.models import Notification
from sammen.notifications.queries import PAGE_SIZE
from sammen.testing import BaseTestCase

LIST_URL = reverse("notifications:list")
IDEA_URL = "/s/harbour-museum/a/storylines/ideas/1/"


def notify(user: User, idea: str = "A lighthouse museum", url: str = IDEA_URL) -> Notification:
    [notification] = do_notify(
        [user], "idea_submitted", {"call": "Harbour stories", "idea": idea}, url
    )
    return notification


def open_url(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def notification_queries(context: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in context.captured_queries
        if "notifications_notification" in query["sql"]
    ]


class NotificationListTests(BaseTestCase):
    def test_anonymous_visitors_are_sent_to_sign_in(self):
        for url in [LIST_URL, reverse("notifications:open", args=[1])]:
            response = self.client.get(url)
            self.assertRedirects(response, f"{reverse('account_login')}?next={url}")
        response = self.client.post(reverse("notifications:mark_all_read"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("account_login")))

    def test_each_person_sees_only_their_own_notifications(self):
        people = [self.alice, self.maja, self.bob, self.charlie]
        for person in people:
            notify(person, f"Idea for {person.display_name}")
        for person in people:
            with self.subTest(person=person.display_name):
                self.login(person)
                response = self.client.get(LIST_URL)
                self.assertContains(response, f"Idea for {person.display_name}")
                for other in people:
                    if other != person:
                        self.assertNotContains(response, f"Idea for {other.display_name}")

    def test_it_lists_newest_first_and_marks_the_unread_ones(self):
        older = notify(self.bob, "Older idea")
        newer = notify(self.bob, "Newer idea")
        Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
        self.login(self.bob)
        response = self.client.get(LIST_URL)
        page = response.content.decode()
        self.assertLess(page.index("Newer idea"), page.index("Older idea"))
        self.assertContains(response, "notification--unread", count=1)
        self.assertContains(response, open_url(newer))
        self.assertContains(response, open_url(older))

    def test_an_empty_list_says_how_to_get_notifications(self):
        self.login(self.charlie)
        response = self.client.get(LIST_URL)
        self.assertContains(response, "empty-state")
        self.assertNotContains(response, "Mark all as read")

    def test_notifications_are_rendered_in_the_readers_language(self):
        notify(self.bob)
        do_set_preferred_language(self.bob, "nl")
        self.login(self.bob)
        with mock.patch.dict(
            kinds._kinds,
            {"idea_submitted": lambda params: f"rendered in {translation.get_language()}"},
        ):
            response = self.client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="sv")
        self.assertContains(response, "rendered in nl")

    def test_it_shows_script_in_an_idea_title_as_text(self):
        notify(self.bob, "<script>alert(1)</script>")
        self.login(self.bob)
        response = self.client.get(LIST_URL)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_it_shows_thirty_a_page(self):
        for number in range(PAGE_SIZE + 1):
            notify(self.bob, f"Idea number {number}")
        self.login(self.bob)
        first = self.client.get(LIST_URL)
        self.assertContains(first, "notification__link", count=PAGE_SIZE)
        self.assertContains(first, "Idea number 30")
        self.assertNotContains(first, "“Idea number 0”")
        self.assertContains(first, "Page 1 of 2")
        second = self.client.get(LIST_URL, {"page": 2})
        self.assertContains(second, "notification__link", count=1)
        self.assertContains(second, "“Idea number 0”")

    def test_htmx_gets_only_the_list(self):
        notify(self.bob)
        self.login(self.bob)
        response = self.client.get(LIST_URL, HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="notification-list"')
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])

    def test_the_list_makes_as_many_queries_however_many_notifications_there_are(self):
        notify(self.bob)
        self.login(self.bob)
        with CaptureQueriesContext(connection) as few:
            self.client.get(LIST_URL)
        for number in range(PAGE_SIZE + 5):
            notify(self.bob, f"More {number}")
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(LIST_URL)


class OpenNotificationTests(BaseTestCase):
    def test_opening_a_notification_marks_it_read_and_goes_to_its_page(self):
        notification = notify(self.bob)
        other = notify(self.bob, "Another idea")
        self.login(self.bob)
        response = self.client.get(open_url(notification))
        self.assertRedirects(response, IDEA_URL, fetch_redirect_response=False)
        notification.refresh_from_db()
        other.refresh_from_db()
        self.assertIsNotNone(notification.read_at)
        self.assertIsNone(other.read_at)

    def test_nobody_opens_someone_elses_notification(self):
        notification = notify(self.bob)
        for person in [self.alice, self.maja, self.charlie]:
            with self.subTest(person=person.display_name):
                self.login(person)
                self.assertEqual(self.client.get(open_url(notification)).status_code, 404)
        notification.refresh_from_db()
        self.assertIsNone(notification.read_at)

    def test_a_missing_notification_is_not_found(self):
        self.login(self.bob)
        response = self.client.get(reverse("notifications:open", args=[987654]))
        self.assertEqual(response.status_code, 404)

    def test_it_follows_only_paths_on_this_site(self):
        self.login(self.bob)
        for url in [
            "https://elsewhere.example/ideas/1/",
            "//elsewhere.example/ideas/1/",
            "/\\elsewhere.example/ideas/1/",
            "javascript:alert(1)",
            "",
        ]:
            with self.subTest(url=url):
                notification = notify(self.bob, url=url)
                response = self.client.get(open_url(notification))
                self.assertRedirects(response, LIST_URL, fetch_redirect_response=False)
                notification.refresh_from_db()
                self.assertIsNotNone(notification.read_at)

    def test_opening_is_a_get_only(self):
        notification = notify(self.bob)
        self.login(self.bob)
        self.assertEqual(self.client.post(open_url(notification)).status_code, 405)


class MarkAllReadTests(BaseTestCase):
    url = reverse("notifications:mark_all_read")

    def test_it_marks_all_of_the_persons_notifications_read_and_no_one_elses(self):
        for number in range(3):
            notify(self.bob, f"Idea {number}")
        notify(self.maja)
        self.login(self.bob)
        response = self.client.post(self.url)
        self.assertRedirects(response, LIST_URL, fetch_redirect_response=False)
        self.assertFalse(Notification.objects.filter(user=self.bob, read_at__isnull=True).exists())
        self.assertTrue(Notification.objects.filter(user=self.maja, read_at__isnull=True).exists())

    def test_it_leaves_unread_what_arrived_after_the_page_was_shown(self):
        notify(self.bob, "Seen idea")
        self.login(self.bob)
        newest_shown = self.client.get(LIST_URL).context["newest_id"]
        arrived_later = notify(self.bob, "Unseen idea")
        self.client.post(self.url, {"up_to": newest_shown})
        arrived_later.refresh_from_db()
        self.assertIsNone(arrived_later.read_at)
        self.assertEqual(
            Notification.objects.filter(user=self.bob, read_at__isnull=True).count(), 1
        )

    def test_it_offers_the_button_only_with_something_unread(self):
        notify(self.bob)
        self.login(self.bob)
        self.assertContains(self.client.get(LIST_URL), "Mark all as read")
        self.client.post(self.url)
        self.assertNotContains(self.client.get(LIST_URL), "Mark all as read")

    def test_it_needs_a_post(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 405)


class UnreadBadgeTests(BaseTestCase):
    def test_the_navigation_shows_how_many_are_unread(self):
        for number in range(3):
            notify(self.bob, f"Idea {number}")
        notify(self.maja)
        self.login(self.bob)
        response = self.client.get(reverse("home"))
        self.assertContains(response, LIST_URL)
        self.assertContains(response, "3 unread")
        self.assertContains(
            response, '<span class="badge badge--count" aria-hidden="true">3</span>'
        )

    def test_no_badge_when_everything_is_read(self):
        notify(self.bob)
        self.login(self.bob)
        self.client.post(reverse("notifications:mark_all_read"))
        response = self.client.get(reverse("home"))
        self.assertContains(response, LIST_URL)
        self.assertNotContains(response, "badge--count")
        self.assertNotContains(response, "unread")

    def test_a_signed_in_page_counts_with_one_query(self):
        notify(self.bob)
        self.login(self.bob)
        with CaptureQueriesContext(connection) as context:
            self.client.get(reverse("home"))
        [query] = notification_queries(context)
        self.assertIn("COUNT(", query)

    def test_anonymous_pages_make_no_notification_query(self):
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(reverse("home"))
        self.assertNotContains(response, LIST_URL)
        self.assertEqual(notification_queries(context), [])
