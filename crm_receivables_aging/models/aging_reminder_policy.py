# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, mute_logger

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
        return self._get_reminder_batch(companies, partner_ids=partner_ids)[0]

    @api.model
    def _get_reminder_batch(self, companies, partner_ids=None, limit=None):
        """The candidates of ``_get_reminder_candidates``, only the first ``limit``
        customer groups of them when a limit is given, and the number of groups
        in all, without loading the invoices of the groups left for later."""
        today = fields.Date.context_today(self)
        policies = self.search([("company_id", "in", companies.ids)])
        # The first active policy of each company applies.
        policy_by_company = {}
        for policy in policies:
            policy_by_company.setdefault(policy.company_id.id, policy.id)
        if not policy_by_company:
            return [], 0
        self.env.flush_all()
        partner_filter = (
            SQL("AND move.commercial_partner_id IN %s", tuple(partner_ids))
            if partner_ids
            else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                WITH credits AS (
                    -- Unapplied credits as the receivables exposure counts them.
                    SELECT l.partner_id, l.company_id, -SUM(l.residual) AS amount
                      FROM (%(open_lines)s) l
                     WHERE l.residual < 0
                     GROUP BY l.partner_id, l.company_id
                ), reached AS (
                SELECT move.commercial_partner_id AS partner_id,
                       move.company_id, move.id AS move_id, lvl.id AS level_id,
                       SUM(move.amount_residual_signed) OVER (
                           PARTITION BY move.commercial_partner_id, move.company_id
                       ) AS group_amount
                  FROM account_move move
                  JOIN res_partner partner ON partner.id = move.commercial_partner_id
                  JOIN aging_reminder_policy policy
                    ON policy.id = (%(policy_of_company)s)
                  -- The highest level reached: each level runs until the next.
                  JOIN (
                      SELECT level.id, level.policy_id, level.days,
                             LEAD(level.days) OVER (
                                 PARTITION BY level.policy_id ORDER BY level.days
                             ) AS next_days
                        FROM aging_reminder_level level
                  ) lvl
                    ON lvl.policy_id = policy.id
                   AND lvl.days <= %(today)s - move.invoice_date_due
                   AND (lvl.next_days IS NULL
                        OR lvl.next_days > %(today)s - move.invoice_date_due)
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
                ), candidate AS (
                -- No reminder for what the customer's credits already cover.
                SELECT reached.*,
                       DENSE_RANK() OVER (
                           ORDER BY reached.partner_id, reached.company_id
                       ) AS group_rank
                  FROM reached
                  LEFT JOIN credits
                    ON credits.partner_id = reached.partner_id
                   AND credits.company_id = reached.company_id
                 WHERE credits.amount IS NULL
                    OR credits.amount < reached.group_amount
                )
                SELECT partner_id, company_id, move_id, level_id,
                       (SELECT MAX(group_rank) FROM candidate)
                  FROM candidate
                 WHERE %(limit)s IS NULL OR group_rank <= %(limit)s
                 ORDER BY partner_id, company_id, move_id
                """,
                policy_of_company=SQL(
                    "CASE move.company_id %s END",
                    SQL(" ").join(
                        SQL("WHEN %s THEN %s", company_id, policy_id)
                        for company_id, policy_id in policy_by_company.items()
                    ),
                ),
                open_lines=self._open_lines_sql(today, policy_by_company),
                today=today,
                companies=tuple(policy_by_company),
                partner_filter=partner_filter,
                limit=limit,
            )
        )
        rows = self.env.cr.fetchall()
        total = rows[0][4] if rows else 0
        groups = {}
        for partner_id, company_id, move_id, level_id, _total in rows:
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
        return list(groups.values()), total

    @api.model
    def _open_lines_sql(self, today, company_ids):
        """The open receivable lines of the companies today, as the aging and
        the exposure read them."""
        Report = self.env["aging.report"]
        companies = self.env["res.company"].browse(company_ids)
        return Report._aging_lines_sql(
            today,
            companies,
            None,
            self.env["aging.bucket"]._get_company_buckets(companies),
            with_salesperson=False,
        )

    @api.model
    def _send_reminders(self, groups):
        """Send one reminder per customer group, log it, mark each invoice with its
        level and apply the escalations. Returns the created logs.

        Only the groups whose invoices this transaction could claim are sent:
        the others are being sent by another worker or were sent since this
        transaction began. The logs, the queued mails and the invoices' levels
        are written in the same transaction: a worker killed midway leaves
        nothing logged and nothing queued, and the next run sends it once.
        """
        groups = self._claim_reminder_groups(groups)
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
        # Logs are the application's record of what was sent: only it writes
        # them, once the caller (cron, collector) was let through.
        logs = self.env["aging.reminder.log"].sudo().create(vals_list).sudo(False)
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
    def _claim_reminder_groups(self, groups):
        """The groups of which this transaction could lock every invoice.

        ``FOR UPDATE SKIP LOCKED`` passes over the invoices another worker is
        sending right now; an invoice that another worker sent after this
        transaction's snapshot cannot be locked at all under REPEATABLE READ
        (serialization failure): then this batch is left to the next run,
        which sees what was sent.
        """
        move_ids = [move_id for group in groups for move_id in group["moves"]]
        if not move_ids:
            return groups
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM account_move WHERE id = ANY(%s)"
                        " FOR UPDATE SKIP LOCKED",
                        move_ids,
                    )
                )
                claimed = {row[0] for row in self.env.cr.fetchall()}
        except psycopg2.errors.SerializationFailure:
            return []
        return [group for group in groups if claimed.issuperset(group["moves"])]

    @api.model
    def _check_collector(self):
        """Raise unless the current user works the collections."""
        if not self.env.su and not self.env.user.has_group(
            "crm_receivables_aging.group_aging_collector"
        ):
            raise AccessError(
                self.env._("Only collectors and credit managers may send reminders.")
            )

    @api.model
    def _cron_send_reminders(self):
        """Send the reminders due today, a batch of customers at a time.

        One batch per call, committed by Odoo's cron runner, which calls again
        while some remain. Safe on several nodes at once: each batch sends only
        the customers it could claim (see ``_claim_reminder_groups``).
        """
        companies = self.env["res.company"].search([])
        batch, total = self._get_reminder_batch(companies, limit=CRON_BATCH_SIZE)
        logs = self._send_reminders(batch)
        self.env["ir.cron"]._notify_progress(
            done=len(logs), remaining=total - len(batch)
        )
