# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .common import B2bHttpCase


@tagged("post_install", "-at_install")
class TestBuyerJourneyTour(B2bHttpCase):
    def test_requester_approver_purchaser_journey(self):
        self.start_tour(
            "/my/premier", "crm_b2b_portal_requester_tour", login="b2bt_requester"
        )
        order = self.env["sale.order"].search(
            [("b2b_requester_id", "=", self.requester.id)]
        )
        self.assertEqual(order.b2b_state, "pending")
        self.assertEqual(order.client_order_ref, "PO-TOUR-1")
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(order.amount_untaxed, 2520.0)  # 2 x (1,000 + 400) less 10 %
        approver = order.b2b_approval_ids.member_ids
        self.assertEqual(approver, self.head)  # the lead's limit is too low
        self.start_tour(
            "/my/premier/approvals", "crm_b2b_portal_approver_tour", login="b2bt_head"
        )
        self.assertEqual(order.b2b_state, "approved")
        self.start_tour(
            "/my/premier/quotes",
            "crm_b2b_portal_purchaser_tour",
            login="b2bt_purchaser",
        )
        self.assertEqual(order.b2b_state, "ordered")
        self.assertEqual(order.state, "sale")
