# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import B2bCase


@tagged("post_install", "-at_install")
class TestReminderEscalation(B2bCase):
    def notifications(self, order, member):
        return order.sudo().message_ids.filtered(
            lambda m: member.partner_id in m.partner_ids
        )

    def test_reminder_then_escalation_once_each(self):
        self.env.company.write({"b2b_reminder_hours": 24, "b2b_escalation_hours": 48})
        Approval = self.env["b2b.approval"]
        with freeze_time("2030-01-01 08:00:00"):
            order = self.quote()
            order.with_user(self.requester.user_id).action_b2b_submit()
        step = self.steps(order)
        self.assertEqual(len(self.notifications(order, self.lead)), 1)
        with freeze_time("2030-01-01 20:00:00"):
            Approval._cron_remind_and_escalate()
        self.assertFalse(step.reminded_on)
        with freeze_time("2030-01-02 09:00:00"):
            Approval._cron_remind_and_escalate()
            Approval._cron_remind_and_escalate()
        self.assertTrue(step.reminded_on)
        self.assertFalse(step.escalated_on)
        self.assertEqual(len(self.notifications(order, self.lead)), 2)
        self.assertFalse(self.notifications(order, self.head))
        with freeze_time("2030-01-03 09:00:00"):
            Approval._cron_remind_and_escalate()
            Approval._cron_remind_and_escalate()
        self.assertTrue(step.escalated_on)
        # Escalation goes to the lead's authorised manager, who may now decide,
        # and to the account admins; the lead gets no second reminder.
        self.assertEqual(step.member_ids, self.lead | self.head)
        self.assertEqual(len(self.notifications(order, self.head)), 1)
        self.assertEqual(len(self.notifications(order, self.admin)), 1)
        self.assertEqual(len(self.notifications(order, self.lead)), 2)
        with freeze_time("2030-01-10 09:00:00"):
            Approval._cron_remind_and_escalate()
        self.assertEqual(len(self.notifications(order, self.head)), 1)
        self.as_member(order, self.head).action_b2b_approve("escalated to me")
        self.assertEqual(order.b2b_state, "approved")

    def test_decided_steps_are_left_alone(self):
        with freeze_time("2030-01-01 08:00:00"):
            order = self.quote()
            order.with_user(self.requester.user_id).action_b2b_submit()
            self.as_member(order, self.lead).action_b2b_approve("quick")
        with freeze_time("2030-01-05 08:00:00"):
            self.env["b2b.approval"]._cron_remind_and_escalate()
        step = self.steps(order)
        self.assertFalse(step.reminded_on or step.escalated_on)
