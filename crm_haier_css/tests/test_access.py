# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import CssCommon


@tagged("post_install", "-at_install")
class TestAccess(CssCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_css_data()
        cls.case = cls._new_case(asset_id=cls.asset.id)
        cls.other_case = cls._new_case(
            partner_id=cls.other_customer.id, asset_id=cls.other_asset.id
        )

    def test_agent_works_cases_but_cannot_configure(self):
        Case = self.env["css.case"].with_user(self.agent)
        case = Case.create({"partner_id": self.customer.id, "channel": "fax"})
        case.write({"priority": "2"})
        case.action_assign()
        self.assertEqual(case.user_id, self.agent)
        self.assertEqual(case.team_id, self.team)
        self.env["css.asset"].with_user(self.agent).create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "serial": "A-1",
            }
        )
        self.assertTrue(self.policy.with_user(self.agent).name)
        with self.assertRaises(AccessError):
            case.unlink()
        with self.assertRaises(AccessError):
            self.env["css.sla.policy"].with_user(self.agent).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.policy.with_user(self.agent).response_hours = 1
        with self.assertRaises(AccessError):
            self.env.ref("crm_haier_css.css_stage_new").with_user(self.agent).name = "X"
        with self.assertRaises(AccessError):
            self.env["css.solution"].with_user(self.agent).create({"name": "Tip"})
        with self.assertRaises(AccessError):
            self.env["css.contract"].with_user(self.agent).create(
                {"partner_id": self.customer.id, "date_end": "2027-01-01"}
            )

    def test_team_leader_curates_knowledge_and_deletes_cases(self):
        self.env["css.solution"].with_user(self.leader).create({"name": "Tip"})
        self.env["css.fault.code"].with_user(self.leader).create(
            {"code": "F-01", "name": "No power"}
        )
        self.team.with_user(self.leader).member_ids = [Command.link(self.leader.id)]
        self.case.with_user(self.leader).unlink()
        with self.assertRaises(AccessError):
            self.env["css.sla.policy"].with_user(self.leader).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["css.stage"].with_user(self.leader).create(
                {"name": "Extra", "state": "in_progress"}
            )

    def test_service_manager_configures(self):
        policy = (
            self.env["css.sla.policy"]
            .with_user(self.manager)
            .create({"name": "Mine", "response_hours": 8})
        )
        self.env["css.stage"].with_user(self.manager).create(
            {"name": "Parts ordered", "state": "waiting"}
        )
        team = self.env["css.team"].with_user(self.manager).create({"name": "Shanghai"})
        self.assertEqual(team.name, "Shanghai")
        self.assertEqual(policy.response_hours, 8)
        policy.with_user(self.manager).unlink()
        self.assertFalse(policy.exists())

    def test_employee_without_service_group_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env["css.case"].with_user(self.employee).search([])
        with self.assertRaises(AccessError):
            self.case.with_user(self.employee).read(["name"])

    def test_portal_customer_reads_only_own_records(self):
        Case = self.env["css.case"].with_user(self.portal_user)
        self.assertEqual(Case.search([]), self.case)
        self.assertEqual(
            self.env["css.asset"].with_user(self.portal_user).search([]), self.asset
        )
        self.case.with_user(self.portal_user).read(["name", "stage_id"])
        with self.assertRaises(AccessError):
            self.other_case.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.case.with_user(self.portal_user).write({"sla_status": "met"})
        with self.assertRaises(AccessError):
            self.env["css.sla.policy"].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            Case.create({"partner_id": self.other_customer.id, "channel": "portal"})

    def test_portal_sees_only_published_solutions(self):
        published = self.env["css.solution"].create(
            {"name": "Public", "is_published": True}
        )
        internal = self.env["css.solution"].create({"name": "Internal"})
        found = self.env["css.solution"].with_user(self.portal_user).search([])
        self.assertIn(published, found)
        self.assertNotIn(internal, found)

    def test_other_company_cases_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Haier Europe (test)"})
        foreign_case = (
            self.env["css.case"]
            .with_company(other_company)
            .create({"partner_id": self.customer.id, "company_id": other_company.id})
        )
        self.assertNotIn(
            foreign_case, self.env["css.case"].with_user(self.agent).search([])
        )
        with self.assertRaises(AccessError):
            foreign_case.with_user(self.agent).read(["name"])
        both = new_test_user(
            self.env,
            login="css_agent_both",
            groups="crm_haier_css.group_css_agent",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | other_company).ids)],
        )
        self.assertIn(
            foreign_case,
            self.env["css.case"]
            .with_user(both)
            .with_context(allowed_company_ids=(self.company | other_company).ids)
            .search([]),
        )
