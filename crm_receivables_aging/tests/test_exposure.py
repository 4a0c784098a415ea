# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import AgingCommon


@tagged("post_install", "-at_install")
class TestExposure(AgingCommon):
    """One figure of what a customer owes past due, net of its credits, for the
    credit hold, the reminders and the statistics."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.company.write({"aging_credit_hold": True, "aging_credit_hold_days": 60})
        # Invoiced long ago, due recently: late by 10 days, not by 90.
        cls.recent_due = cls.env["res.partner"].create({"name": "Slow Terms Ltd"})
        cls._invoice(
            cls.recent_due,
            cls.today - timedelta(days=10),
            1000.0,
            invoice_date=cls.today - timedelta(days=90),
        )
        # Long overdue, but an open credit note covers it all.
        cls.covered = cls.env["res.partner"].create(
            {"name": "Covered Co", "email": "ap@covered.example.com"}
        )
        cls._invoice(cls.covered, cls.today - timedelta(days=75), 1000.0)
        cls._invoice(
            cls.covered, cls.today - timedelta(days=5), 1000.0, move_type="out_refund"
        )
        # Long overdue, partly covered.
        cls.partly = cls.env["res.partner"].create(
            {"name": "Partly Co", "email": "ap@partly.example.com"}
        )
        cls._invoice(cls.partly, cls.today - timedelta(days=75), 1000.0)
        cls._invoice(
            cls.partly, cls.today - timedelta(days=5), 300.0, move_type="out_refund"
        )

    def _exposure(self, partner):
        return partner._aging_exposure(self.company)[partner.id, self.company.id]

    def test_figures(self):
        covered = self._exposure(self.covered)
        self.assertEqual(covered["total"], 0.0)
        self.assertEqual(covered["overdue"], 1000.0)
        self.assertEqual(covered["unapplied_credits"], 1000.0)
        self.assertEqual(covered["net_overdue"], 0.0)
        self.assertEqual(covered["max_days_past_due"], 75)
        partly = self._exposure(self.partly)
        self.assertEqual(partly["net_overdue"], 700.0)
        self.assertEqual(partly["total"], 700.0)
        # What is owed at each age, less the unapplied credits.
        self.assertEqual(
            sum(partly["buckets"].values()) - partly["unapplied_credits"], 700.0
        )
        # compute_aging gives the same figures.
        row = self._row(self.partly, as_of_date=self.today)
        for name in (
            "overdue",
            "unapplied_credits",
            "net_overdue",
            "max_days_past_due",
        ):
            self.assertEqual(row[name], partly[name], name)

    def test_hold_counts_lateness_from_the_due_date_net_of_credits(self):
        self.company.aging_date_basis = "invoice_date"
        self.env.invalidate_all()
        # The aging by invoice date sees 90 days, the hold sees 10 days late.
        self.assertEqual(
            self._row(self.recent_due, as_of_date=self.today)["max_days_overdue"], 90
        )
        self.assertEqual(self._exposure(self.recent_due)["max_days_past_due"], 10)
        self.assertFalse(self.recent_due.credit_hold)
        self.assertFalse(self.covered.credit_hold)
        self.assertTrue(self.partly.credit_hold)
        held = self.env["res.partner"].search([("credit_hold", "=", True)])
        self.assertIn(self.partly, held)
        self.assertNotIn(self.covered, held)
        self.assertNotIn(self.recent_due, held)

    def test_no_reminder_when_credits_cover(self):
        policy = self.env["aging.reminder.policy"]
        groups = policy._get_reminder_candidates(
            self.company, (self.covered + self.partly).ids
        )
        self.assertEqual([g["partner_id"] for g in groups], self.partly.ids)
        self.env["aging.reminder.policy"]._cron_send_reminders()
        logs = self.env["aging.reminder.log"].search(
            [("partner_id", "in", (self.covered + self.partly).ids)]
        )
        self.assertEqual(logs.partner_id, self.partly)

    def test_statistics_agree(self):
        self.env.flush_all()
        stat = self.env["aging.stat.partner"].search(
            [("partner_id", "=", self.partly.id), ("company_id", "=", self.company.id)]
        )
        exposure = self._exposure(self.partly)
        self.assertEqual(stat.residual, exposure["total"])
        self.assertEqual(stat.overdue, exposure["overdue"])
        self.assertEqual(stat.max_days_overdue, exposure["max_days_past_due"])
