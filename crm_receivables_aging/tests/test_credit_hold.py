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

    # ------------------------------------------------------------------
    # An override covers one confirmation of the order as it was
    # ------------------------------------------------------------------

    def _override(self, order, reason="Paid by wire today, not booked yet"):
        wizard = (
            self.env["aging.credit.hold.override"]
            .with_user(self.credit_manager)
            .create({"sale_order_ids": [Command.set(order.ids)], "reason": reason})
        )
        wizard.action_confirm()

    def test_override_does_not_survive_cancel_and_redraft(self):
        """Cancel, reset to quotation, raise the quantity, confirm: the hold
        applies again, the old override is gone."""
        self.company.aging_credit_hold = True
        order = self._order(self.customer)
        self._override(order)
        self.assertEqual(order.state, "sale")
        as_salesman = order.with_user(self.salesman)
        as_salesman.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order.sudo().credit_hold_override_reason)
        self.assertFalse(order.sudo().credit_hold_override_digest)
        self.assertIn(
            "no longer applies", order.message_ids[0].body, "the voiding is logged"
        )
        as_salesman.action_draft()
        as_salesman.order_line.product_uom_qty = 40
        with self.assertRaisesRegex(UserError, "credit hold"):
            as_salesman.action_confirm()
        self.assertEqual(order.state, "draft")
        # Even unchanged, a redrafted order needs a new override.
        as_salesman.order_line.product_uom_qty = 1
        with self.assertRaisesRegex(UserError, "credit hold"):
            as_salesman.action_confirm()
        self.assertEqual(order.state, "draft")
        # A new override lets it through again.
        self._override(order, "Second shipment agreed with the CFO")
        self.assertEqual(order.state, "sale")

    def test_override_binds_to_the_order_as_it_was(self):
        """An override recorded on a quotation is void once its lines or amount
        change; unchanged, it lets the order be confirmed once."""
        self.company.aging_credit_hold = True
        order = self._order(self.customer)
        # As the wizard records it, before confirming.
        order.sudo().write(order._aging_override_vals("Deposit received"))
        as_salesman = order.with_user(self.salesman)
        as_salesman.order_line.product_uom_qty = 25
        with self.assertRaisesRegex(UserError, "no longer applies"):
            as_salesman.action_confirm()
        self.assertEqual(order.state, "draft")
        as_salesman.order_line.product_uom_qty = 1
        as_salesman.order_line.price_unit = 5000.0
        with self.assertRaisesRegex(UserError, "no longer applies"):
            as_salesman.action_confirm()
        as_salesman.order_line.price_unit = 500.0
        as_salesman.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_nobody_writes_the_override_by_hand(self):
        """The override fields are the wizard's: not even a credit manager
        writes them through the ORM (RPC), and the wizard is theirs alone."""
        self.company.aging_credit_hold = True
        order = self._order(self.customer)
        for user in (self.salesman, self.credit_manager):
            with self.assertRaises(AccessError):
                order.with_user(user).write({"credit_hold_override_reason": "Trust me"})
        with self.assertRaises(AccessError):
            order.with_user(self.credit_manager).write(
                {"credit_hold_override_digest": order._aging_override_digest()}
            )
        self.assertFalse(order.sudo().credit_hold_override_reason)
        self.assertFalse(order.sudo().credit_hold_override_digest)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_aging_override_hold()
        action = order.with_user(self.credit_manager).action_aging_override_hold()
        self.assertEqual(action["res_model"], "aging.credit.hold.override")
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
