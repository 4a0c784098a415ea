# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AgingCommon


@tagged("post_install", "-at_install")
class TestCreditHold(AgingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        cls._invoice(cls.customer, today - timedelta(days=75), 900.0)
        cls.salesman = new_test_user(
            cls.env,
            login="aging_salesman",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.credit_manager = new_test_user(
            cls.env,
            login="aging_credit_manager",
            groups="sales_team.group_sale_salesman_all_leads,"
            "crm_receivables_aging.group_aging_credit_manager",
            company_id=cls.company.id,
        )
        cls.product = cls._create_product(name="Air conditioner", lst_price=500.0)

    def _order(self, partner, user=None):
        return (
            self.env["sale.order"]
            .with_user(user or self.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )

    def test_off_by_default_changes_nothing(self):
        self.assertFalse(self.company.aging_credit_hold)
        self.assertEqual(self.company.aging_credit_hold_days, 60)
        self.assertFalse(self.customer.credit_hold)
        order = self._order(self.customer)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_hold_blocks_confirmation(self):
        self.company.aging_credit_hold = True
        self.assertTrue(self.customer.credit_hold)
        self.assertFalse(self.other_customer.credit_hold)
        order = self._order(self.customer)
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        # A customer whose overdue is within the delay is not held.
        self.company.aging_credit_hold_days = 90
        self.env.invalidate_all()
        self.assertFalse(self.customer.credit_hold)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_search_customers_on_hold(self):
        Partner = self.env["res.partner"]
        partners = self.customer + self.other_customer
        self.assertFalse(Partner.search([("credit_hold", "=", True)]) & partners)
        self.company.aging_credit_hold = True
        self.assertEqual(
            Partner.search([("credit_hold", "=", True)]) & partners, self.customer
        )
        self.assertEqual(
            Partner.search([("credit_hold", "!=", True)]) & partners,
            self.other_customer,
        )

    def test_hold_over_credit_limit(self):
        self.company.write(
            {"aging_credit_hold": True, "account_use_credit_limit": True}
        )
        today = fields.Date.context_today(self.env["res.partner"])
        self._invoice(self.other_customer, today + timedelta(days=10), 1500.0)
        self.assertFalse(self.other_customer.credit_hold)
        self.other_customer.credit_limit = 1000.0
        self.env.invalidate_all()
        self.assertTrue(self.other_customer.credit_hold)

    def test_override_only_by_credit_manager_with_reason(self):
        self.company.aging_credit_hold = True
        order = self._order(self.customer)
        wizard_model = self.env["aging.credit.hold.override"]
        # A salesperson can neither open the wizard nor write the reason.
        with self.assertRaises(AccessError):
            wizard_model.with_user(self.salesman).create(
                {"sale_order_ids": [Command.set(order.ids)], "reason": "Trust me"}
            )
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write(
                {"credit_hold_override_reason": "Trust me"}
            )
        self.assertEqual(order.state, "draft")
        # Without a reason nothing happens.
        wizard = wizard_model.with_user(self.credit_manager).create(
            {"sale_order_ids": [Command.set(order.ids)], "reason": "   "}
        )
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.sudo().credit_hold_override_reason)
        # With a reason the order is confirmed and the reason logged.
        wizard.reason = "Paid by wire today, not booked yet"
        wizard.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(
            order.sudo().credit_hold_override_reason,
            "Paid by wire today, not booked yet",
        )
        self.assertTrue(
            any(
                "Paid by wire today, not booked yet" in body
                for body in order.message_ids.mapped("body")
            )
        )

    def test_reminder_escalation_puts_on_hold(self):
        self.company.aging_credit_hold = True
        self.company.aging_credit_hold_days = 365
        self.env.invalidate_all()
        self.assertFalse(self.other_customer.credit_hold)
        self.other_customer.aging_manual_hold = True
        self.env.invalidate_all()
        self.assertTrue(self.other_customer.credit_hold)
