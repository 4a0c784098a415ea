# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AgingCommon


@tagged("post_install", "-at_install")
class TestStatistics(AgingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.small = cls.env["res.partner"].create({"name": "Small Shop"})
        cls._sale(cls.customer, cls.today - timedelta(days=90), 800.0)
        cls._sale(cls.other_customer, cls.today - timedelta(days=5), 150.0)
        cls._sale(cls.small, cls.today + timedelta(days=5), 50.0)

    @classmethod
    def _sale(cls, partner, due_date, amount):
        """An invoice of the last twelve months, due on the date."""
        return cls._invoice(
            partner, due_date, amount, invoice_date=min(due_date, cls.today)
        )

    def _stats(self, domain=()):
        self.env.flush_all()
        return self.env["aging.stat.partner"].search(
            [("company_id", "=", self.company.id), *domain]
        )

    def test_pareto_share(self):
        stats = {stat.partner_id: stat for stat in self._stats()}
        self.assertEqual(
            [
                (stats[p].rank, stats[p].share, stats[p].pareto_class)
                for p in (self.customer, self.other_customer, self.small)
            ],
            [(1, 80.0, "a"), (2, 15.0, "b"), (3, 5.0, "c")],
        )
        self.assertEqual(stats[self.small].cumulative_share, 100.0)

    def test_pareto_ranks_only_customers_who_owe(self):
        """A customer whose credits cover his invoices owes nothing: no row
        of 0.00 in the Pareto, no class C; a credit balance does not lower
        the others' shares, which still add up to 100%."""
        settled = self.env["res.partner"].create({"name": "Settled Shop"})
        self._sale(settled, self.today - timedelta(days=10), 400.0)
        self._invoice(settled, self.today, 400.0, move_type="out_refund")
        in_credit = self.env["res.partner"].create({"name": "Prepaid Shop"})
        self._invoice(in_credit, self.today, 250.0, move_type="out_refund")
        action = self.env.ref("crm_receivables_aging.action_aging_stat_pareto")
        shown = self._stats(safe_eval(action.domain or "[]"))
        self.assertEqual(
            shown.partner_id, self.customer + self.other_customer + self.small
        )
        self.assertAlmostEqual(sum(shown.mapped("share")), 100.0)
        self.assertEqual(max(shown.mapped("cumulative_share")), 100.0)
        for partner in settled + in_credit:
            stat = self._stats([("partner_id", "=", partner.id)])
            self.assertFalse(stat.rank or stat.pareto_class or stat.share)
        self.assertEqual(
            self._stats([("partner_id", "=", settled.id)]).unapplied_credits, 400.0
        )

    def test_over_limit_with_long_overdue(self):
        self.customer.credit_limit = 500.0
        self.other_customer.credit_limit = 100.0  # over, but not long overdue
        action = self.env.ref("crm_receivables_aging.action_aging_stat_over_limit")
        self.assertEqual(
            action.context, "{'search_default_over_limit_long_overdue': 1}"
        )
        stats = self._stats([("over_limit", "=", True), ("long_overdue", ">", 0)])
        self.assertEqual(stats.partner_id, self.customer)
        self.assertEqual(stats.long_overdue, 800.0)
        self.assertEqual(stats.max_days_overdue, 90)

    def test_dso(self):
        invoice = self._sale(self.small, self.today - timedelta(days=20), 950.0)
        self._pay(invoice, 950.0, self.today)
        stat = self._stats([("partner_id", "=", self.small.id)])
        # 50 open of 1000 sold in the last 365 days.
        self.assertAlmostEqual(stat.dso, 18.25)
        company = self.env["aging.stat.company"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(company.residual, 1000.0)
        self.assertEqual(company.sales_12m, 1950.0)
        self.assertAlmostEqual(company.dso, 1000.0 / 1950.0 * 365)

    def test_receipts_by_payment_method_and_month(self):
        invoice = self._sale(self.small, self.today - timedelta(days=20), 950.0)
        self._pay(invoice, 300.0, self.today)
        self.env.flush_all()
        groups = self.env["aging.stat.receipt"].read_group(
            [("company_id", "=", self.company.id)],
            ["amount:sum"],
            ["payment_method_id", "date:month"],
            lazy=False,
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["amount"], 300.0)
        self.assertEqual(
            groups[0]["payment_method_id"][0],
            self.inbound_payment_method_line.payment_method_id.id,
        )
