# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

CRON_BATCH_SIZE = 1000


class AgingReminderPolicy(models.Model):
    _name = "aging.reminder.policy"
    _description = "Reminder Policy"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    level_ids = fields.One2many(
        "aging.reminder.level", "policy_id", "Levels", copy=True
    )
    log_count = fields.Integer(compute="_compute_log_count", string="Reminders")

    def _compute_log_count(self):
        counts = dict(
            self.env["aging.reminder.log"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.log_count = counts.get(policy, 0)

    def action_view_logs(self):
        """Open the reminders sent under this policy."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_receivables_aging.action_aging_reminder_log"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Reminder engine shared by the cron and the wizard
    # ------------------------------------------------------------------

    @api.model
    def _get_reminder_candidates(self, companies, partner_ids=None):
        """Invoices that reached a reminder level they were not sent yet, grouped
        by customer: a list of dicts with partner_id, company_id, level_id (the
        highest level reached) and moves, a dict move id -> level id."""
        today = fields.Date.context_today(self)
        policies = self.search([("company_id", "in", companies.ids)])
        # The first active policy of each company applies.
        policy_by_company = {}
        for policy in policies:
            policy_by_company.setdefault(policy.company_id.id, policy.id)
        if not policy_by_company:
            return []
        self.env.flush_all()
        partner_filter = (
            SQL("AND move.commercial_partner_id IN %s", tuple(partner_ids))
            if partner_ids
            else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT move.commercial_partner_id, move.company_id, move.id, lvl.id
                  FROM account_move move
                  JOIN res_partner partner ON partner.id = move.commercial_partner_id
                  JOIN aging_reminder_policy policy
                    ON policy.id = (%(policy_of_company)s)
                  CROSS JOIN LATERAL (
                      SELECT level.id, level.days
                        FROM aging_reminder_level level
                       WHERE level.policy_id = policy.id
                         AND level.days <= %(today)s - move.invoice_date_due
                       ORDER BY level.days DESC
                       LIMIT 1
                  ) lvl
                  LEFT JOIN aging_reminder_level sent
                    ON sent.id = move.aging_reminder_level_id
                 WHERE move.company_id IN %(companies)s
                   AND move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.payment_state IN ('not_paid', 'partial')
                   AND move.amount_residual > 0
                   AND move.invoice_date_due IS NOT NULL
                   AND move.aging_dispute IS NOT TRUE
                   AND (move.aging_promise_date IS NULL
                        OR move.aging_promise_date < %(today)s)
                   AND partner.aging_dispute IS NOT TRUE
                   AND (partner.aging_promise_date IS NULL
                        OR partner.aging_promise_date < %(today)s)
                   AND (sent.id IS NULL OR sent.days < lvl.days)
                   %(partner_filter)s
                 ORDER BY move.commercial_partner_id, move.company_id, move.id
                """,
                policy_of_company=SQL(
                    "CASE move.company_id %s END",
                    SQL(" ").join(
                        SQL("WHEN %s THEN %s", company_id, policy_id)
                        for company_id, policy_id in policy_by_company.items()
                    ),
                ),
                today=today,
                companies=tuple(policy_by_company),
                partner_filter=partner_filter,
            )
        )
        groups = {}
        for partner_id, company_id, move_id, level_id in self.env.cr.fetchall():
            group = groups.setdefault(
                (partner_id, company_id),
                {"partner_id": partner_id, "company_id": company_id, "moves": {}},
            )
            group["moves"][move_id] = level_id
        levels = self.env["aging.reminder.level"].browse(
            {lvl for group in groups.values() for lvl in group["moves"].values()}
        )
        days = dict(levels.mapped(lambda lvl: (lvl.id, lvl.days)))
        for group in groups.values():
            group["level_id"] = max(group["moves"].values(), key=days.get)
        return list(groups.values())

    @api.model
    def _send_reminders(self, groups):
        """Send one reminder per customer group, log it, mark each invoice with its
        level and apply the escalations. Returns the created logs."""
        if not groups:
            return self.env["aging.reminder.log"]
        partners = self.env["res.partner"].browse([g["partner_id"] for g in groups])
        emails = dict(partners.mapped(lambda p: (p.id, p.email)))
        levels = self.env["aging.reminder.level"].browse(
            {g["level_id"] for g in groups}
        )
        channel_of = dict(levels.mapped(lambda lvl: (lvl.id, lvl.channel)))
        vals_list = []
        for group in groups:
            channel = channel_of[group["level_id"]]
            note = False
            if channel == "email" and not emails[group["partner_id"]]:
                channel = "letter"
                note = self.env._(
                    "The customer has no e-mail address: sent as a letter."
                )
            vals_list.append(
                {
                    "partner_id": group["partner_id"],
                    "company_id": group["company_id"],
                    "level_id": group["level_id"],
                    "move_ids": [fields.Command.set(list(group["moves"]))],
                    "channel": channel,
                    "note": note,
                }
            )
        logs = self.env["aging.reminder.log"].create(vals_list)
        logs._dispatch()
        moves_by_level = defaultdict(list)
        for group in groups:
            for move_id, level_id in group["moves"].items():
                moves_by_level[level_id].append(move_id)
        # A plain update of this technical field: writing posted invoices through
        # the ORM would resynchronise all their lines, for nothing.
        for level_id, move_ids in moves_by_level.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET aging_reminder_level_id = %s "
                    "WHERE id = ANY(%s)",
                    level_id,
                    move_ids,
                )
            )
        self.env["account.move"].browse(
            [move_id for group in groups for move_id in group["moves"]]
        ).invalidate_recordset(["aging_reminder_level_id"])
        return logs

    @api.model
    def _cron_send_reminders(self):
        """Send the reminders due today, a batch of customers at a time."""
        companies = self.env["res.company"].search([])
        groups = self._get_reminder_candidates(companies)
        batch = groups[:CRON_BATCH_SIZE]
        self._send_reminders(batch)
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=len(groups) - len(batch)
        )
