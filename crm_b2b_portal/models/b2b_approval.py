# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields, models

CRON_BATCH = 200


class B2bApproval(models.Model):
    _name = "b2b.approval"
    _inherit = ["b2b.chain.mixin"]
    _description = "B2B Approval Step"
    _order = "order_id, sequence, id"
    # Steps are built and decided by the chain's methods only.
    _b2b_chain_fields = frozenset(
        {
            "order_id",
            "rule_id",
            "name",
            "sequence",
            "submission",
            "mode",
            "member_ids",
            "approved_member_ids",
            "state",
            "decided_by_id",
            "decided_on",
            "comment",
            "pending_since",
            "reminded_on",
            "escalated_on",
        }
    )

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True
    )
    account_id = fields.Many2one(related="order_id.b2b_account_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    rule_id = fields.Many2one("b2b.approval.rule", ondelete="set null")
    name = fields.Char(string="Step", required=True)
    sequence = fields.Integer(default=10)
    submission = fields.Integer(
        help="Number of the quote's submission this step belongs to.",
    )
    approver_type = fields.Selection(
        related="rule_id.approver_type", string="Approver Type"
    )
    mode = fields.Selection(
        [("any", "Any One of Them"), ("all", "All of Them")],
        required=True,
        default="any",
    )
    member_ids = fields.Many2many(
        "b2b.member",
        "b2b_approval_member_rel",
        "approval_id",
        "member_id",
        string="Approvers",
    )
    approved_member_ids = fields.Many2many(
        "b2b.member",
        "b2b_approval_approved_member_rel",
        "approval_id",
        "member_id",
        string="Approved By",
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting"),
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="waiting",
        required=True,
        index=True,
    )
    decided_by_id = fields.Many2one("b2b.member")
    decided_on = fields.Datetime()
    comment = fields.Text()
    pending_since = fields.Datetime(index=True)
    reminded_on = fields.Datetime()
    escalated_on = fields.Datetime()

    def _b2b_lock_subjects(self):
        return self.sudo().order_id.mapped("name")

    def _start(self):
        """Make these steps the current ones and tell their approvers."""
        self.write({"state": "pending", "pending_since": fields.Datetime.now()})
        for step in self:
            step.order_id._b2b_notify(
                step._deciders(),
                self.env._(
                    "Quote %(order)s (%(amount)s) waits for your approval "
                    "(step: %(step)s).",
                    order=step.order_id.name,
                    amount=step.order_id._b2b_amount_text(),
                    step=step.name,
                ),
            )

    def _deciders(self):
        """Approvers who have not decided yet, plus their active delegates."""
        self.ensure_one()
        members = self.member_ids - self.approved_member_ids
        today = fields.Date.context_today(self)
        delegates = members.filtered(
            lambda m: m.delegate_id and m.delegate_id._is_delegate_of(m, today)
        ).delegate_id
        return members | delegates

    def _acting_for(self, member):
        """The approver of this step ``member`` decides for, or an empty recordset."""
        self.ensure_one()
        undecided = self.member_ids - self.approved_member_ids
        if member in undecided:
            return member
        today = fields.Date.context_today(self)
        return undecided.filtered(lambda m: member._is_delegate_of(m, today))[:1]

    def _decide(self, decision, member, comment):
        """Close these steps as ``decision`` ("approved", "rejected") by ``member``."""
        self.write(
            {
                "state": decision,
                "decided_by_id": member.id,
                "decided_on": fields.Datetime.now(),
                "comment": comment,
            }
        )

    def _cancel_open(self):
        """Cancel those of these steps that are waiting or pending."""
        self.filtered(lambda s: s.state in ("waiting", "pending")).write(
            {"state": "cancelled"}
        )

    def _cron_remind_and_escalate(self):
        """Remind, then escalate, pending steps idle for too long; once each.

        Works in batches: what is left is reported to the scheduler, which runs
        the job again at once.
        """
        done = remaining = 0
        Approval = self.sudo()
        for company in self.env["res.company"].search([]):
            # Steps an approver is deciding right now wait for the next run.
            domain = Approval._due_for_reminder_domain(company)
            steps = Approval.search(domain, limit=CRON_BATCH)._b2b_lock_free()
            steps._remind()
            done += len(steps)
            remaining += Approval.search_count(domain)

            domain = Approval._due_for_escalation_domain(company)
            steps = Approval.search(domain, limit=CRON_BATCH)._b2b_lock_free()
            steps._escalate()
            done += len(steps)
            remaining += Approval.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _due_for_reminder_domain(self, company):
        """Pending steps of ``company`` idle beyond its reminder delay, unreminded."""
        since = fields.Datetime.now() - timedelta(hours=company.b2b_reminder_hours)
        return [
            ("state", "=", "pending"),
            ("company_id", "=", company.id),
            ("reminded_on", "=", False),
            ("pending_since", "<=", since),
        ]

    def _due_for_escalation_domain(self, company):
        """Pending steps of ``company`` idle longer than its escalation delay,
        not escalated yet."""
        since = fields.Datetime.now() - timedelta(hours=company.b2b_escalation_hours)
        return [
            ("state", "=", "pending"),
            ("company_id", "=", company.id),
            ("escalated_on", "=", False),
            ("pending_since", "<=", since),
        ]

    def _remind(self):
        self.write({"reminded_on": fields.Datetime.now()})
        for step in self:
            step.order_id._b2b_notify(
                step._deciders(),
                self.env._(
                    "Reminder: quote %(order)s has been waiting for your approval "
                    "since %(since)s.",
                    order=step.order_id.name,
                    since=step.pending_since,
                ),
            )

    def _escalate(self):
        """Hand the step to the approvers' authorised managers and warn the admins."""
        self.write({"escalated_on": fields.Datetime.now()})
        for step in self:
            order = step.order_id
            amount = order.amount_untaxed
            managers = self.env["b2b.member"]
            for member in step.member_ids:
                managers |= member._authorised_manager(amount)
            managers -= order.b2b_requester_id | step.member_ids
            admins = order.b2b_account_id.member_ids.filtered("role_admin")
            if managers:
                step.member_ids |= managers
            order._b2b_notify(
                managers | admins,
                self.env._(
                    "Escalation: quote %(order)s has been waiting for approval "
                    "(step: %(step)s) since %(since)s.",
                    order=order.name,
                    step=step.name,
                    since=step.pending_since,
                ),
            )
