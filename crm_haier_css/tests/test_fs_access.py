# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestFieldServiceAccess(FieldServiceCommon, TransactionCase):
    """Who may see and do what on visits, through the ORM as each role (RPC path)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_field_service_data()
        env = cls.env
        cls.other_outlet = env["css.service.center"].create(
            {
                "name": "Other outlet (test)",
                "technician_ids": [Command.set(cls.tech_b.ids)],
                "resource_calendar_id": cls.calendar_office.id,
            }
        )
        with freeze_time(cls.MONDAY):
            cls.visit_a = cls._visit(technician=cls.tech_a)
            cls.visit_b = cls._visit(
                technician=cls.tech_b, service_center_id=cls.other_outlet.id
            )
            cls.foreign_visit = cls._visit(
                case=cls._new_case(partner_id=cls.other_customer.id),
                start="2026-11-23 13:00:00",
            )
        cls.other_company = env["res.company"].create({"name": "Other Co (test)"})
        cls.other_company_user = new_test_user(
            env,
            login="css_other_dispatcher",
            groups="crm_haier_css.group_css_dispatcher",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

    def _visible(self, user):
        return self.env["css.service.order"].with_user(user).search([])

    def test_technician_sees_and_works_on_his_own_visits_only(self):
        visits = self._visible(self.tech_a)
        self.assertIn(self.visit_a, visits)
        self.assertNotIn(self.visit_b, visits)
        visit = self.visit_a.with_user(self.tech_a)
        visit.write({"work_report": "<p>Checked</p>", "time_spent": 0.5})
        visit.write(
            {"line_ids": [Command.create({"product_id": self.pump.id, "quantity": 1})]}
        )
        self.assertEqual(len(self.visit_a.line_ids), 1)
        self.assertEqual(
            visit.case_id.name, self.visit_a.case_id.name, "reads the case"
        )
        for vals in (
            {"technician_id": self.tech_b.id},
            {"appointment_start": "2026-11-23 13:00:00"},
            {"state": "done"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                visit.write(vals)
        with self.assertRaises(AccessError):
            visit.line_ids.write({"price_unit": 0.0})
        with self.assertRaises(AccessError):
            self.visit_b.with_user(self.tech_a).write({"work_report": "<p>x</p>"})
        with self.assertRaises(AccessError):
            self.env["css.service.order"].with_user(self.tech_a).create(
                {"case_id": self.visit_a.case_id.id}
            )
        with self.assertRaises(AccessError):
            self.visit_a.case_id.with_user(self.tech_a).write({"subject": "x"})
        self.assertFalse(
            self.env["css.case"]
            .with_user(self.tech_a)
            .search([("id", "=", self.visit_b.case_id.id)])
        )

    def test_outlet_manager_sees_his_outlets_visits(self):
        visits = self._visible(self.outlet_manager)
        self.assertIn(self.visit_a, visits)
        self.assertNotIn(self.visit_b, visits)
        self.visit_a.with_user(self.outlet_manager).write(
            {
                "appointment_start": "2026-11-24 09:00:00",
                "appointment_end": "2026-11-24 11:00:00",
            }
        )
        with self.assertRaises(AccessError):
            self.visit_b.with_user(self.outlet_manager).write(
                {"work_report": "<p>x</p>"}
            )

    def test_dispatcher_sees_all_and_other_company_nothing(self):
        visits = self._visible(self.dispatcher)
        self.assertTrue({self.visit_a, self.visit_b, self.foreign_visit} <= set(visits))
        self.assertFalse(self._visible(self.other_company_user))
        with self.assertRaises(AccessError):
            self.visit_a.with_user(self.other_company_user).read(["name"])
        with self.assertRaises(AccessError):
            self.outlet.with_user(self.other_company_user).read(["name"])

    def test_portal_customer_reads_own_visits_and_changes_nothing(self):
        visits = self._visible(self.portal_user)
        self.assertIn(self.visit_a, visits)
        self.assertNotIn(self.foreign_visit, visits)
        with self.assertRaises(AccessError):
            self.visit_a.with_user(self.portal_user).write({"signed_by": "Me"})
        with self.assertRaises(AccessError):
            self.visit_a.with_user(self.portal_user).action_cancel()
        with self.assertRaises(AccessError):
            self.foreign_visit.with_user(self.portal_user).read(["name"])

    def test_technician_cannot_schedule_or_cancel(self):
        with self.assertRaises(AccessError):
            self.visit_b.with_user(self.tech_a).action_cancel()
        # His own visit: the state actions write as the system after the
        # caller's write access is checked, so he may start and complete
        # (tested in the scenarios), and these are the dispatcher's:
        self.assertFalse(self.visit_a.with_user(self.tech_a).can_plan)
        self.assertTrue(self.visit_a.with_user(self.outlet_manager).can_plan)

    def test_agent_and_dispatcher_route_but_technician_sees_no_desk(self):
        self.visit_a.case_id.with_user(self.agent).action_route()
        self.visit_a.case_id.with_user(self.dispatcher).action_route()
        with self.assertRaises(AccessError):
            self.env["css.phone.intake"].with_user(self.tech_a).create({})
