# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.tests import tagged

from .common import TODAY, AnalyticsCommon


@tagged("post_install", "-at_install")
class TestProductAffinity(AnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Affinity = cls.env["crm.product.affinity"]
        day = TODAY - timedelta(days=5)
        fridge, washer, filt = (
            cls.product_fridge,
            cls.product_washer,
            cls.product_filter,
        )
        # 4 orders: fridge+filter three times, fridge+washer once, washer alone once.
        for _i in range(3):
            cls._order(cls.customer_big, day, [(fridge, 1), (filt, 2)])
        cls._order(cls.customer_small, day, [(fridge, 1), (washer, 1)])
        cls._order(cls.customer_small, day, [(washer, 1)])
        # Draft quotations are not purchases.
        cls._order(cls.consumer, day, [(washer, 1), (filt, 1)], confirm=False)

    def _rule(self, product, related):
        return self.Affinity.search(
            [
                ("company_id", "=", self.company.id),
                ("product_id", "=", product.id),
                ("related_product_id", "=", related.id),
            ]
        )

    def test_support_confidence_lift(self):
        self.company.analytics_affinity_min_orders = 1
        self.Affinity._compute_affinities(self.company)
        rule = self._rule(self.product_fridge, self.product_filter)
        self.assertEqual(rule.pair_count, 3)
        self.assertAlmostEqual(rule.support, 3 / 5, places=4)
        self.assertAlmostEqual(rule.confidence, 3 / 4, places=4)
        self.assertAlmostEqual(rule.lift, (3 / 4) / (3 / 5), places=2)
        reverse = self._rule(self.product_filter, self.product_fridge)
        self.assertAlmostEqual(reverse.confidence, 1.0, places=4)
        self.assertFalse(self._rule(self.product_washer, self.product_filter))

    def test_list_shows_percentages_with_one_decimal(self):
        """The list reads "75.0" above "100.0", not "75%" above "18.2%"."""
        self.company.analytics_affinity_min_orders = 1
        self.Affinity._compute_affinities(self.company)
        rule = self._rule(self.product_fridge, self.product_filter)
        reverse = self._rule(self.product_filter, self.product_fridge)
        self.assertEqual((rule.support_percent, rule.confidence_percent), (60.0, 75.0))
        self.assertEqual(reverse.confidence_percent, 100.0)
        arch = self.Affinity.get_views([[False, "list"]])["views"]["list"]["arch"]
        self.assertNotIn("percentage", arch)
        fields = self.Affinity.fields_get(["support_percent", "confidence_percent"])
        for name in ("support_percent", "confidence_percent"):
            self.assertIn(f'name="{name}"', arch)
            self.assertEqual(tuple(fields[name]["digits"]), (16, 1))

    def test_minimum_orders_filters_noise_and_recompute_replaces(self):
        self.company.analytics_affinity_min_orders = 2
        self.Affinity._compute_affinities(self.company)
        self.Affinity._compute_affinities(self.company)
        self.assertTrue(self._rule(self.product_fridge, self.product_filter))
        self.assertFalse(self._rule(self.product_fridge, self.product_washer))
        self.assertEqual(
            self.Affinity.search_count([("company_id", "=", self.company.id)]), 2
        )

    def test_cross_sell_suggestions_for_a_customer(self):
        self.company.analytics_affinity_min_orders = 1
        self.Affinity._compute_affinities(self.company)
        action = self.customer_small.action_view_cross_sell()
        suggestions = self.Affinity.search(action["domain"])
        # Small Shop bought fridges and washers: the filter is what to offer.
        self.assertEqual(suggestions.related_product_id, self.product_filter)
        self.assertEqual(suggestions.product_id, self.product_fridge)
