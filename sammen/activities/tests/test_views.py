from django.urls import reverse

from sammen.activities.actions import do_close_activity
from sammen.activities.models import Activity, Phase
from sammen.testing import COMPLETE_BRIEF, BaseTestCase, make_activity


def brief_post(**overrides):
    data = {
        **COMPLETE_BRIEF,
        "kind": "sample",
        "check_new_ideas": "yes",
        "check_agreement": "no",
        "measures-TOTAL_FORMS": "2",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "8",
        "measures-0-measure": "Storylines submitted",
        "measures-0-target": "150",
        "measures-0-unit": "stories",
        "measures-1-measure": "",
        "measures-1-target": "",
        "measures-1-unit": "",
    }
    data.update(overrides)
    return data


class NewActivityTests(BaseTestCase):
    def test_an_organiser_creates_a_draft_and_goes_on_to_its_brief(self):
        self.login(self.maja)
        response = self.client.post(
            reverse("activities:new", args=[self.museum.slug]), {"title": "Storylines", "kind": ""}
        )
        activity = Activity.objects.get()
        self.assertRedirects(
            response,
            reverse("activities:brief", args=[self.museum.slug, activity.slug]),
            fetch_redirect_response=False,
        )
        self.assertEqual((activity.kind, activity.phase), ("", Phase.DRAFT))

    def test_it_offers_the_installed_formats(self):
        self.login(self.alice)
        response = self.client.get(reverse("activities:new", args=[self.museum.slug]))
        self.assertContains(response, "Sample kind")
        self.assertContains(response, "Decide after writing the brief")

    def test_bad_input_is_refused(self):
        self.login(self.alice)
        url = reverse("activities:new", args=[self.museum.slug])
        for data in [{"title": ""}, {"title": "x" * 121}, {"title": "ok", "kind": "sorcery"}]:
            self.assertEqual(self.client.post(url, data).status_code, 200)
        self.assertFalse(Activity.objects.exists())


class BriefViewTests(BaseTestCase):
    def setUp(self) -> None:
        self.activity = make_activity(self.museum, self.alice, complete=False, kind="")
        self.url = reverse("activities:brief", args=[self.museum.slug, self.activity.slug])

    def test_it_saves_the_whole_brief_with_its_measures_and_format(self):
        self.login(self.alice)
        response = self.client.post(self.url, brief_post())
        self.assertRedirects(
            response, self.activity.get_absolute_url(), fetch_redirect_response=False
        )
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.kind, "sample")
        self.assertEqual(self.activity.brief.goal, COMPLETE_BRIEF["goal"])
        self.assertEqual(
            [(m.measure, m.target) for m in self.activity.brief.measures.all()],
            [("Storylines submitted", 150)],
        )
        self.assertEqual(self.activity.brief.self_check, {"new_ideas": "yes", "agreement": "no"})

    def test_save_and_keep_writing_returns_to_the_form(self):
        self.login(self.alice)
        response = self.client.post(self.url, brief_post(stay="1"))
        self.assertRedirects(response, self.url, fetch_redirect_response=False)

    def test_a_half_written_brief_can_be_saved(self):
        self.login(self.alice)
        self.client.post(
            self.url,
            brief_post(
                business_challenge="",
                **{"measures-0-measure": "", "measures-0-target": "", "measures-0-unit": ""},
            ),
        )
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.brief.business_challenge, "")
        self.assertEqual(self.activity.brief.measures.count(), 0)

    def test_a_measure_without_a_target_or_with_a_bad_one_is_refused(self):
        self.login(self.alice)
        for target in ["", "-5", "lots", "1e309"]:
            response = self.client.post(self.url, brief_post(**{"measures-0-target": target}))
            self.assertEqual(response.status_code, 200, target)
            self.assertContains(response, "field__errors")
        self.assertEqual(self.activity.brief.measures.count(), 0)

    def test_oversized_text_and_forged_form_counts_are_refused(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url, brief_post(goal="x" * 1501)).status_code, 200)
        response = self.client.post(self.url, brief_post(**{"measures-TOTAL_FORMS": "5000"}))
        self.assertEqual(response.status_code, 200)
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.brief.goal, "")

    def test_the_self_check_answers_over_htmx_without_saving(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("activities:check_brief", args=[self.museum.slug, self.activity.slug]),
            {"kind": "call", "check_new_ideas": "no", "check_agreement": "yes"},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, 'id="self-check-result"')
        self.assertContains(response, "a conversation")
        self.assertNotContains(response, "<html")
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.brief.self_check, {})

    def test_members_cannot_edit_or_check_the_brief(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 404)  # a draft is invisible


class ActivityPageTests(BaseTestCase):
    def test_participants_read_the_brief_in_plain_words_and_the_kind_body(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        self.login(self.bob)
        response = self.client.get(activity.get_absolute_url())
        self.assertContains(response, "Why we are doing this")
        self.assertContains(response, "What is in it for you")
        self.assertContains(response, COMPLETE_BRIEF["audience_insight"])
        self.assertContains(response, "How we will know it worked")
        self.assertContains(response, "Hello from sample: Storylines")
        self.assertNotContains(response, "Organiser tools")

    def test_organisers_see_what_blocks_opening(self):
        activity = make_activity(self.museum, self.alice, complete=False)
        self.login(self.maja)
        response = self.client.get(activity.get_absolute_url())
        self.assertContains(response, "Before it can open")
        self.assertContains(response, "Still missing")

    def test_opening_from_the_page_with_an_incomplete_brief_explains_why_not(self):
        activity = make_activity(self.museum, self.alice, complete=False)
        self.login(self.alice)
        url = reverse("activities:phase", args=[self.museum.slug, activity.slug])
        response = self.client.post(url, {"step": "open"}, follow=True)
        self.assertContains(response, "The brief is not complete yet.")
        activity.refresh_from_db()
        self.assertEqual(activity.phase, Phase.DRAFT)

    def test_an_unknown_step_is_refused(self):
        activity = make_activity(self.museum, self.alice)
        self.login(self.alice)
        url = reverse("activities:phase", args=[self.museum.slug, activity.slug])
        response = self.client.post(url, {"step": "explode"}, follow=True)
        self.assertContains(response, "That step does not exist.")

    def test_closing_asks_for_confirmation_first_without_javascript(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        self.login(self.maja)
        page = self.client.get(activity.get_absolute_url())
        confirm_url = reverse("activities:close", args=[self.museum.slug, activity.slug])
        self.assertContains(page, f'href="{confirm_url}"')
        confirm_page = self.client.get(confirm_url)
        self.assertContains(confirm_page, "Close “Storylines”?")
        self.assertContains(confirm_page, 'name="confirm" value="yes"')
        activity.refresh_from_db()
        self.assertEqual(activity.phase, Phase.OPEN)
        phase_url = reverse("activities:phase", args=[self.museum.slug, activity.slug])
        self.client.post(phase_url, {"step": "close", "confirm": "yes"})
        activity.refresh_from_db()
        self.assertEqual(activity.phase, Phase.CLOSED)

    def test_a_close_without_confirmation_goes_to_the_question_and_changes_nothing(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        self.login(self.alice)
        url = reverse("activities:phase", args=[self.museum.slug, activity.slug])
        response = self.client.post(url, {"step": "close"})
        self.assertRedirects(
            response, reverse("activities:close", args=[self.museum.slug, activity.slug])
        )
        activity.refresh_from_db()
        self.assertEqual(activity.phase, Phase.OPEN)

    def test_only_organisers_reach_the_closing_question(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        url = reverse("activities:close", args=[self.museum.slug, activity.slug])
        for persona, status in [(self.bob, 403), (self.charlie, 403), (None, 302)]:
            self.login(persona)
            with self.subTest(str(persona)):
                self.assertEqual(self.client.get(url).status_code, status)

    def test_the_answer_is_published_and_shown(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        do_close_activity(self.alice, activity)
        self.login(self.alice)
        url = reverse("activities:answer", args=[self.museum.slug, activity.slug])
        self.client.post(url, {"answer": "We picked twelve stories. <b>Thanks</b>"})
        self.login(self.charlie)
        response = self.client.get(activity.get_absolute_url())
        self.assertContains(response, "The answer of Harbour Museum")
        self.assertContains(response, "We picked twelve stories. &lt;b&gt;Thanks&lt;/b&gt;")

    def test_an_unknown_activity_is_not_found(self):
        response = self.client.get(reverse("activities:detail", args=[self.museum.slug, "nope"]))
        self.assertEqual(response.status_code, 404)
