# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.sql_db import db_connect
from odoo.tests.common import BaseCase, tagged

from .common import build_scenario


@tagged("post_install", "-at_install")
class TestConcurrentApprovals(BaseCase):
    """Two approvers of one step click at the same moment, on two connections.

    The data must be committed for a second connection to see it, so this test
    builds it on its own cursor and deletes it afterwards.
    """

    def setUp(self):
        super().setUp()
        self.dbname = self.env_dbname()
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            data = build_scenario(env, prefix="b2bc")
            rule = data["rule_manager"]
            rule.write({"approver_type": "limit"})
            order = env["sale.order"].with_user(data["requester"].user_id)
            order = order.b2b_portal_new_quote()
            order.b2b_portal_add_product(data["desk"].id, [], 5)
            order.action_b2b_submit()
            self.order_id = order.id
            self.approvers = {
                key: data[key].user_id.id for key in ("lead", "head", "cfo")
            }
            self.ids = {key: value.ids for key, value in data.items()}
        self.addCleanup(self._delete_scenario)

    def env_dbname(self):
        from odoo.tools import config

        return (
            config["db_name"][0]
            if isinstance(config["db_name"], list)
            else config["db_name"]
        )

    def _delete_scenario(self):
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.message"].search(
                [("model", "=", "sale.order"), ("res_id", "=", self.order_id)]
            ).unlink()
            env["sale.order"].browse(self.order_id).unlink()
            env["b2b.account"].browse(
                self.ids["account"] + self.ids["other_account"]
            ).unlink()
            users = env["res.users"].search([("login", "=like", "b2bc_%")])
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            env["res.partner"].browse(
                self.ids["customer"] + self.ids["other_customer"]
            ).unlink()
            for key in ("desk", "chair", "secret", "laptop"):
                env["product.template"].browse(self.ids[key]).unlink()
            env["product.pricelist"].browse(self.ids["pricelist"]).unlink()
            env["product.attribute"].browse(self.ids["ram"]).unlink()
            env["product.category"].browse(
                self.ids["category"] + self.ids["other_category"]
            ).unlink()

    def _approve(self, cr, key, comment):
        env = api.Environment(cr, self.approvers[key], {"tracking_disable": True})
        env["sale.order"].browse(self.order_id).action_b2b_approve(comment)

    def test_concurrent_approvals_end_in_one_decision(self):
        with (
            db_connect(self.dbname).cursor() as cr1,
            db_connect(self.dbname).cursor() as cr2,
        ):
            # The head approves; before that transaction commits, the CFO clicks.
            self._approve(cr1, "head", "head first")
            with self.assertRaisesRegex(UserError, "Someone else is acting"):
                self._approve(cr2, "cfo", "cfo second")
            cr2.rollback()
            cr1.commit()
            # Once the head's decision is in, the CFO is told it is decided.
            with self.assertRaisesRegex(UserError, "not waiting for approval"):
                self._approve(cr2, "cfo", "cfo again")
            cr2.rollback()
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual(order.b2b_state, "approved")
            step = order.b2b_approval_ids
            self.assertEqual(len(step), 1)
            self.assertEqual(step.decided_by_id.user_id.id, self.approvers["head"])
            self.assertEqual(step.comment, "head first")

    def test_step_row_lock_keeps_the_escalation_and_a_decision_apart(self):
        with (
            db_connect(self.dbname).cursor() as cr1,
            db_connect(self.dbname).cursor() as cr2,
        ):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            step = env1["sale.order"].browse(self.order_id).b2b_approval_ids
            # The escalation cron holds the step (it adds approvers to it) ...
            self.assertEqual(step._b2b_lock_free(), step)
            # ... so an approver clicking meanwhile is told to try again.
            with self.assertRaisesRegex(UserError, "Someone else is acting"):
                self._approve(cr2, "cfo", "during the escalation")
            cr2.rollback()
            cr1.rollback()
            # An approver deciding holds it in turn: the cron skips the step.
            self._approve(cr1, "cfo", "cfo decides")
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            self.assertFalse(env2["b2b.approval"].browse(step.id)._b2b_lock_free())
            cr2.rollback()
            cr1.commit()
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual(order.b2b_state, "approved")
            self.assertEqual(order.b2b_approval_ids.comment, "cfo decides")

    def test_reminder_cron_on_two_nodes_reminds_once(self):
        """The reminder cron started on two nodes at once reminds the step once."""
        with db_connect(self.dbname).cursor() as cr:
            # Idle for 30 hours: due for its reminder (24 h), not for escalation.
            cr.execute(
                "UPDATE b2b_approval SET pending_since = "
                "now() at time zone 'UTC' - interval '30 hours' WHERE order_id = %s",
                [self.order_id],
            )
        order_id = self.order_id
        Approval = Registry(self.dbname)["b2b.approval"]
        # Only this scenario's step: the database's others are left alone.

        def scoped(original):
            def domain(self, company):
                return [*original(self, company), ("order_id", "=", order_id)]

            return domain

        for name in ("_due_for_reminder_domain", "_due_for_escalation_domain"):
            patcher = patch.object(Approval, name, scoped(getattr(Approval, name)))
            patcher.start()
            self.addCleanup(patcher.stop)
        barrier = threading.Barrier(2)
        errors = []

        def node():
            try:
                with db_connect(self.dbname).cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait()
                    env["b2b.approval"]._cron_remind_and_escalate()
            except Exception as error:  # reported by the test
                errors.append(error)

        nodes = [threading.Thread(target=node) for _n in range(2)]
        for thread in nodes:
            thread.start()
        for thread in nodes:
            thread.join(timeout=60)
        self.assertFalse(errors)
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            step = order.b2b_approval_ids
            self.assertTrue(step.reminded_on)
            self.assertFalse(step.escalated_on)
            reminders = order.message_ids.filtered(
                lambda message: "Reminder:" in (message.body or "")
            )
            self.assertEqual(len(reminders), 1)
