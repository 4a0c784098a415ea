# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import B2bCase


@tagged("post_install", "-at_install")
class TestSecurity(B2bCase):
    """Every rule holds on the server, whoever calls (the RPC path: with_user)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="b2bt_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.b2b_user = new_test_user(
            cls.env, login="b2bt_b2b_user", groups="crm_b2b_portal.group_b2b_user"
        )
        cls.b2b_manager = new_test_user(
            cls.env,
            login="b2bt_b2b_manager",
            groups="crm_b2b_portal.group_b2b_manager",
        )
        # A contact of the customer with a portal login but no membership, an
        # archived member and a member without any role.
        cls.contact_user = new_test_user(
            cls.env, login="b2bt_contact", groups="base.group_portal"
        )
        cls.contact_user.partner_id.parent_id = cls.customer
        cls.archived = cls.extra_member("archived", role_approver=True)
        cls.archived.active = False
        cls.roleless = cls.extra_member("roleless", role_requester=False)

    def chain_of(self, length):
        """Rules for a chain of ``length`` steps: manager, department, finance."""
        rules = [
            {
                "name": "Department",
                "account_id": self.account.id,
                "sequence": 2,
                "approver_type": "members",
                "member_ids": [Command.set(self.head.ids)],
            },
            {
                "name": "Finance",
                "account_id": self.account.id,
                "sequence": 3,
                "approver_type": "members",
                "member_ids": [Command.set(self.cfo.ids)],
            },
        ]
        self.env["b2b.approval.rule"].create(rules[: length - 1])

    # 1. The approval status is the chain's --------------------------------------

    def test_salesperson_cannot_set_the_approval_status(self):
        order = self.submitted()
        as_salesman = order.with_user(self.salesman)
        for vals in (
            {"b2b_state": "approved"},
            {"b2b_approved_on": "2030-01-01 00:00:00"},
            {"b2b_submission": 7},
            {"b2b_approval_ids": [Command.create({"name": "Fake"})]},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_salesman.write(vals)
        self.assertEqual(order.b2b_state, "pending")
        self.assertEqual(len(order.sudo().b2b_approval_ids), 1)
        Order = self.env["sale.order"].with_user(self.salesman)
        values = {"partner_id": self.customer.id, "b2b_account_id": self.account.id}
        with self.assertRaises(AccessError):
            Order.create({**values, "b2b_state": "approved"})
        with self.assertRaises(AccessError):
            Order.with_context(default_b2b_state="approved").create(values)
        # A quote the salesperson creates on an account starts as a draft.
        self.assertEqual(Order.create(values).b2b_state, "draft")
        with self.assertRaisesRegex(UserError, "approval chain"):
            as_salesman.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_confirmation_checks_the_chain_not_the_status(self):
        # Say the status was forced to "approved" while a step is still pending.
        order = self.submitted()
        order.sudo().b2b_state = "approved"
        with self.assertRaisesRegex(UserError, "approval chain"):
            order.with_user(self.salesman).action_confirm()
        with self.assertRaisesRegex(UserError, "approval chain"):
            order.with_user(self.purchaser.user_id).action_b2b_place_order()
        self.assertEqual(order.state, "draft")

    def test_confirmation_refuses_a_quote_changed_since_submission(self):
        order = self.submitted()
        self.as_member(order, self.lead).action_b2b_approve("ok")
        self.assertEqual(order.b2b_state, "approved")
        # A price changed behind the ORM's back (no approval voided).
        self.env.cr.execute(
            "UPDATE sale_order_line SET price_unit = 1 WHERE order_id = %s",
            [order.id],
        )
        order.order_line.invalidate_recordset(["price_unit"])
        with self.assertRaisesRegex(UserError, "changed after it was submitted"):
            order.with_user(self.purchaser.user_id).action_b2b_place_order()
        with self.assertRaisesRegex(UserError, "changed after it was submitted"):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.b2b_state, "approved")

    def test_vendor_confirms_an_approved_unchanged_quote(self):
        order = self.submitted()
        self.as_member(order, self.lead).action_b2b_approve("ok")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.b2b_state, "ordered")

    def test_b2b_user_reads_b2b_quotes_and_writes_no_order(self):
        self.assertFalse(self.b2b_user.has_group("sales_team.group_sale_salesman"))
        order = self.submitted()
        other = self.env["sale.order"].create({"partner_id": self.customer.id})
        Order = self.env["sale.order"].with_user(self.b2b_user)
        self.assertEqual(Order.search([("id", "in", (order | other).ids)]), order)
        self.assertEqual(
            order.with_user(self.b2b_user).b2b_approval_ids.state, "pending"
        )
        with self.assertRaises(AccessError):
            order.with_user(self.b2b_user).write({"client_order_ref": "X"})
        with self.assertRaises(UserError):
            order.with_user(self.b2b_user).action_confirm()
        with self.assertRaises(AccessError):
            other.with_user(self.b2b_user).read(["name"])
        self.assertFalse(order.client_order_ref)
        self.assertEqual(order.state, "draft")

    def test_approval_steps_are_written_by_the_chain_only(self):
        order = self.submitted()
        step = self.steps(order)
        for user in (self.b2b_manager, self.salesman, self.lead.user_id):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    step.with_user(user).write({"state": "approved"})
                with self.assertRaises(AccessError):
                    step.with_user(user).create(
                        {"order_id": order.id, "name": "Fake", "state": "approved"}
                    )
                with self.assertRaises(AccessError):
                    step.with_user(user).unlink()
        self.assertEqual(step.state, "pending")
        self.assertEqual(len(order.sudo().b2b_approval_ids), 1)
        with self.assertRaises(AccessError):
            order.with_user(self.b2b_manager).write({"b2b_state": "approved"})
        self.assertEqual(order.b2b_state, "pending")

    # 2. Chains of several steps ---------------------------------------------------

    def test_reject_first_step_of_a_two_step_chain(self):
        self.chain_of(2)
        order = self.submitted()
        self.assertEqual(self.steps(order).mapped("state"), ["pending", "waiting"])
        self.as_member(order, self.lead).action_b2b_reject("Not this quarter")
        self.assertEqual(order.b2b_state, "rejected")
        self.assertEqual(
            order.sudo().b2b_approval_ids.mapped("state"), ["rejected", "cancelled"]
        )
        # The department head, never asked, does not even see the quote.
        with self.assertRaisesRegex(AccessError, "do not give you access"):
            self.as_member(order, self.head).action_b2b_approve("late")
        self.assertEqual(order.b2b_state, "rejected")

    def test_reject_middle_step_of_a_three_step_chain(self):
        self.chain_of(3)
        order = self.submitted()
        self.as_member(order, self.lead).action_b2b_approve("fine")
        self.as_member(order, self.head).action_b2b_reject("Over budget")
        self.assertEqual(order.b2b_state, "rejected")
        self.assertEqual(
            order.sudo().b2b_approval_ids.mapped("state"),
            ["approved", "rejected", "cancelled"],
        )
        with self.assertRaisesRegex(AccessError, "do not give you access"):
            order.with_user(self.purchaser.user_id).action_b2b_place_order()
        self.assertEqual(order.state, "draft")

    def test_reject_first_step_of_a_three_step_chain_then_resubmit(self):
        self.chain_of(3)
        order = self.submitted()
        self.as_member(order, self.lead).action_b2b_reject("Wrong cost centre")
        self.assertEqual(
            order.sudo().b2b_approval_ids.mapped("state"),
            ["rejected", "cancelled", "cancelled"],
        )
        order.with_user(self.requester.user_id).action_b2b_submit()
        for member in (self.lead, self.head, self.cfo):
            self.as_member(order, member).action_b2b_approve("ok")
        self.assertEqual(order.b2b_state, "approved")
        order.with_user(self.purchaser.user_id).action_b2b_place_order()
        self.assertEqual(order.state, "sale")

    def test_all_mode_step_in_a_two_step_chain(self):
        self.rule_manager.write(
            {
                "approver_type": "members",
                "mode": "all",
                "member_ids": [Command.set((self.lead | self.head).ids)],
            }
        )
        self.env["b2b.approval.rule"].create(
            {
                "name": "Finance",
                "account_id": self.account.id,
                "sequence": 3,
                "approver_type": "members",
                "member_ids": [Command.set(self.cfo.ids)],
            }
        )
        order = self.submitted()
        self.as_member(order, self.lead).action_b2b_approve("me")
        self.as_member(order, self.head).action_b2b_approve("me too")
        first, second = self.steps(order)
        self.assertEqual(first.approved_member_ids, self.lead | self.head)
        self.assertEqual((first.state, second.state), ("approved", "pending"))
        self.as_member(order, self.cfo).action_b2b_reject("No")
        self.assertEqual(order.b2b_state, "rejected")

    # 3. Who reads which quote --------------------------------------------------------

    def test_quote_visibility_by_role_through_rpc(self):
        draft = self.quote()
        pending = self.submitted()
        approved = self.submitted()
        self.as_member(approved, self.lead).action_b2b_approve("ok")
        ordered = self.submitted()
        self.as_member(ordered, self.lead).action_b2b_approve("ok")
        ordered.with_user(self.purchaser.user_id).action_b2b_place_order()
        everything = draft | pending | approved | ordered
        expected = {
            self.requester.user_id: everything,
            self.lead.user_id: pending | approved | ordered,
            self.head.user_id: self.env["sale.order"],
            self.purchaser.user_id: approved | ordered,
            self.admin.user_id: everything,
            self.stranger.user_id: self.env["sale.order"],
            self.contact_user: self.env["sale.order"],
            self.archived.user_id: self.env["sale.order"],
            self.roleless.user_id: self.env["sale.order"],
        }
        for user, visible in expected.items():
            with self.subTest(user=user.login):
                Order = self.env["sale.order"].with_user(user)
                found = Order.search([("id", "in", everything.ids)])
                self.assertEqual(set(found.ids), set(visible.ids))
                hidden = everything - visible
                if hidden:
                    with self.assertRaises(AccessError):
                        hidden.with_user(user).read(["name", "note"])
                Line = self.env["sale.order.line"].with_user(user)
                self.assertEqual(
                    Line.search([("order_id", "in", everything.ids)]).order_id,
                    visible,
                )
                Step = self.env["b2b.approval"].with_user(user)
                self.assertEqual(
                    Step.search([("order_id", "in", everything.ids)]).order_id,
                    visible.filtered("b2b_approval_ids"),
                )
                Message = self.env["mail.message"].with_user(user)
                messages = Message.search(
                    [("model", "=", "sale.order"), ("res_id", "in", everything.ids)]
                )
                self.assertLessEqual(set(messages.mapped("res_id")), set(visible.ids))

    def test_non_members_read_no_member_nor_account(self):
        for user in (self.contact_user, self.archived.user_id):
            with self.subTest(user=user.login):
                Member = self.env["b2b.member"].with_user(user)
                self.assertFalse(Member.search([]))
                with self.assertRaises(AccessError):
                    self.lead.with_user(user).read(["approval_limit"])
                self.assertFalse(self.env["b2b.account"].with_user(user).search([]))
                self.assertFalse(self.env["b2b.cost.center"].with_user(user).search([]))
        # Members read their own account's directory, not another account's.
        directory = self.env["b2b.member"].with_user(self.requester.user_id)
        self.assertEqual(directory.search([]).account_id, self.account)

    def test_portal_users_write_no_quote(self):
        order = self.quote()
        with self.assertRaises(AccessError):
            order.with_user(self.requester.user_id).write({"client_order_ref": "X"})
        with self.assertRaises(AccessError):
            order.order_line.with_user(self.requester.user_id).write(
                {"price_unit": 0.01}
            )
        self.assertEqual(order.order_line.price_unit, 90.0)
        # Even approved, the quote is confirmed through the purchaser's method.
        order.with_user(self.requester.user_id).action_b2b_submit()
        self.as_member(order, self.lead).action_b2b_approve("ok")
        for member in (self.requester, self.lead, self.purchaser):
            with self.subTest(member=member.name), self.assertRaises(AccessError):
                order.with_user(member.user_id).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.b2b_state, "approved")

    # 4. Reorder at today's prices ----------------------------------------------

    def test_reorder_takes_todays_prices_and_drops_old_products(self):
        order = self.quote(lines=[(self.desk, 2, []), (self.chair, 1, [])])
        order.sudo().b2b_cost_center_id = self.account.cost_center_ids[0]
        # A price and discount set by hand, then new negotiated prices, and the
        # chair leaves the catalog.
        desk_line = order.sudo().order_line.filtered(
            lambda ln: ln.product_id == self.desk.product_variant_id
        )
        desk_line.write({"price_unit": 1.0, "discount": 50})
        self.pricelist.item_ids.percent_price = 20
        self.chair.categ_id = self.other_category
        copy = order.with_user(self.requester.user_id).action_b2b_duplicate()
        copy_sudo = copy.sudo()
        self.assertEqual(copy_sudo.order_line.product_id, self.desk.product_variant_id)
        self.assertEqual(copy_sudo.order_line.product_uom_qty, 2)
        self.assertEqual(copy_sudo.order_line.price_unit, 80.0)
        self.assertEqual(copy_sudo.order_line.discount, 0)
        self.assertEqual(copy_sudo.amount_untaxed, 160.0)
        self.assertEqual(copy_sudo.b2b_state, "draft")
        self.assertEqual(copy_sudo.b2b_requester_id, self.requester)
        self.assertEqual(copy_sudo.b2b_cost_center_id, self.account.cost_center_ids[0])
        note = copy_sudo.message_ids.filtered(lambda m: "Reordered from" in m.body)
        self.assertIn(self.chair.name, note.body)
        self.assertEqual(desk_line.price_unit, 1.0)  # the original is untouched

    def test_reorder_of_nothing_left_in_the_catalogue_creates_nothing(self):
        order = self.quote(lines=[(self.chair, 1, [])])
        self.chair.categ_id = self.other_category
        Order = self.env["sale.order"]
        count = Order.search_count([])
        with self.assertRaisesRegex(UserError, "in your catalog any more"):
            order.with_user(self.requester.user_id).action_b2b_duplicate()
        self.assertEqual(Order.search_count([]), count)

    def test_reorder_only_by_requesters_who_see_the_quote(self):
        order = self.submitted()
        self.as_member(order, self.lead).action_b2b_approve("ok")
        count = self.env["sale.order"].search_count([])
        for user, error in (
            (self.purchaser.user_id, "Only requesters"),
            (self.stranger.user_id, "do not give you access"),
            (self.contact_user, "do not give you access"),
            (self.salesman, "Only members"),
        ):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, error):
                    order.with_user(user).action_b2b_duplicate()
        self.assertEqual(self.env["sale.order"].search_count([]), count)

    # 9. Catalog, names, companies -------------------------------------------

    def test_catalogue_is_confidential_through_rpc(self):
        exclusive_category = self.env["product.category"].create(
            {"name": "b2bt Contoso only"}
        )
        exclusive = self.env["product.template"].create(
            {"name": "b2bt Exclusive", "categ_id": exclusive_category.id}
        )
        self.account.product_ids = [Command.link(exclusive.id)]
        Template = self.env["product.template"]
        for user, readable in (
            (self.requester.user_id, self.desk | exclusive),
            (self.stranger.user_id, self.desk),
            (self.contact_user, Template),
        ):
            with self.subTest(user=user.login):
                found = Template.with_user(user).search(
                    [("id", "in", (self.desk | exclusive | self.secret).ids)]
                )
                self.assertEqual(found, readable)
                for hidden in (self.desk | exclusive | self.secret) - readable:
                    with self.assertRaises(AccessError):
                        hidden.with_user(user).read(["name", "list_price"])
                    with self.assertRaises(AccessError):
                        hidden.product_variant_id.with_user(user).read(["lst_price"])
        self.assertEqual(
            self.desk.with_user(self.requester.user_id).read(["list_price"])[0][
                "list_price"
            ],
            100.0,
        )

    def test_portal_users_change_no_catalogue_nor_member(self):
        user = self.admin.user_id
        with self.assertRaises(AccessError):
            self.account.with_user(user).write({"pricelist_id": False})
        with self.assertRaises(AccessError):
            self.lead.with_user(user).write({"approval_limit": 10**9})
        with self.assertRaises(AccessError):
            self.rule_manager.with_user(user).write({"amount_min": 10**9})
        with self.assertRaises(AccessError):
            self.desk.with_user(user).write({"list_price": 1})
        self.assertEqual(self.lead.approval_limit, 1000)
        self.assertEqual(self.desk.list_price, 100)

    def test_member_management_refused_to_non_admins(self):
        for user in (
            self.requester.user_id,
            self.lead.user_id,
            self.stranger.user_id,  # the admin of another account
            self.contact_user,
        ):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.lead.with_user(user).b2b_portal_write({"approval_limit": 1e6})
                if user != self.stranger.user_id:
                    with self.assertRaises(AccessError):
                        self.env["b2b.member"].with_user(user).b2b_portal_invite(
                            "Mallory", "mallory@example.com", {}
                        )
        # Even an admin changes only the fields the portal offers.
        with self.assertRaisesRegex(AccessError, "cannot be changed"):
            self.lead.with_user(self.admin.user_id).b2b_portal_write(
                {"account_id": self.other_account.id}
            )
        self.assertEqual(self.lead.approval_limit, 1000)
        self.assertEqual(self.lead.account_id, self.account)
        self.assertFalse(
            self.env["res.users"].search([("login", "=", "mallory@example.com")])
        )

    def test_admin_keeps_own_admin_role(self):
        with self.assertRaisesRegex(ValidationError, "your own admin role"):
            self.admin.with_user(self.admin.user_id).b2b_portal_write(
                {"role_admin": False}
            )
        self.assertTrue(self.admin.role_admin)

    def test_backend_actions_refused_to_portal_users(self):
        for user in (self.admin.user_id, self.stranger.user_id):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.account.with_user(user).action_view_orders()
                with self.assertRaises(AccessError):
                    self.account.with_user(user).action_view_members()
        action = self.account.with_user(self.b2b_user).action_view_orders()
        self.assertEqual(action["domain"], [("b2b_account_id", "=", self.account.id)])

    def test_account_and_rule_names_default(self):
        partner = self.env["res.partner"].create(
            {"name": "b2bt Northwind", "is_company": True}
        )
        account = self.env["b2b.account"].create(
            {"partner_id": partner.id, "pricelist_id": self.pricelist.id}
        )
        self.assertEqual(account.name, "b2bt Northwind")
        rule = self.env["b2b.approval.rule"].create(
            {
                "account_id": account.id,
                "approver_type": "limit",
                "amount_min": 500,
                "amount_max": 2000,
            }
        )
        self.assertIn("Any Approver Whose Limit Covers the Amount", rule.name)
        self.assertIn("500.00", rule.name)
        self.assertIn("2,000.00", rule.name)
        named = self.env["b2b.approval.rule"].create(
            {"account_id": account.id, "name": "Board", "approver_type": "limit"}
        )
        named.amount_min = 10
        self.assertEqual(named.name, "Board")

    def test_account_pricelist_of_another_company_refused(self):
        other_company = self.env["res.company"].create({"name": "b2bt Other Co"})
        pricelist = self.env["product.pricelist"].create(
            {"name": "b2bt Other Co prices", "company_id": other_company.id}
        )
        with self.assertRaises(UserError):
            self.account.pricelist_id = pricelist
            self.account.flush_recordset()
        self.assertEqual(self.account.pricelist_id, self.pricelist)
