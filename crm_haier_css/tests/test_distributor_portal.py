# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Distributor users work only the cases routed to their outlets: by RPC
(with_user, as the ORM serves /web/dataset/call_kw) and on /my/distributor."""

import json

from odoo import Command, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import FieldServiceCommon

SIGNATURE = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="


class DistributorCommon(FieldServiceCommon):
    @classmethod
    def _setup_distributor_data(cls):
        cls._setup_field_service_data()
        env = cls.env
        Partner = env["res.partner"]
        cls.distributor_a = Partner.create(
            {
                "name": "Jiaozhou Appliances (test)",
                "is_company": True,
                "is_distributor": True,
                "product_category_ids": [Command.set(cls.categ.ids)],
            }
        )
        cls.distributor_b = Partner.create(
            {
                "name": "Yantai Electric (test)",
                "is_company": True,
                "is_distributor": True,
            }
        )
        # The field service outlet becomes A's; B runs one elsewhere.
        cls.outlet.distributor_id = cls.distributor_a
        cls.outlet_b = env["css.service.center"].create(
            {
                "name": "Yantai outlet (test)",
                "zip_prefixes": "2640",
                "distributor_id": cls.distributor_b.id,
                "technician_ids": [Command.set(cls.tech_b.ids)],
                "resource_calendar_id": cls.calendar_office.id,
            }
        )
        cls.pump.default_code = "HW-PUMP-01"

        def distributor_user(login, distributor):
            contact = Partner.create(
                {"name": f"{login} contact", "parent_id": distributor.id}
            )
            return cls._css_user(
                login,
                "crm_haier_css.group_css_distributor",
                partner_id=contact.id,
                name=contact.name,
            )

        cls.dist_user_a = distributor_user("css_dist_a", cls.distributor_a)
        cls.dist_user_b = distributor_user("css_dist_b", cls.distributor_b)

        cls.case_a = cls._new_case(asset_id=cls.old_asset.id, subject="Pump noise")
        cls.case_a.action_route()
        cls.visit_a = cls.case_a.service_order_ids
        cls.case_b = cls._new_case(
            partner_id=cls.other_customer.id, subject="At B's outlet"
        )
        cls.case_b.sudo().service_center_id = cls.outlet_b
        cls.own_outlet = env["css.service.center"].create(
            {"name": "Head office outlet (test)"}
        )
        cls.case_own = cls._new_case(subject="Own outlet")
        cls.case_own.sudo().service_center_id = cls.own_outlet
        cls.sold_a = cls.old_asset
        cls.sold_a.sudo().distributor_id = cls.distributor_a
        cls.sold_b = env["css.asset"].create(
            {
                "partner_id": cls.other_customer.id,
                "product_id": cls.product.id,
                "serial": "HW80-SOLD-B",
                "distributor_id": cls.distributor_b.id,
            }
        )


@tagged("post_install", "-at_install")
class TestDistributorAccess(DistributorCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_distributor_data()

    def test_routed_case_is_pending_for_the_distributor(self):
        self.assertEqual(self.case_a.service_center_id, self.outlet)
        self.assertEqual(self.case_a.distributor_id, self.distributor_a)
        self.assertEqual(self.case_a.distributor_acceptance, "pending")
        self.assertFalse(self.case_own.distributor_acceptance)

    def test_distributor_reads_only_the_cases_routed_to_its_outlets(self):
        Case = self.env["css.case"].with_user(self.dist_user_a)
        self.assertEqual(
            Case.search(
                [("id", "in", (self.case_a | self.case_b | self.case_own).ids)]
            ),
            self.case_a,
        )
        for case in (self.case_b, self.case_own):
            with self.subTest(case=case.subject), self.assertRaises(AccessError):
                case.with_user(self.dist_user_a).read(["subject"])
        Visit = self.env["css.service.order"].with_user(self.dist_user_a)
        self.assertEqual(Visit.search([]), self.visit_a)
        visit_b = self._visit(case=self.case_b, service_center_id=self.outlet_b.id)
        with self.assertRaises(AccessError):
            visit_b.with_user(self.dist_user_a).read(["name"])
        self.assertEqual(
            self.env["css.service.center"].with_user(self.dist_user_a).search([]),
            self.outlet,
        )

    def test_distributor_reads_the_installed_base_it_sold(self):
        Asset = self.env["css.asset"].with_user(self.dist_user_a)
        self.assertIn(self.sold_a, Asset.search([]))
        self.assertNotIn(self.sold_b, Asset.search([]))
        with self.assertRaises(AccessError):
            self.sold_b.with_user(self.dist_user_a).read(["serial"])
        with self.assertRaises(AccessError):
            self.sold_a.with_user(self.dist_user_a).write({"serial": "CHANGED"})

    def test_distributor_writes_no_field_directly(self):
        for vals in (
            {"subject": "Renamed"},
            {"distributor_acceptance": "accepted"},
            {"service_center_id": self.outlet_b.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.case_a.with_user(self.dist_user_a).write(vals)
        with self.assertRaises(AccessError):
            self.visit_a.with_user(self.dist_user_a).write({"time_spent": 3})

    def test_accept_is_the_distributors_and_idempotent(self):
        with self.assertRaises(AccessError):
            self.case_a.with_user(self.dist_user_b).action_distributor_accept()
        with self.assertRaises(AccessError):
            self.case_a.with_user(self.portal_user).action_distributor_accept()
        self.case_a.with_user(self.dist_user_a).action_distributor_accept()
        self.assertEqual(self.case_a.distributor_acceptance, "accepted")
        self.assertEqual(self.case_a.state, "in_progress")
        messages = len(self.case_a.message_ids)
        self.case_a.with_user(self.dist_user_a).action_distributor_accept()
        self.assertEqual(len(self.case_a.message_ids), messages)

    def test_accept_refuses_a_case_of_an_own_outlet(self):
        with self.assertRaises(UserError):
            self.case_own.with_user(self.agent).action_distributor_accept()

    def test_decline_needs_a_reason_and_sends_the_case_back_to_routing(self):
        case = self.case_a.with_user(self.dist_user_a)
        for reason in (None, "", "   "):
            with self.subTest(reason=reason), self.assertRaises(ValidationError):
                case.action_distributor_decline(reason)
        self.assertEqual(self.case_a.service_center_id, self.outlet)
        with self.assertRaises(AccessError):
            self.case_a.with_user(self.dist_user_b).action_distributor_decline(
                "Not ours"
            )
        case.action_distributor_decline("No technician for this model this week")
        # No other outlet covers the address: unrouted, the dispatcher is told.
        self.assertFalse(self.case_a.service_center_id)
        self.assertFalse(self.case_a.distributor_acceptance)
        self.assertEqual(self.case_a.declined_service_center_ids, self.outlet)
        self.assertEqual(self.visit_a.state, "cancelled")
        self.assertTrue(
            self.case_a.activity_ids.filtered(
                lambda act: act.user_id == self.dispatcher
            )
        )
        self.assertIn(
            "No technician for this model this week",
            self.case_a.message_ids[:3].mapped("body")[-1]
            + "".join(self.case_a.message_ids.mapped("body")),
        )
        # The case has left the distributor.
        with self.assertRaises(AccessError):
            self.case_a.with_user(self.dist_user_a).read(["subject"])

    def test_declined_case_is_routed_to_another_outlet_when_one_covers_it(self):
        second = self.env["css.service.center"].create(
            {
                "name": "Second Qingdao outlet (test)",
                "zip_prefixes": "26",
                "technician_ids": [Command.set(self.tech_a.ids)],
                "resource_calendar_id": self.calendar_office.id,
            }
        )
        self.case_a.with_user(self.dist_user_a).action_distributor_decline("Too far")
        self.assertEqual(self.case_a.service_center_id, second)
        self.assertFalse(self.case_a.distributor_id)
        self.case_a.action_route()
        self.assertEqual(self.case_a.service_center_id, second)

    def test_schedule_within_free_slots_after_accepting(self):
        case = self.case_a.with_user(self.dist_user_a)
        slot = self.case_a._portal_slots()[0]
        start = slot["start"].strftime("%Y-%m-%d %H:%M:%S")
        with self.assertRaises(ValidationError):
            case._distributor_book_slot(start)
        case.action_distributor_accept()
        with self.assertRaises(ValidationError):
            case._distributor_book_slot("2020-01-01 03:00:00")
        visit = case._distributor_book_slot(start)
        self.assertEqual(visit, self.visit_a)
        self.assertEqual(self.visit_a.state, "scheduled")
        self.assertEqual(self.visit_a.appointment_start, slot["start"])

    def _scheduled(self):
        case = self.case_a.with_user(self.dist_user_a)
        case.action_distributor_accept()
        case._distributor_book_slot(
            self.case_a._portal_slots()[0]["start"].strftime("%Y-%m-%d %H:%M:%S")
        )
        return case

    def test_complete_with_parts_time_photos_then_signature(self):
        case = self._scheduled()
        photo = {
            "name": "pump.png",
            "mimetype": "image/png",
            "size": 4,
            "data": lambda: b"\x89PNG",
        }
        case._distributor_complete(
            "Replaced the drain pump.", "1.5", [("HW-PUMP-01", "1")], [photo]
        )
        self.assertEqual(self.visit_a.state, "done")
        self.assertEqual(self.visit_a.time_spent, 1.5)
        self.assertEqual(self.visit_a.line_ids.product_id, self.pump)
        self.assertTrue(
            self.visit_a.message_ids.attachment_ids.filtered(
                lambda att: att.name == "pump.png"
            )
        )
        self.visit_a.with_user(self.dist_user_a)._portal_sign("Zhang Wei", SIGNATURE)
        self.assertEqual(self.visit_a.signed_by, "Zhang Wei")

    def test_bad_completion_changes_nothing(self):
        case = self._scheduled()
        with self.assertRaises(ValidationError) as caught:
            case._distributor_complete("", "0", [("NO-SUCH-PART", "1")], [])
        self.assertEqual(
            set(caught.exception.field_errors), {"report", "hours", "parts"}
        )
        self.assertEqual(self.visit_a.state, "scheduled")
        self.assertFalse(self.visit_a.line_ids)
        with self.assertRaises(AccessError):
            self.case_a.with_user(self.dist_user_b)._distributor_complete(
                "Done", "1", [], []
            )


@tagged("post_install", "-at_install")
class TestDistributorPortalHttp(DistributorCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_distributor_data()

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def test_list_shows_only_the_distributors_cases(self):
        self.authenticate("css_dist_a", "css_dist_a")
        response = self.url_open("/my/distributor")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.case_a.name, response.text)
        self.assertNotIn(self.case_b.name, response.text)
        self.assertNotIn(self.case_own.name, response.text)
        response = self.url_open(f"/my/distributor/case/{self.case_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="css_distributor_accept"', response.text)
        # An empty textarea is still rendered (QWeb drops a falsy t-out's tag).
        self.assertIn('<textarea name="reason"', response.text)
        # One breadcrumb for the case, after "Distributor Cases".
        self.assertEqual(response.text.count('class="breadcrumb-item active"'), 1)
        products = self.url_open("/my/distributor/products")
        self.assertIn("HW80-OLD-1", products.text)
        self.assertNotIn("HW80-SOLD-B", products.text)

    def test_another_distributors_case_is_refused(self):
        self.authenticate("css_dist_b", "css_dist_b")
        self.assertEqual(
            self.url_open(f"/my/distributor/case/{self.case_a.id}").status_code, 403
        )
        response = self._post(f"/my/distributor/case/{self.case_a.id}/accept")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.case_a.distributor_acceptance, "pending")

    def test_customer_and_employee_have_no_distributor_pages(self):
        self.authenticate("css_portal", "css_portal")
        self.assertEqual(self.url_open("/my/distributor").status_code, 403)
        self.assertEqual(
            self.url_open(f"/my/distributor/case/{self.case_a.id}").status_code, 403
        )

    def test_decline_without_reason_is_refused_on_the_page(self):
        self.authenticate("css_dist_a", "css_dist_a")
        response = self._post(
            f"/my/distributor/case/{self.case_a.id}/decline", reason=" "
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Say why you decline the case.", response.text)
        self.assertEqual(self.case_a.service_center_id, self.outlet)

    def test_accept_schedule_complete_and_sign_over_http(self):
        self.authenticate("css_dist_a", "css_dist_a")
        url = f"/my/distributor/case/{self.case_a.id}"
        self._post(f"{url}/accept")
        self.assertEqual(self.case_a.distributor_acceptance, "accepted")
        page = self.url_open(url)
        self.assertIn('id="css_slot_form"', page.text)
        start = self.case_a._portal_slots()[0]["start"]
        self._post(f"{url}/book", slot_start=start.strftime("%Y-%m-%d %H:%M:%S"))
        self.assertEqual(self.visit_a.state, "scheduled")
        response = self._post(
            f"{url}/complete",
            report="Replaced the pump",
            hours="2",
            part_ref="HW-PUMP-01",
            part_qty="1",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.visit_a.state, "done")
        result = self.url_open(
            f"{url}/visit/{self.visit_a.id}/sign",
            data=json.dumps({"params": {"name": "Zhang Wei", "signature": SIGNATURE}}),
            headers={"Content-Type": "application/json"},
        ).json()["result"]
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.visit_a.signed_by, "Zhang Wei")

    def test_distributor_tour_accepts_schedules_and_completes(self):
        """The distributor works a routed case through /my/distributor's pages."""
        self.case_a.subject = "Tour: pump noise"
        slot = self.case_a._portal_slots()[0]
        self.start_tour(
            "/my/distributor", "crm_haier_css_distributor_case", login="css_dist_a"
        )
        self.assertEqual(self.case_a.distributor_acceptance, "accepted")
        self.assertEqual(self.case_a.state, "in_progress")
        self.assertEqual(self.case_a.service_order_ids, self.visit_a)
        self.assertEqual(self.visit_a.state, "done")
        self.assertEqual(self.visit_a.appointment_start, slot["start"])
        self.assertIn("Replaced the drain pump.", self.visit_a.work_report)
        self.assertEqual(self.visit_a.time_spent, 2)
        self.assertEqual(self.visit_a.line_ids.product_id, self.pump)
        self.assertFalse(self.visit_a.signed_on)
