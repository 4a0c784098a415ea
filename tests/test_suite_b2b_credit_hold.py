"""Suite scenario: a Premier purchaser meets the vendor's credit hold.

crm_b2b_portal and crm_receivables_aging do not depend on each other; when
both are installed, an approved quote of a customer on credit hold cannot be
placed, the purchaser gets the hold's clear message, nothing is confirmed, and
a credit manager's override (with a reason) lets the order through.
"""

from datetime import timedelta

from common import SuiteCase

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from odoo.addons.crm_b2b_portal.tests.common import build_scenario


class TestSuiteB2bCreditHold(SuiteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        data = build_scenario(cls.env, prefix="suiteb2b")
        cls.customer = data["customer"]
        cls.requester, cls.lead = data["requester"], data["lead"]
        cls.purchaser, cls.desk = data["purchaser"], data["desk"]
        cls.company = cls.env.company
        if not cls.env["account.journal"].search_count(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)]
        ):
            cls.skipTest(cls, "the company has no chart of accounts")
        cls.company.write({"aging_credit_hold": True, "aging_credit_hold_days": 60})
        long_ago = fields.Date.today() - timedelta(days=90)
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": long_ago,
                "invoice_date_due": long_ago,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Old delivery", "quantity": 1, "price_unit": 500.0}
                    )
                ],
            }
        )
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = long_ago
        invoice.action_post()
        cls.credit_manager = new_test_user(
            cls.env,
            login="suite_credit_manager",
            groups="sales_team.group_sale_salesman_all_leads,"
            "crm_receivables_aging.group_aging_credit_manager",
        )

    def _approved_quote(self):
        order = (
            self.env["sale.order"]
            .with_user(self.requester.user_id)
            .b2b_portal_new_quote()
        )
        order.b2b_portal_add_product(self.desk.id, [], 1)
        order.action_b2b_submit()
        order.with_user(self.lead.user_id).action_b2b_approve("Fine by me")
        self.assertEqual(order.sudo().b2b_state, "approved")
        return order.sudo()

    def test_hold_stops_the_purchaser_with_a_clear_message(self):
        self.assertTrue(self.customer.credit_hold)
        order = self._approved_quote()
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.purchaser.user_id).action_b2b_place_order()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.b2b_state, "approved")

    def test_credit_manager_override_lets_the_order_through(self):
        order = self._approved_quote()
        wizard = (
            self.env["aging.credit.hold.override"]
            .with_user(self.credit_manager)
            .create(
                {
                    "sale_order_ids": [Command.set(order.ids)],
                    "reason": "Paid by bank transfer this morning",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.b2b_state, "ordered")
        self.assertIn(
            "Paid by bank transfer this morning",
            "\n".join(order.message_ids.mapped("body")),
        )
