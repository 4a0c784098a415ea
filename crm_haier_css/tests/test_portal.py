# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import CssCommon


@tagged("post_install", "-at_install")
class TestPortal(CssCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()
        cls.own_case = cls._new_case(asset_id=cls.asset.id, subject="My own washer")
        cls.foreign_case = cls._new_case(
            partner_id=cls.other_customer.id,
            asset_id=cls.other_asset.id,
            subject="Somebody else's washer",
        )

    def setUp(self):
        super().setUp()
        self.authenticate("css_portal", "css_portal")

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def test_list_shows_only_own_cases(self):
        response = self.url_open("/my/service")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_case.name, response.text)
        self.assertNotIn(self.foreign_case.name, response.text)

    def test_home_counts_own_requests(self):
        response = self.url_open(
            "/my/counters",
            data='{"params": {"counters": ["css_case_count"]}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"]["css_case_count"], 1)

    def test_other_customers_case_is_forbidden_and_missing_is_not_found(self):
        response = self.url_open(f"/my/service/{self.own_case.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("My own washer", response.text)
        response = self.url_open(f"/my/service/{self.foreign_case.id}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Somebody else", response.text)
        response = self.url_open("/my/service/999999999")
        self.assertEqual(response.status_code, 404)

    def _chatter_post(self, case, body):
        return self.url_open(
            "/mail/message/post",
            data=json.dumps(
                {
                    "params": {
                        "thread_model": "css.case",
                        "thread_id": case.id,
                        "post_data": {"body": body, "message_type": "comment"},
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()

    def test_customer_answers_in_the_timeline(self):
        self.own_case.action_wait()
        result = self._chatter_post(self.own_case, "Here is the model number")
        self.assertNotIn("error", result)
        message = self.own_case.message_ids.filtered(
            lambda m: "Here is the model number" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.customer)
        self.assertEqual(self.own_case.state, "in_progress")
        self.assertFalse(self.own_case.first_response_date)
        result = self._chatter_post(self.foreign_case, "Not my case")
        self.assertIn("error", result)
        self.assertFalse(
            self.foreign_case.message_ids.filtered(
                lambda m: "Not my case" in (m.body or "")
            )
        )

    def test_create_case_from_portal(self):
        response = self._post(
            "/my/service/new",
            case_type="repair",
            asset_id=str(self.asset.id),
            subject="Door does not open",
            description="The door is locked\nafter the wash.",
        )
        self.assertEqual(response.status_code, 200)
        case = self.env["css.case"].search([("subject", "=", "Door does not open")])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.channel, "portal")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.asset_id, self.asset)
        self.assertIn("after the wash", case.description)
        self.assertTrue(case.response_deadline)

    def test_create_case_with_photo(self):
        self.url_open(
            "/my/service/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "case_type": "repair",
                "description": "See photo",
                "subject": "With photo",
            },
            files={"attachments": ("door.png", b"\x89PNG\r\n\x1a\n0000", "image/png")},
        )
        case = self.env["css.case"].search([("subject", "=", "With photo")])
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "css.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(attachment.name, "door.png")

    def test_oversize_photo_is_refused_inline_and_nothing_created(self):
        before = self.env["css.case"].search_count([])
        big = b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024)
        response = self.url_open(
            "/my/service/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "case_type": "repair",
                "description": "Huge photo",
                "subject": "Too big",
            },
            files={"attachments": ("big.png", big, "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("big.png is larger than 5 MB", response.text)
        self.assertEqual(self.env["css.case"].search_count([]), before)

    def test_bad_portal_requests_change_nothing(self):
        before = self.env["css.case"].search_count([])
        response = self._post("/my/service/new", case_type="repair", description="  ")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Describe the problem", response.text)
        response = self._post(
            "/my/service/new",
            case_type="repair",
            asset_id=str(self.other_asset.id),
            description="Not mine",
        )
        self.assertIn("Choose one of your registered products", response.text)
        response = self._post(
            "/my/service/new", case_type="complaint", description="Sneaky type"
        )
        self.assertIn("Choose the type of request", response.text)
        self.assertEqual(self.env["css.case"].search_count([]), before)

    def test_post_without_csrf_token_is_refused(self):
        before = self.env["css.case"].search_count([])
        response = self.url_open(
            "/my/service/new", data={"case_type": "repair", "description": "x"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.env["css.case"].search_count([]), before)

    def test_register_product_and_duplicate_serial(self):
        response = self._post(
            "/my/service/products",
            product_id=str(self.product.id),
            serial="HW80-7777",
            purchase_date="2026-03-01",
        )
        self.assertEqual(response.status_code, 200)
        asset = self.env["css.asset"].search([("serial", "=", "HW80-7777")])
        self.assertEqual(asset.partner_id, self.customer)
        response = self._post(
            "/my/service/products", product_id=str(self.product.id), serial="HW80-0002"
        )
        self.assertIn("already registered", response.text)
        self.assertEqual(
            self.env["css.asset"].search_count([("serial", "=", "HW80-0002")]), 1
        )

    def test_book_visit_and_rate(self):
        response = self._post(
            f"/my/service/{self.own_case.id}/appointment",
            appointment_date="2020-01-01",
            slot="morning",
        )
        self.assertIn("Pick a day from today on", response.text)
        self.assertFalse(self.own_case.appointment_date)
        response = self._post(
            f"/my/service/{self.foreign_case.id}/appointment",
            appointment_date="2099-01-01",
            slot="morning",
        )
        self.assertEqual(response.status_code, 403)
        self._post(
            f"/my/service/{self.own_case.id}/appointment",
            appointment_date="2099-01-01",
            slot="afternoon",
        )
        self.assertEqual(self.own_case.appointment_slot, "afternoon")

        self.own_case.fault_code_id = self.fault
        self.own_case.action_resolve()
        response = self._post(f"/my/service/{self.own_case.id}/rate", rating="9")
        self.assertIn("Choose from 1 to 5", response.text)
        self._post(
            f"/my/service/{self.own_case.id}/rate", rating="2", feedback="Too slow"
        )
        self.assertEqual(self.own_case.rating_last_value, 2)
        self.assertEqual(self.own_case.case_type, "complaint")
        response = self._post(f"/my/service/{self.own_case.id}/rate", rating="5")
        self.assertEqual(self.own_case.rating_last_value, 2)

    def test_published_solutions_only(self):
        published = self.env["css.solution"].create(
            {"name": "Clean the filter", "is_published": True, "symptom": "Water stays"}
        )
        internal = self.env["css.solution"].create({"name": "Bypass the sensor"})
        response = self.url_open("/my/service/solutions")
        self.assertIn("Clean the filter", response.text)
        self.assertNotIn("Bypass the sensor", response.text)
        self.assertEqual(
            self.url_open(f"/my/service/solutions/{internal.id}").status_code, 404
        )
        self.assertEqual(
            self.url_open(f"/my/service/solutions/{published.id}").status_code, 200
        )


@tagged("post_install", "-at_install")
class TestPortalTour(CssCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()

    def test_customer_opens_and_follows_a_request(self):
        self.start_tour(
            "/my/service", "crm_haier_css_portal_request", login="css_portal"
        )
        case = self.env["css.case"].search([("subject", "=", "Drum does not turn")])
        self.assertEqual(case.channel, "portal")
        self.assertEqual(case.asset_id, self.asset)
        self.assertEqual(case.appointment_slot, "afternoon")
        self.assertEqual(str(case.appointment_date), "2099-06-01")
        answer = case.message_ids.filtered(lambda m: "HW80-B14266" in (m.body or ""))
        self.assertEqual(answer.author_id, self.customer)
