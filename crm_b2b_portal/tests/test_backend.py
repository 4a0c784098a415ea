# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import format_amount
from odoo.tools.safe_eval import safe_eval

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

    # Figures and labels -----------------------------------------------------

    def test_backend_spend_is_what_the_portal_report_calls_spend(self):
        ordered = self.submitted(qty=2)  # 180.00 untaxed
        self.as_member(ordered, self.lead).action_b2b_approve("ok")
        self.as_member(ordered, self.purchaser).action_b2b_place_order()
        self.submitted(qty=5)  # 450.00, waiting for approval
        self.quote(lines=[(self.desk, 3, [])])  # 270.00, a draft
        self.env.flush_all()
        action = self.env.ref("crm_b2b_portal.action_b2b_sale_report")
        domain = [("b2b_account_id", "=", self.account.id), *safe_eval(action.domain)]
        [[backend]] = self.env["sale.report"]._read_group(
            domain, [], ["price_subtotal:sum"]
        )
        portal = self.account._spend_report()["cost_center"]
        self.assertEqual(backend, 180.0)
        self.assertEqual(sum(amount for _label, amount, _count in portal), backend)
        pipeline = self.env.ref("crm_b2b_portal.action_b2b_sale_report_pipeline")
        domain = [("b2b_account_id", "=", self.account.id), *safe_eval(pipeline.domain)]
        [[quoted]] = self.env["sale.report"]._read_group(
            domain, [], ["price_subtotal:sum"]
        )
        self.assertEqual(quoted, 720.0)

    def test_rule_without_upper_amount_reads_no_limit(self):
        currency = self.account.currency_id
        low = format_amount(self.env, 0, currency)
        self.assertEqual(self.rule_manager.amount_range, f"{low} to no limit")
        self.rule_manager.amount_max = 2000
        high = format_amount(self.env, 2000, currency)
        self.assertEqual(self.rule_manager.amount_range, f"{low} to {high}")

    def test_limits_and_rule_amounts_are_not_summed(self):
        for model, fname in (
            ("b2b.member", "approval_limit"),
            ("b2b.approval.rule", "amount_min"),
            ("b2b.approval.rule", "amount_max"),
        ):
            description = self.env[model].fields_get([fname])[fname]
            self.assertFalse(description.get("aggregator"), f"{model}.{fname}")

    def test_report_labels_name_months_and_categories(self):
        child = self.env["product.category"].create(
            {
                "name": "Engineering Workplace",
                "parent_id": self.env.ref("product.product_category_all").id,
            }
        )
        self.assertEqual(self.account._report_label(child), "Engineering Workplace")
        self.assertEqual(
            self.account._report_label(fields.Date.to_date("2026-10-01")),
            "October 2026",
        )
