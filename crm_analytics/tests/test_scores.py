# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import TODAY, AnalyticsCommon


@tagged("post_install", "-at_install")
class TestCustomerScores(AnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Big Corp orders every 30 days; Small Shop ordered twice, long ago.
        for days in (30, 60, 90, 120):
            cls._order(
                cls.customer_big,
                TODAY - timedelta(days=days),
                [(cls.product_fridge, 10)],
            )
        cls._order(
            cls.customer_big, TODAY - timedelta(days=400), [(cls.product_fridge, 1)]
        )
        cls._order(
            cls.customer_small, TODAY - timedelta(days=300), [(cls.product_washer, 2)]
        )
        cls._order(
            cls.customer_small, TODAY - timedelta(days=500), [(cls.product_washer, 8)]
        )

    def test_rfm_value_and_tiers(self):
        self.Score._compute_scores(self.company, today=TODAY)
        big, small = self._score(self.customer_big), self._score(self.customer_small)
        self.assertEqual(big.last_order_date, TODAY - timedelta(days=30))
        self.assertEqual(big.recency_days, 30)
        self.assertEqual(big.frequency, 4)
        self.assertEqual(big.order_count, 5)
        self.assertAlmostEqual(big.revenue_12m, 40000.0)
        self.assertAlmostEqual(big.revenue_prev_12m, 1000.0)
        self.assertAlmostEqual(big.growth, 3900.0)
        self.assertEqual(big.usual_interval_days, (400 - 30) // 4)
        self.assertEqual(big.abc_tier, "A")
        self.assertEqual(big.churn_risk, "low")
        self.assertFalse(big.is_dormant)
        self.assertEqual(big.next_order_date, TODAY - timedelta(days=30 - 92))
        self.assertGreater(big.r_score, small.r_score)
        self.assertGreater(big.m_score, small.m_score)
        self.assertEqual(big.rfm_code, f"{big.r_score}{big.f_score}{big.m_score}")
        self.assertAlmostEqual(small.revenue_12m, 1000.0)
        self.assertAlmostEqual(small.revenue_prev_12m, 4000.0)
        # Big Corp alone makes 97.6% of revenue: A; Small Shop is in the last 5%: C.
        self.assertEqual(small.abc_tier, "C")

    def test_new_customer_shows_no_growth(self):
        """A customer without revenue the 12 months before has no growth: the
        screens say so instead of showing 0.00%."""
        newcomer = self.env["res.partner"].create({"name": "New Hotel"})
        self._order(newcomer, TODAY - timedelta(days=10), [(self.product_fridge, 2)])
        self.Score._compute_scores(self.company, today=TODAY)
        score = self._score(newcomer)
        self.assertGreater(score.revenue_12m, 0)
        self.assertFalse(score.revenue_prev_12m)
        views = self.Score.get_views([[False, "list"], [False, "form"]])["views"]
        for view_type in ("list", "form"):
            with self.subTest(view=view_type):
                self.assertRegex(
                    views[view_type]["arch"],
                    r'name="growth"[^>]*invisible="not revenue_prev_12m"',
                )

    def test_dormant_customer_is_a_churn_risk_with_reasons(self):
        self.Score._compute_scores(self.company, today=TODAY)
        small = self._score(self.customer_small)
        # Usual interval 200 days, silent for 300: not yet twice the interval...
        self.assertFalse(small.is_dormant)
        # ...but revenue fell by 75%: one reason, medium risk.
        self.assertEqual(small.churn_risk, "medium")
        self.assertIn("Revenue down", small.churn_reasons)
        self.Score._compute_scores(self.company, today=TODAY + timedelta(days=150))
        small = self._score(self.customer_small)
        self.assertTrue(small.is_dormant)
        self.assertEqual(small.churn_risk, "high")
        self.assertIn("No order for 450 days", small.churn_reasons)

    def test_overdue_receivables_and_service_cases_count(self):
        invoice = self.init_invoice(
            "out_invoice",
            partner=self.customer_big,
            invoice_date=TODAY - timedelta(days=60),
            amounts=[700.0],
        )
        invoice.invoice_line_ids.tax_ids = False
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = TODAY - timedelta(days=30)
        invoice.action_post()
        self.env["css.case"].sudo().create(
            [
                {"partner_id": self.customer_big.id, "description": f"Noise {i}"}
                for i in range(3)
            ]
        )
        self.Score._compute_scores(self.company, today=TODAY)
        big = self._score(self.customer_big)
        self.assertAlmostEqual(big.overdue_amount, 700.0)
        self.assertEqual(big.service_case_count, 3)
        self.assertAlmostEqual(big.service_cost, 3 * self.company.analytics_case_cost)
        self.assertIn("Overdue receivables", big.churn_reasons)
        self.assertIn("3 service cases", big.churn_reasons)
        self.assertEqual(big.churn_risk, "medium")
        expected_ltv = max(big.margin_12m - big.service_cost, 0.0) * 3.0
        if not big.cost_recorded:
            expected_ltv = 0.0
        self.assertAlmostEqual(big.lifetime_value, expected_ltv, places=2)
        self.assertGreaterEqual(big.lifetime_value, 0.0)

    def test_overdue_customer_without_orders_is_listed(self):
        """A customer who owes past due without any order (invoiced directly) is
        in the list with its overdue amount, as the aging shows it."""
        debtor = self.env["res.partner"].create({"name": "Invoice Only Ltd"})
        invoice = self.init_invoice(
            "out_invoice",
            partner=debtor,
            invoice_date=TODAY - timedelta(days=60),
            amounts=[300.0],
        )
        invoice.invoice_line_ids.tax_ids = False
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = TODAY - timedelta(days=30)
        invoice.action_post()
        self.Score._compute_scores(self.company, today=TODAY)
        exposure = debtor._aging_exposure(self.company, as_of_date=TODAY)
        score = self._score(debtor)
        self.assertEqual(len(score), 1)
        self.assertAlmostEqual(score.overdue_amount, 300.0)
        self.assertAlmostEqual(
            score.overdue_amount, exposure[debtor.id, self.company.id]["net_overdue"]
        )
        self.assertEqual(score.order_count, 0)
        self.assertFalse(score.is_dormant)
        self.assertIn("Overdue receivables", score.churn_reasons)

    def test_margin_without_product_cost_is_not_revenue(self):
        """Lines whose product has no cost are no margin: without any cost the
        margin is 'not recorded' and the lifetime value 0, not the revenue."""
        buyer = self.env["res.partner"].create({"name": "No Cost Buyer"})
        free = self._create_product(
            name="Extended Warranty", lst_price=200.0, standard_price=0.0
        )
        self._order(buyer, TODAY - timedelta(days=10), [(free, 1)])
        self.Score._compute_scores(self.company, today=TODAY)
        score = self._score(buyer)
        self.assertAlmostEqual(score.revenue_12m, 200.0)
        self.assertFalse(score.cost_recorded)
        self.assertEqual(score.margin_12m, 0.0)
        self.assertEqual(score.lifetime_value, 0.0)
        self.product_fridge.standard_price = 600.0
        self._order(buyer, TODAY - timedelta(days=5), [(self.product_fridge, 1)])
        self.Score._compute_scores(self.company, today=TODAY)
        score = self._score(buyer)
        self.assertTrue(score.cost_recorded)
        # The fridge's margin only, not the warranty's revenue.
        self.assertAlmostEqual(score.margin_12m, 400.0)
        self.assertGreaterEqual(score.lifetime_value, 0.0)

    def test_recompute_is_idempotent_and_drops_stale_scores(self):
        self.Score._compute_scores(self.company, today=TODAY)
        self.Score._compute_scores(self.company, today=TODAY)
        self.assertEqual(len(self._score(self.customer_big)), 1)
        self.assertFalse(self._score(self.consumer), "no order, no score")
        orders = self.env["sale.order"].search(
            [("partner_id", "=", self.customer_small.id)]
        )
        orders._action_cancel()
        self.Score._compute_scores(self.company, today=TODAY)
        self.assertFalse(self._score(self.customer_small))

    def test_other_company_orders_do_not_count(self):
        other = self.setup_other_company(name="Other Co")["company"]
        self.env.user.company_ids |= other
        self._order(
            self.customer_big,
            TODAY - timedelta(days=5),
            [(self.product_fridge, 99)],
            other,
        )
        self.Score._compute_scores(self.company, today=TODAY)
        self.assertAlmostEqual(self._score(self.customer_big).revenue_12m, 40000.0)
        self.Score._compute_scores(other, today=TODAY)
        other_score = self.Score.search(
            [("partner_id", "=", self.customer_big.id), ("company_id", "=", other.id)]
        )
        self.assertAlmostEqual(other_score.revenue_12m, 99000.0)
        # A user of the first company only does not see the other's scores.
        self.assertNotIn(other_score, self.Score.with_user(self.analyst).search([]))

    def test_access_by_role(self):
        self.Score._compute_scores(self.company, today=TODAY)
        score = self._score(self.customer_big)
        self.assertTrue(score.with_user(self.analyst).revenue_12m)
        with self.assertRaises(AccessError):
            score.with_user(self.analyst).write({"revenue_12m": 1})
        with self.assertRaises(AccessError):
            score.with_user(self.salesman).read(["revenue_12m"])
        score.with_user(self.analytics_manager).action_recompute()

    def test_query_count_does_not_grow_with_customers(self):
        self.Score._compute_scores(self.company, today=TODAY)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Score._compute_scores(self.company, today=TODAY)
        few = self.env.cr.sql_log_count - before
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(30)]
        )
        for partner in partners:
            self._order(partner, TODAY - timedelta(days=10), [(self.product_filter, 1)])
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Score._compute_scores(self.company, today=TODAY)
        many = self.env.cr.sql_log_count - before
        self.assertLessEqual(many, few + 2, "one query per customer crept in")
        self.assertEqual(
            self.Score.search_count([("company_id", "=", self.company.id)]), 32
        )


@tagged("post_install", "-at_install")
class TestDemoScores(TransactionCase):
    def test_demo_customers_earn_a_margin(self):
        """Where the demo records costs, its customers earn a margin: Odoo's
        own demo sells furniture below cost, which made Gemini Furniture's
        margin negative on Customer Value."""
        if not self.env.ref("crm_analytics.order_hotel_1", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        companies = self.env["res.company"].search([])
        self.env["crm.customer.score"]._compute_scores(companies)
        scores = self.env["crm.customer.score"].search([("cost_recorded", "=", True)])
        self.assertIn(self.env.ref("base.res_partner_3"), scores.partner_id)
        for score in scores:
            with self.subTest(customer=score.partner_id.name):
                self.assertGreaterEqual(score.margin_12m, 0.0)
