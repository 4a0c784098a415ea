# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import Cursor
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import B2bCase

# action_b2b_submit of a two-line quote by its requester.
SUBMIT_QUERIES = 74


@tagged("post_install", "-at_install")
class TestApprovalRules(B2bCase):
    def test_nobody_approves_their_own_quote(self):
        # The lead requests; the rule names the lead among the approvers.
        self.rule_manager.write(
            {
                "approver_type": "members",
                "member_ids": [Command.set((self.lead | self.head).ids)],
            }
        )
        order = self.quote(member=self.lead)
        order.with_user(self.lead.user_id).action_b2b_submit()
        self.assertEqual(self.steps(order).member_ids, self.head)
        with self.assertRaisesRegex(AccessError, "own quote"):
            self.as_member(order, self.lead).action_b2b_approve("mine")
        self.assertEqual(order.b2b_state, "pending")

    def test_over_limit_refused_even_when_named(self):
        order = self.submitted()
        step = self.steps(order)
        step.member_ids |= self.lead
        self.lead.approval_limit = 10  # lowered after submission
        with self.assertRaisesRegex(AccessError, "may not approve"):
            self.as_member(order, self.lead).action_b2b_approve("ok")
        self.assertEqual(step.state, "pending")

    def test_only_step_members_decide(self):
        order = self.submitted()
        for member in (self.head, self.purchaser, self.admin):
            with self.assertRaises(UserError):
                self.as_member(order, member).action_b2b_approve("not mine")
        with self.assertRaises(AccessError):
            self.as_member(order, self.stranger).action_b2b_approve("other company")
        with self.assertRaises(AccessError):
            order.with_user(self.internal).action_b2b_approve("vendor")
        self.assertEqual(self.steps(order).state, "pending")

    def test_modification_voids_approvals(self):
        order = self.submitted()
        self.as_member(order, self.lead).action_b2b_approve("fine")
        self.assertEqual(order.b2b_state, "approved")
        # The vendor changes the quantity in the backend.
        order.sudo().order_line.product_uom_qty = 3
        self.assertEqual(order.b2b_state, "draft")
        self.assertEqual(order.sudo().b2b_approval_ids.state, "cancelled")
        with self.assertRaises(UserError):
            order.with_user(self.purchaser.user_id).action_b2b_place_order()
        # A pending quote whose details change goes back to draft too.
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(order.b2b_state, "pending")
        order.sudo().client_order_ref = "PO-CHANGED"
        self.assertEqual(order.b2b_state, "draft")
        order.with_user(self.requester.user_id).action_b2b_submit()
        order.sudo().order_line = [
            Command.create({"product_id": self.chair.product_variant_id.id})
        ]
        self.assertEqual(order.b2b_state, "draft")
        self.assertFalse(self.steps(order))

    def test_portal_edits_refused_once_submitted(self):
        order = self.submitted()
        line = order.order_line
        with self.assertRaisesRegex(UserError, "submitted meanwhile"):
            order.with_user(self.requester.user_id).b2b_portal_set_quantity(line.id, 9)
        with self.assertRaisesRegex(UserError, "submitted meanwhile"):
            order.with_user(self.requester.user_id).b2b_portal_add_product(
                self.chair.id, [], 1
            )
        self.assertEqual(line.product_uom_qty, 1)
        self.assertEqual(order.b2b_state, "pending")
        # Withdrawing lets the requester change it again.
        order.with_user(self.requester.user_id).action_b2b_reset_to_draft()
        order.with_user(self.requester.user_id).b2b_portal_set_quantity(line.id, 9)
        self.assertEqual(line.product_uom_qty, 9)

    def test_double_submission_is_harmless(self):
        order = self.submitted()
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(len(order.sudo().b2b_approval_ids), 1)
        self.assertEqual(order.b2b_state, "pending")

    def test_quote_without_products_cannot_be_submitted(self):
        order = self.quote()
        order.sudo().order_line = [
            Command.clear(),
            Command.create(
                {"display_type": "line_note", "name": "Deliver to the 3rd floor"}
            ),
        ]
        with self.assertRaisesRegex(UserError, "at least one product"):
            order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(order.b2b_state, "draft")
        self.assertFalse(order.sudo().b2b_approval_ids)

    def test_submit_queries(self):
        """Submitting as the requester: the chain, the log, the approvers'
        e-mail; the lines are not checked against the portal rules again."""
        self.submitted()  # warm the caches
        order = self.quote(lines=[(self.desk, 1, []), (self.desk, 2, [])])
        self.env.invalidate_all()
        with self.assertQueryCount(SUBMIT_QUERIES):
            order.with_user(self.requester.user_id).action_b2b_submit()
        self.assertEqual(order.b2b_state, "pending")

    def test_place_order_needs_purchaser_and_approval(self):
        order = self.submitted()
        # A pending quote is not shown to purchasers at all.
        with self.assertRaisesRegex(AccessError, "do not give you access"):
            order.with_user(self.purchaser.user_id).action_b2b_place_order()
        self.as_member(order, self.lead).action_b2b_approve("ok")
        for member in (self.requester, self.lead, self.admin):
            with self.assertRaisesRegex(AccessError, "purchaser"):
                self.as_member(order, member).action_b2b_place_order()
        with self.assertRaises(AccessError):
            order.with_user(self.stranger.user_id).action_b2b_place_order()
        self.assertEqual(order.state, "draft")
        order.with_user(self.purchaser.user_id).action_b2b_place_order()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.b2b_state, "ordered")
        # A double click places nothing twice.
        order.with_user(self.purchaser.user_id).action_b2b_place_order()
        self.assertEqual(order.state, "sale")

    def test_vendor_cannot_confirm_unapproved_b2b_quote(self):
        order = self.submitted()
        with self.assertRaisesRegex(UserError, "approval chain"):
            order.sudo().action_confirm()
        self.assertEqual(order.state, "draft")

    def test_cancel_cancels_open_steps(self):
        order = self.submitted()
        order.sudo()._action_cancel()
        self.assertEqual(order.b2b_state, "cancelled")
        self.assertEqual(order.sudo().b2b_approval_ids.state, "cancelled")

    def test_delegate_acts_only_within_dates(self):
        self.lead_away("2030-03-01", "2030-03-10")
        # Outside the delegation, the quote is not even shown to the delegate.
        with freeze_time("2030-02-28 12:00:00"):
            order = self.submitted()
            with self.assertRaisesRegex(AccessError, "do not give you access"):
                self.as_member(order, self.head).action_b2b_approve("too early")
        with freeze_time("2030-03-11 12:00:00"):
            with self.assertRaisesRegex(AccessError, "do not give you access"):
                self.as_member(order, self.head).action_b2b_approve("too late")
        with freeze_time("2030-03-05 12:00:00"):
            self.as_member(order, self.head).action_b2b_approve("for the lead")
        step = self.steps(order)
        self.assertEqual(step.state, "approved")
        self.assertEqual(step.decided_by_id, self.head)
        self.assertEqual(step.approved_member_ids, self.lead)
        message = order.sudo().message_ids.filtered(lambda m: "for the lead" in m.body)
        self.assertIn(f"(for {self.lead.name})", message.body)

    def test_deciders_keep_seeing_what_they_decided(self):
        """Each way of having had a say on a step shows the quote by itself,
        after the delegation that gave it is over."""
        self.lead_away("2030-03-01", "2030-03-10")
        with freeze_time("2030-03-05 12:00:00"):
            order = self.submitted()
            self.as_member(order, self.head).action_b2b_approve("for the lead")
        step = self.steps(order)
        # Only as the one the approval was recorded for: not a step member.
        self.env.cr.execute(
            "DELETE FROM b2b_approval_member_rel WHERE approval_id = %s", [step.id]
        )
        step.invalidate_recordset()

        def sees(member):
            Order = self.env["sale.order"].with_user(member.user_id)
            return bool(Order.search([("id", "=", order.id)]))

        with freeze_time("2030-03-20 12:00:00"):
            self.assertTrue(sees(self.head), "decided the step for the lead")
            self.assertTrue(sees(self.lead), "the step's approval is recorded as his")
            self.assertFalse(sees(self.cfo), "an approver with no say on it")
            self.assertTrue(self.as_member(order, self.head).read(["name"]))
            with self.assertRaises(AccessError):
                self.as_member(order, self.cfo).read(["name"])

    def test_visibility_rule_keeps_one_subquery_per_way_of_having_a_say(self):
        """Odoo merges "any" conditions on one field into a single subquery
        that PostgreSQL estimates as a scan of every step; the rule must
        reach the database as three small subqueries, one per way."""
        # As the approver, without the record rules (which apply it again).
        Order = self.env["sale.order"].with_user(self.head.user_id).sudo()
        sql = Order._search([("b2b_visible_to_member", "=", True)]).select()
        code = self.env.cr.mogrify(sql.code, sql.params).decode()
        self.assertEqual(code.count('SELECT "b2b_approval"."order_id"'), 3, code)

    def test_delegate_needs_own_approver_role(self):
        self.lead.write(
            {
                "delegate_id": self.purchaser.id,
                "delegate_date_from": fields.Date.today(),
                "delegate_date_to": fields.Date.today(),
            }
        )
        order = self.submitted()
        # Without the approver role, the delegate does not even see the quote.
        with self.assertRaisesRegex(AccessError, "do not give you access"):
            self.as_member(order, self.purchaser).action_b2b_approve("no role")
        self.assertEqual(self.steps(order).state, "pending")
        # With the role but a limit below the amount, the delegate may not approve.
        self.purchaser.write({"role_approver": True, "approval_limit": 10})
        with self.assertRaisesRegex(AccessError, "may not approve"):
            self.as_member(order, self.purchaser).action_b2b_approve("low limit")
        self.assertEqual(self.steps(order).state, "pending")

    def test_member_constraints(self):
        with self.assertRaises(ValidationError):
            self.cfo.manager_id = self.requester  # cycle cfo > head > lead > requester
        with self.assertRaises(ValidationError):
            self.lead.manager_id = self.stranger  # another company
        with self.assertRaises(ValidationError):
            outsider = new_test_user(
                self.env, "b2bt_outsider", groups="base.group_portal"
            )
            outsider.partner_id.parent_id = self.other_customer
            self.env["b2b.member"].create(
                {"account_id": self.account.id, "user_id": outsider.id}
            )
        with self.assertRaises(ValidationError):
            self.env["b2b.member"].create(
                {"account_id": self.account.id, "user_id": self.internal.id}
            )

    def _three_step_chain(self):
        """Quotes from 5,000 go to the requester's manager, the department
        (the head) and finance (every approver whose limit covers them)."""
        self.lead.approval_limit = 10000
        self.add_department_and_finance(department_from=5000)

    def _quotes_in_every_state(self):
        """Quotes of the three-step chain in each state; the head stands in
        for the lead, the manager."""
        self._three_step_chain()
        today = fields.Date.today()
        self.lead_away(today - timedelta(days=1), today + timedelta(days=1))
        quotes = {"draft": self.quote(lines=[(self.desk, 70, [])])}  # 6,300
        for state in ("first step", "second step", "approved", "rejected"):
            order = quotes[state] = self.submitted(qty=70)
            if state != "first step":
                self.as_member(order, self.head).action_b2b_approve("for the lead")
            if state in ("approved", "rejected"):
                self.as_member(order, self.head).action_b2b_approve("department")
            if state == "approved":
                self.as_member(order, self.cfo).action_b2b_approve("finance")
            if state == "rejected":
                self.as_member(order, self.cfo).action_b2b_reject("over budget")
        self.assertEqual(
            [self.steps(quotes[state]).mapped("state") for state in quotes],
            [
                [],
                ["pending", "waiting", "waiting"],
                ["approved", "pending", "waiting"],
                ["approved", "approved", "approved"],
                ["approved", "approved", "rejected"],
            ],
        )
        return quotes

    def test_visibility_of_given_quotes_agrees_with_the_rule(self):
        """The check of given quotes (reading only their approval steps)
        answers what the record rule answers, whoever asks, whatever the
        quote's state and however the member had a say (delegation included)."""
        quotes = self._quotes_in_every_state()
        orders = self.env["sale.order"].concat(*quotes.values())
        members = (
            self.requester,
            self.lead,
            self.head,
            self.cfo,
            self.purchaser,
            self.admin,
            self.stranger,
        )
        for member in members:
            Order = self.env["sale.order"].with_user(member.user_id)
            by_rule = Order.search([("id", "in", orders.ids)])
            for state, order in quotes.items():
                with self.subTest(member=member.name, quote=state):
                    self.env.invalidate_all()
                    self.assertEqual(
                        order.with_user(member.user_id).b2b_visible_to_member,
                        order in by_rule,
                    )
            # Checked together, each quote gets its own answer.
            self.env.invalidate_all()
            self.assertEqual(
                orders.with_user(member.user_id).filtered("b2b_visible_to_member"),
                by_rule,
                member.name,
            )
        self.assertIn(
            quotes["rejected"],
            orders.with_user(self.head.user_id).filtered("b2b_visible_to_member"),
        )
        self.assertNotIn(
            quotes["draft"],
            orders.with_user(self.cfo.user_id).filtered("b2b_visible_to_member"),
        )

    def test_visibility_of_given_quotes_reads_their_steps_only(self):
        """The approver's history does not enter the check of one quote: the
        three subqueries read the steps of the quotes checked."""
        order = self.submitted()
        domain = self.lead._visible_order_domain([order.id])
        Order = self.env["sale.order"].sudo()
        sql = Order._search([("id", "=", order.id), *domain]).select()
        code = self.env.cr.mogrify(sql.code, sql.params).decode()
        self.assertEqual(code.count('SELECT "b2b_approval"."order_id"'), 3, code)
        self.assertEqual(
            code.count(f'"b2b_approval"."order_id" IN ({order.id})'), 3, code
        )

    def test_deciding_applies_the_record_rules_once(self):
        """A decision checks the member's access to the quote once; the quote
        it locks is reloaded without testing the record rules again (Odoo's
        portal rule tests every quote the customer's contacts follow)."""
        self._three_step_chain()
        order = self.submitted(qty=70)
        queries = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=None):
            queries.append(query.code if isinstance(query, SQL) else query)
            return execute(cr, query, params, log_exceptions)

        for member in (self.lead, self.head, self.cfo):
            self.env.invalidate_all()
            queries.clear()
            with patch.object(Cursor, "execute", spy):
                self.as_member(order, member).action_b2b_approve("ok")
            ruled = [
                query
                for query in queries
                if query.startswith('SELECT "sale_order"."id"')
                and '"mail_followers"."res_model"' in query
            ]
            self.assertEqual(len(ruled), 1, "\n\n".join(ruled))
        self.assertEqual(order.b2b_state, "approved")
        # The access check still refuses a member the quote is not shown to.
        with self.assertRaisesRegex(AccessError, "do not give you access"):
            self.as_member(order, self.stranger).action_b2b_approve("not mine")
