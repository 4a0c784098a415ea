# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import TODAY, AnalyticsCommon


@tagged("post_install", "-at_install")
class TestExposureAgreement(AnalyticsCommon):
    """The credit hold, the reminders, the receivables statistics and the
    customer score tell the same story of one customer's overdue exposure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.env.user.groups_id += cls.env.ref(
            "crm_receivables_aging.group_aging_collector"
        )
        cls.company.write(
            {
                "aging_credit_hold": True,
                "aging_credit_hold_days": 60,
                # Aged by invoice date: lateness still counts from the due date.
                "aging_date_basis": "invoice_date",
            }
        )
        cls.customer_big.email = "ap@bigcorp.example.com"
        cls._order(
            cls.customer_big, TODAY - timedelta(days=20), [(cls.product_fridge, 1)]
        )
        cls._move("out_invoice", 1000.0, days_ago=75)
        cls._move("out_refund", 300.0, days_ago=5)

    @classmethod
    def _move(cls, move_type, amount, days_ago):
        move = cls.init_invoice(
            move_type,
            partner=cls.customer_big,
            invoice_date=cls.today - timedelta(days=days_ago),
            amounts=[amount],
        )
        move.invoice_line_ids.tax_ids = False
        move.invoice_payment_term_id = False
        move.invoice_date_due = cls.today - timedelta(days=days_ago)
        move.action_post()
        return move

    def test_one_customer_one_exposure(self):
        exposure = self.customer_big._aging_exposure(self.company)[
            self.customer_big.id, self.company.id
        ]
        self.assertEqual(exposure["overdue"], 1000.0)
        self.assertEqual(exposure["unapplied_credits"], 300.0)
        self.assertEqual(exposure["net_overdue"], 700.0)
        self.assertEqual(exposure["max_days_past_due"], 75)
        # Credit hold: 75 days late, not covered by the credits.
        self.assertTrue(self.customer_big.credit_hold)
        # Customer score: the overdue net of credits.
        self.Score._compute_scores(self.company)
        self.assertEqual(self._score(self.customer_big).overdue_amount, 700.0)
        # Statistics: the same figures.
        self.env.flush_all()
        stat = self.env["aging.stat.partner"].search(
            [
                ("partner_id", "=", self.customer_big.id),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(
            (stat.residual, stat.overdue, stat.unapplied_credits, stat.net_overdue),
            (700.0, 1000.0, 300.0, 700.0),
        )
        self.assertEqual(stat.max_days_overdue, 75)
        self.assertEqual(stat.long_overdue, 1000.0)
        # Reminders: what the credits leave due is reminded.
        groups = self.env["aging.reminder.policy"]._get_reminder_candidates(
            self.company, self.customer_big.ids
        )
        self.assertEqual([g["partner_id"] for g in groups], self.customer_big.ids)

    def test_covered_by_credits_everywhere(self):
        self._move("out_refund", 700.0, days_ago=1)
        self.env.invalidate_all()
        exposure = self.customer_big._aging_exposure(self.company)[
            self.customer_big.id, self.company.id
        ]
        self.assertEqual(exposure["net_overdue"], 0.0)
        self.assertFalse(self.customer_big.credit_hold)
        self.Score._compute_scores(self.company)
        self.assertEqual(self._score(self.customer_big).overdue_amount, 0.0)
        self.env.flush_all()
        stat = self.env["aging.stat.partner"].search(
            [
                ("partner_id", "=", self.customer_big.id),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(stat.net_overdue, 0.0)
        self.assertFalse(
            self.env["aging.reminder.policy"]._get_reminder_candidates(
                self.company, self.customer_big.ids
            )
        )
