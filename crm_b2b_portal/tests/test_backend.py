# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import B2bCase


@tagged("post_install", "-at_install")
class TestBackend(B2bCase):
    def test_account_smart_buttons(self):
        order = self.quote()
        self.assertEqual(self.account.member_count, 6)
        self.assertEqual(self.account.order_count, 1)
        action = self.account.action_view_orders()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), order.sudo())
        action = self.account.action_view_members()
        self.assertEqual(len(self.env["b2b.member"].search(action["domain"])), 6)

    def test_vendor_sees_the_trail_and_access_levels(self):
        order = self.quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        b2b_user = new_test_user(
            self.env, "b2bt_backend_user", groups="crm_b2b_portal.group_b2b_user"
        )
        trail = order.with_user(b2b_user).b2b_approval_ids
        self.assertEqual(trail.member_ids.name, self.lead.name)
        with self.assertRaises(AccessError):
            self.account.with_user(b2b_user).write({"max_line_quantity": 5})
        manager = new_test_user(
            self.env, "b2bt_backend_manager", groups="crm_b2b_portal.group_b2b_manager"
        )
        self.account.with_user(manager).write({"max_line_quantity": 5})
        self.assertEqual(self.account.max_line_quantity, 5)
        # The sale order form shows the B2B tab with the approval trail.
        with Form(order.sudo()) as form:
            self.assertEqual(form.b2b_state, "pending")
            self.assertEqual(len(form.b2b_approval_ids), 1)

    def test_non_b2b_orders_are_untouched(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.desk.product_variant_id.id})],
            }
        )
        self.assertFalse(order.b2b_state)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_state)

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {"b2b_reminder_hours": 8, "b2b_escalation_hours": 30}
        )
        settings.execute()
        self.assertEqual(self.env.company.b2b_reminder_hours, 8)
        self.assertEqual(self.env.company.b2b_escalation_hours, 30)
