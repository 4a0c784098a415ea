# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import TODAY, AnalyticsCommon


@tagged("post_install", "-at_install")
class TestSegments(AnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Segment = cls.env["crm.segment"]
        # Only the test segments take part.
        cls.Segment.search([]).active = False
        cls.seg_big = cls.Segment.create(
            {
                "name": "Big Buyers",
                "code": "T-BIG",
                "sequence": 1,
                "domain": "[('is_company', '=', True), "
                "('customer_score_ids.revenue_12m', '>=', 10000)]",
            }
        )
        cls.seg_company = cls.Segment.create(
            {
                "name": "Companies",
                "code": "T-CO",
                "sequence": 2,
                "domain": "[('is_company', '=', True)]",
            }
        )
        cls.seg_consumer = cls.Segment.create(
            {
                "name": "Consumers",
                "code": "T-CONS",
                "sequence": 3,
                "domain": "[('is_company', '=', False)]",
            }
        )
        cls._order(
            cls.customer_big, TODAY - timedelta(days=10), [(cls.product_fridge, 20)]
        )
        cls._order(
            cls.customer_small, TODAY - timedelta(days=10), [(cls.product_filter, 1)]
        )
        cls.Score._compute_scores(cls.company, today=TODAY)

    def test_first_matching_segment_wins(self):
        self.Segment._assign_partners()
        self.assertEqual(self.customer_big.segment_id, self.seg_big)
        self.assertEqual(self.customer_small.segment_id, self.seg_company)
        self.assertEqual(self.consumer.segment_id, self.seg_consumer)
        self.assertEqual(
            self.seg_company.partner_count, len(self.seg_company.partner_ids)
        )
        # Contacts of a company follow their company, not the rules.
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer_big.id}
        )
        self.Segment._assign_partners()
        self.assertFalse(contact.segment_id)

    def test_priority_change_moves_customers(self):
        self.seg_company.sequence = 0
        self.Segment._assign_partners()
        self.assertEqual(self.customer_big.segment_id, self.seg_company)

    def test_manual_override_survives_reassignment(self):
        with Form(self.customer_small) as partner_form:
            partner_form.segment_id = self.seg_big
        self.assertTrue(self.customer_small.segment_locked)
        self.Segment._assign_partners()
        self.assertEqual(self.customer_small.segment_id, self.seg_big)
        self.customer_small.segment_locked = False
        self.Segment._assign_partners()
        self.assertEqual(self.customer_small.segment_id, self.seg_company)

    def test_segment_set_through_rpc_is_kept_too(self):
        self.customer_big.write({"segment_id": self.seg_consumer.id})
        self.assertTrue(self.customer_big.segment_locked)
        self.Segment._assign_partners()
        self.assertEqual(self.customer_big.segment_id, self.seg_consumer)
        # Clearing the segment by hand gives the customer back to the rules.
        self.customer_big.write({"segment_id": False})
        self.assertFalse(self.customer_big.segment_locked)
        self.Segment._assign_partners()
        self.assertEqual(self.customer_big.segment_id, self.seg_big)

    def test_archived_segment_releases_its_customers(self):
        self.Segment._assign_partners()
        self.seg_consumer.active = False
        self.Segment._assign_partners()
        self.assertFalse(self.consumer.segment_id)

    def test_invalid_rule_is_refused(self):
        with self.assertRaises(ValidationError):
            self.Segment.create(
                {"name": "Bad", "code": "BAD", "domain": "[('nope', '=', 1)]"}
            )
        with self.assertRaises(ValidationError):
            self.seg_big.domain = "not a domain ("
        self.assertIn("revenue_12m", self.seg_big.domain)

    def test_only_managers_configure_segments(self):
        with self.assertRaises(AccessError):
            self.seg_big.with_user(self.analyst).write({"sequence": 5})
        self.assertEqual(self.seg_big.with_user(self.analyst).name, "Big Buyers")
        self.seg_big.with_user(self.analytics_manager).write({"sequence": 5})
        self.seg_big.with_user(self.analytics_manager).action_assign()
        self.assertEqual(self.customer_big.segment_id, self.seg_company)
