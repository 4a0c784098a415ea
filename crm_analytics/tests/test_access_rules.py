# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY, AnalyticsCommon


@tagged("post_install", "-at_install")
class TestAnalyticsAccessRules(AnalyticsCommon):
    """Who may do what, called as each role through the ORM (the RPC path)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        day = TODAY - timedelta(days=5)
        for _i in range(2):
            cls._order(
                cls.customer_big,
                day,
                [(cls.product_fridge, 1), (cls.product_filter, 1)],
            )
        cls.Score._compute_scores(cls.company, today=TODAY)
        cls.env["crm.product.affinity"]._compute_affinities(cls.company)
        cls.score = cls._score(cls, cls.customer_big)
        cls.affinity = cls.env["crm.product.affinity"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.segment = cls.env["crm.segment"].create(
            {
                "name": "Hotels",
                "code": "T-HOTEL",
                "domain": "[('is_company', '=', True)]",
            }
        )
        # Users who may edit customers, with and without the analytics roles.
        contacts = "base.group_user,base.group_partner_manager"
        cls.contact_editor = new_test_user(
            cls.env, login="contact_editor", groups=f"{contacts}"
        )
        cls.analyst_editor = new_test_user(
            cls.env,
            login="analyst_editor",
            groups=f"{contacts},crm_analytics.group_analytics_user",
        )
        cls.manager_editor = new_test_user(
            cls.env,
            login="manager_editor",
            groups=f"{contacts},crm_analytics.group_analytics_manager",
        )

    def test_scores_and_affinities_are_the_applications(self):
        """Nobody forges a score or an affinity, not even a manager: they are
        computed, on a manager's demand or by the cron."""
        revenue = self.score.revenue_12m
        lift = self.affinity.lift
        for user in (self.analyst, self.analytics_manager):
            with self.assertRaises(AccessError):
                self.score.with_user(user).write({"revenue_12m": 1e9, "abc_tier": "A"})
            with self.assertRaises(AccessError):
                self.Score.with_user(user).create(
                    {
                        "partner_id": self.customer_small.id,
                        "company_id": self.company.id,
                    }
                )
            with self.assertRaises(AccessError):
                self.score.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.affinity.with_user(user).write({"lift": 99.0})
            with self.assertRaises(AccessError):
                self.affinity.with_user(user).unlink()
        self.assertEqual(self.score.revenue_12m, revenue)
        self.assertEqual(self.affinity.lift, lift)
        self.assertFalse(self._score(self.customer_small))

    def test_only_managers_recompute(self):
        self.score.sudo().write({"revenue_12m": 1.0})
        for user in (self.analyst, self.salesman):
            with self.assertRaises(AccessError):
                self.Score.with_user(user).action_recompute()
            with self.assertRaises(AccessError):
                self.env["crm.product.affinity"].with_user(user).action_recompute()
            with self.assertRaises(AccessError):
                self.segment.with_user(user).action_assign()
        self.assertEqual(self.score.revenue_12m, 1.0)
        self.assertFalse(self.customer_big.segment_id)
        self.Score.with_user(self.analytics_manager).action_recompute()
        self.assertGreater(self.score.revenue_12m, 1.0)
        self.env["crm.product.affinity"].with_user(
            self.analytics_manager
        ).action_recompute()
        self.segment.with_user(self.analytics_manager).action_assign()
        self.assertEqual(self.customer_big.segment_id, self.segment)

    def test_only_managers_set_a_segment_by_hand(self):
        for user in (self.contact_editor, self.analyst_editor):
            partner = self.customer_small.with_user(user)
            with self.assertRaises(AccessError):
                partner.write({"segment_id": self.segment.id})
            with self.assertRaises(AccessError):
                partner.write({"segment_locked": True})
            with self.assertRaises(AccessError):
                self.env["res.partner"].with_user(user).create(
                    {"name": "Pinned Ltd", "segment_id": self.segment.id}
                )
            # Editing the customer otherwise still works.
            partner.write({"phone": "+86 532 1234", "segment_id": False})
        self.assertFalse(self.customer_small.segment_id)
        self.assertFalse(self.customer_small.segment_locked)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Pinned Ltd")]))
        self.customer_small.with_user(self.manager_editor).segment_id = self.segment
        self.assertEqual(self.customer_small.segment_id, self.segment)
        self.assertTrue(self.customer_small.segment_locked)

    def test_only_managers_configure_segments_and_settings(self):
        for user in (self.analyst, self.salesman):
            with self.assertRaises(AccessError):
                self.segment.with_user(user).write({"domain": "[]"})
            with self.assertRaises(AccessError):
                self.env["crm.segment"].with_user(user).create(
                    {"name": "Everyone", "code": "T-ALL", "domain": "[]"}
                )
        for user in (self.analyst, self.analytics_manager):
            with self.assertRaises(AccessError):
                self.company.with_user(user).write({"analytics_case_cost": 0.0})
        self.assertEqual(self.segment.domain, "[('is_company', '=', True)]")
        self.assertEqual(self.company.analytics_case_cost, 25.0)

    def test_cross_sell_suggestions_for_analytics_users(self):
        with self.assertRaises(AccessError):
            self.customer_big.with_user(self.salesman).action_view_cross_sell()
        # Suggestions come from the orders the user may read.
        self.analyst.groups_id += self.env.ref("sales_team.group_sale_salesman")
        action = self.customer_big.with_user(self.analyst).action_view_cross_sell()
        self.assertEqual(action["res_model"], "crm.product.affinity")
