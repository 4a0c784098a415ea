# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import re
from datetime import datetime, timedelta

from odoo import Command, http
from odoo.tests import HttpCase, tagged

from .common import FieldServiceCommon

SIGNATURE = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="


@tagged("post_install", "-at_install")
class TestFieldServicePortal(FieldServiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field_service_data()
        # Free windows lie ahead of the real clock: the browser cannot be frozen.
        cls.case = cls._new_case(asset_id=cls.old_asset.id, subject="Pump noise")
        cls.case.action_route()
        cls.visit = cls.case.service_order_ids
        cls.visit.line_ids = [
            Command.create({"line_type": "part", "product_id": cls.pump.id}),
        ]

    def setUp(self):
        super().setUp()
        self.authenticate("css_portal", "css_portal")

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def _sign(self, visit, case=None, **params):
        return self.url_open(
            f"/my/service/{(case or visit.case_id).id}/visit/{visit.id}/sign",
            data=json.dumps({"params": params}),
            headers={"Content-Type": "application/json"},
        ).json()["result"]

    def test_page_shows_technician_expected_charge_and_free_windows(self):
        response = self.url_open(f"/my/service/{self.case.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Tech A", response.text)
        self.assertIn("Expected charge", response.text)
        self.assertIn("90.00", response.text)
        self.assertIn('id="css_slot_form"', response.text)

    def _reported_on_page(self):
        response = self.url_open(f"/my/service/{self.case.id}")
        self.assertEqual(response.status_code, 200)
        return re.search(
            r"Reported:</strong>\s*<span[^>]*>([^<]*)<", response.text
        ).group(1)

    def test_times_in_the_browser_time_zone_when_the_user_has_none(self):
        """The case was reported at 08:00 UTC: a portal user without a time
        zone reads it in the browser's (the ``tz`` cookie), one with a time
        zone in his own; a cookie naming no time zone is ignored."""
        self.portal_user.tz = False
        self.authenticate("css_portal", "css_portal")
        self.assertEqual(self._reported_on_page(), "11/20/2026 08:00")
        self.opener.cookies.set("tz", "Asia/Shanghai")
        self.assertEqual(self._reported_on_page(), "11/20/2026 16:00")
        self.portal_user.tz = "Europe/Paris"
        self.authenticate("css_portal", "css_portal")
        self.opener.cookies.set("tz", "Asia/Shanghai")
        self.assertEqual(self._reported_on_page(), "11/20/2026 09:00")
        self.portal_user.tz = False
        self.authenticate("css_portal", "css_portal")
        self.opener.cookies.set("tz", "Mars/Olympus_Mons")
        self.assertEqual(self._reported_on_page(), "11/20/2026 08:00")

    def test_book_a_free_window_once_and_a_taken_one_is_refused(self):
        slots = self.case._portal_slots()
        first, second = slots[0], slots[1]
        start = first["start"].strftime("%Y-%m-%d %H:%M:%S")
        response = self._post(f"/my/service/{self.case.id}/book", slot_start=start)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.visit.state, "scheduled")
        self.assertEqual(self.visit.appointment_start, first["start"])
        # The same submission again changes nothing.
        self._post(f"/my/service/{self.case.id}/book", slot_start=start)
        self.assertEqual(self.visit.state, "scheduled")
        self.assertEqual(
            len(
                self.case.message_ids.filtered(
                    lambda m: "booked by the customer" in (m.body or "")
                )
            ),
            1,
        )
        # Another customer takes both technicians' next window a moment
        # before this one posts it: refused, other windows offered.
        window = second["start"]
        for tech in (self.tech_a, self.tech_b):
            self._visit(
                case=self._new_case(partner_id=self.other_customer.id),
                technician=tech,
                start=window,
            ).action_schedule()
        response = self._post(
            f"/my/service/{self.case.id}/book",
            slot_start=window.strftime("%Y-%m-%d %H:%M:%S"),
        )
        self.assertIn("taken a moment ago", response.text)
        self.assertIn('id="css_slot_form"', response.text)
        self.assertEqual(self.visit.appointment_start, first["start"])
        response = self._post(f"/my/service/{self.case.id}/book", slot_start="garbage")
        self.assertIn("Pick one of the free windows", response.text)

    def test_sign_the_report_once(self):
        self.visit.action_schedule()
        self.visit.action_dispatch()
        self.visit.action_start()
        self._complete(self.visit)
        result = self._sign(self.visit, name="Zhang Wei", signature=SIGNATURE)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.visit.signed_by, "Zhang Wei")
        self.assertTrue(self.visit.signed_on)
        result = self._sign(self.visit, name="Zhang Wei", signature=SIGNATURE)
        self.assertIn("already signed", result["error"])
        response = self.url_open(f"/my/service/{self.case.id}")
        self.assertIn("Signed by", response.text)

    def test_cannot_sign_an_unfinished_or_foreign_visit(self):
        result = self._sign(self.visit, name="Zhang Wei", signature=SIGNATURE)
        self.assertIn("not completed", result["error"])
        self.assertFalse(self.visit.signed_on)
        foreign_case = self._new_case(partner_id=self.other_customer.id)
        foreign = self._visit(case=foreign_case)
        response = self.url_open(
            f"/my/service/{foreign_case.id}/visit/{foreign.id}/sign",
            data=json.dumps({"params": {"name": "x", "signature": SIGNATURE}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotIn("force_refresh", response.text)
        # A visit of another case through one's own case URL.
        result = self._sign(foreign, case=self.case, name="x", signature=SIGNATURE)
        self.assertIn("not part of your request", result["error"])
        self.assertFalse(foreign.signed_on)

    def test_field_service_tour(self):
        """Agent routes, dispatcher schedules, technician completes, customer signs."""
        case = self._new_case(asset_id=self.old_asset.id, subject="Tour: drum stuck")
        self.start_tour(
            f"/odoo/action-crm_haier_css.action_css_case/{case.id}",
            "crm_haier_css_fs_route",
            login="css_agent",
        )
        visit = case.service_order_ids
        self.assertEqual(visit.state, "draft")
        # Today's window for the technician's screen.
        now = datetime.now().replace(minute=0, second=0, microsecond=0)
        self.outlet.resource_calendar_id = self.calendar_24x7
        visit.write(
            {
                "technician_id": self.tech_b.id,
                "appointment_start": now,
                "appointment_end": now + timedelta(hours=1),
            }
        )
        self.start_tour(
            f"/odoo/action-crm_haier_css.action_css_service_order/{visit.id}",
            "crm_haier_css_fs_dispatch",
            login="css_dispatcher",
        )
        self.assertEqual(visit.state, "dispatched")
        self.start_tour(
            "/odoo/action-crm_haier_css.action_css_service_order_today",
            "crm_haier_css_fs_technician",
            login="css_tech_b",
        )
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.line_ids.product_id, self.pump)
        self.assertTrue(visit.invoice_id)
        self.start_tour(
            f"/my/service/{case.id}", "crm_haier_css_fs_sign", login="css_portal"
        )
        self.assertTrue(visit.signed_on)
