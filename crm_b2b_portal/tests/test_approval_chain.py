# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import B2bCase


@tagged("post_install", "-at_install")
class TestApprovalChain(B2bCase):
    def test_manager_rule_picks_direct_manager_when_limit_covers(self):
        order = self.quote(lines=[(self.desk, 5, [])])  # 450
        self.assertEqual(order.amount_untaxed, 450.0)
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(order.b2b_state, "pending")
        step = self.steps(order)
        self.assertEqual(step.state, "pending")
        self.assertEqual(step.member_ids, self.lead)

    def test_manager_rule_walks_up_to_authorised_manager(self):
        order = self.quote(lines=[(self.desk, 50, [])])  # 4,500: above the lead's limit
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(self.steps(order).member_ids, self.head)
        big = self.quote(lines=[(self.desk, 500, [])])  # 45,000
        big.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(self.steps(big).member_ids, self.cfo)

    def test_nobody_authorised_blocks_submission(self):
        self.cfo.approval_limit = 20000
        order = self.quote(lines=[(self.desk, 500, [])])  # 45,000
        with self.assertRaisesRegex(UserError, "Nobody may approve"):
            order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(order.b2b_state, "draft")
        self.assertFalse(order.sudo().b2b_approval_ids)

    def test_three_level_chain_with_amount_ranges(self):
        self.add_department_and_finance(department_from=500)
        small = self.quote(lines=[(self.desk, 1, [])])
        small.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(self.steps(small).mapped("name"), ["Manager"])
        order = self.quote(lines=[(self.desk, 70, [])])  # 6,300
        order.with_user(self.requester.user_id).action_b2b_submit()
        steps = self.steps(order)
        self.assertEqual(steps.mapped("name"), ["Manager", "Department", "Finance"])
        self.assertEqual(steps.mapped("state"), ["pending", "waiting", "waiting"])
        # "limit": every approver of the account whose limit covers 6,300.
        self.assertEqual(steps[2].member_ids, self.head | self.cfo)
        self.as_member(order, self.head).action_b2b_approve("ok as manager")
        self.assertEqual(steps.mapped("state"), ["approved", "pending", "waiting"])
        self.as_member(order, self.head).action_b2b_approve("ok for the department")
        self.as_member(order, self.cfo).action_b2b_approve("budget ok")
        self.assertEqual(steps.mapped("state"), ["approved"] * 3)
        self.assertEqual(order.b2b_state, "approved")
        self.assertEqual(steps[2].decided_by_id, self.cfo)
        decision = order.sudo().message_ids.filtered(lambda m: "budget ok" in m.body)
        self.assertEqual(decision.author_id, self.cfo.partner_id)
        self.assertIn("Approved by", decision.body)

    def test_amount_max_and_categories_limit_rules(self):
        self.rule_manager.write({"amount_max": 200})
        self.env["b2b.approval.rule"].create(
            {
                "name": "IT hardware",
                "account_id": self.account.id,
                "sequence": 5,
                "approver_type": "members",
                "member_ids": [Command.set(self.cfo.ids)],
                "product_category_ids": [Command.set(self.laptop.categ_id.ids)],
            }
        )
        self.env["b2b.approval.rule"].create(
            {
                "name": "Other category only",
                "account_id": self.account.id,
                "sequence": 6,
                "approver_type": "members",
                "member_ids": [Command.set(self.head.ids)],
                "product_category_ids": [Command.set(self.other_category.ids)],
            }
        )
        order = self.quote(lines=[(self.desk, 5, [])])  # 450 > 200: no manager step
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(self.steps(order).mapped("name"), ["IT hardware"])

    def test_mode_all_needs_every_member(self):
        self.rule_manager.write(
            {
                "approver_type": "members",
                "mode": "all",
                "member_ids": [Command.set((self.lead | self.head).ids)],
            }
        )
        order = self.quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.as_member(order, self.lead).action_b2b_approve("me")
        step = self.steps(order)
        self.assertEqual(step.state, "pending")
        self.assertEqual(order.b2b_state, "pending")
        with self.assertRaisesRegex(UserError, "not waiting for your decision"):
            self.as_member(order, self.lead).action_b2b_approve("twice")
        self.as_member(order, self.head).action_b2b_approve("me too")
        self.assertEqual(step.state, "approved")
        self.assertEqual(order.b2b_state, "approved")

    def test_mode_any_first_approver_decides(self):
        self.rule_manager.write(
            {
                "approver_type": "members",
                "member_ids": [Command.set((self.lead | self.head).ids)],
            }
        )
        order = self.quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.as_member(order, self.head).action_b2b_approve("fine")
        self.assertEqual(order.b2b_state, "approved")
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            self.as_member(order, self.lead).action_b2b_approve("late")

    def test_named_members_without_limit_are_left_out(self):
        self.rule_manager.write(
            {
                "approver_type": "members",
                "member_ids": [Command.set((self.lead | self.head).ids)],
            }
        )
        order = self.quote(lines=[(self.desk, 50, [])])  # 4,500 > lead's limit
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(self.steps(order).member_ids, self.head)

    def test_no_applicable_rule_approves_at_once(self):
        self.rule_manager.amount_min = 1000000
        order = self.quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(order.b2b_state, "approved")

    def test_reject_stops_chain_and_requester_can_resubmit(self):
        order = self.quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        with self.assertRaisesRegex(UserError, "why"):
            self.as_member(order, self.lead).action_b2b_reject("  ")
        self.as_member(order, self.lead).action_b2b_reject("Too expensive")
        self.assertEqual(order.b2b_state, "rejected")
        self.assertEqual(self.steps(order).comment, "Too expensive")
        order.with_user(self.requester.user_id).b2b_portal_set_quantity(
            order.order_line.id, 2
        )
        self.assertEqual(order.b2b_state, "draft")
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(order.b2b_state, "pending")
        self.assertEqual(
            order.sudo().b2b_approval_ids.mapped("state"), ["rejected", "pending"]
        )

    def test_notifications_link_straight_to_the_quote(self):
        order = self.quote()
        order.with_user(self.requester.user_id).action_b2b_submit()
        messages = order.sudo().message_ids
        to_lead = messages.filtered(lambda m: self.lead.partner_id in m.partner_ids)
        self.assertEqual(len(to_lead), 1)
        self.assertIn(f"/my/premier/quotes/{order.id}", to_lead.body)
        self.as_member(order, self.lead).action_b2b_approve("ok")
        to_purchaser = order.sudo().message_ids.filtered(
            lambda m: self.purchaser.partner_id in m.partner_ids
        )
        self.assertEqual(len(to_purchaser), 1)
        self.assertIn("can be ordered", to_purchaser.body)
