# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "aging.exclusion.mixin"]

    credit_hold = fields.Boolean(
        compute="_compute_credit_hold",
        search="_search_credit_hold",
        help="Sale orders of this customer cannot be confirmed without a credit "
        "manager's override: amounts are overdue too long, the credit limit is "
        "exceeded or a reminder escalated to a hold.",
    )
    aging_manual_hold = fields.Boolean(
        "Held by reminders",
        copy=False,
        tracking=True,
        groups="crm_receivables_aging.group_aging_collector",
        help="Set when a reminder level escalates to a credit hold; clear it once "
        "the customer has paid or an arrangement was made. Only credit managers "
        "set or clear it.",
    )
    aging_reminder_log_ids = fields.One2many(
        "aging.reminder.log", "partner_id", "Reminders"
    )

    def _write_guarded_fields(self):
        return {
            **super()._write_guarded_fields(),
            "aging_manual_hold": "crm_receivables_aging.group_aging_credit_manager",
        }

    @api.depends_context("company")
    def _compute_credit_hold(self):
        company = self.env.company
        if not company.aging_credit_hold:
            self.credit_hold = False
            return
        # Unsaved partners (onchange) have no receivable yet, and an empty list
        # would mean every customer to compute_aging.
        commercial_ids = [pid for pid in self.commercial_partner_id._origin.ids if pid]
        rows = (
            self.env["aging.report"]
            .sudo()
            .compute_aging(partner_ids=commercial_ids, company_ids=company.ids)
            if commercial_ids
            else []
        )
        by_partner = {row["partner_id"]: row for row in rows}
        use_limit = company.account_use_credit_limit
        for partner in self:
            main = partner.commercial_partner_id._origin
            row = by_partner.get(main.id)
            limit = use_limit and main.sudo().with_company(company).credit_limit
            partner.credit_hold = bool(
                main.sudo().aging_manual_hold
                or (row and row["max_days_overdue"] > company.aging_credit_hold_days)
                or (row and limit and row["total"] > limit)
            )

    def _search_credit_hold(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search customers on credit hold with = or !=."))
        company = self.env.company
        held_ids = []
        if company.aging_credit_hold:
            rows = (
                self.env["aging.report"].sudo().compute_aging(company_ids=company.ids)
            )
            candidates = self.browse(
                [row["partner_id"] for row in rows if row["partner_id"]]
            )
            candidates |= self.sudo().search([("aging_manual_hold", "=", True)])
            held_ids = candidates.filtered("credit_hold").ids
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", held_ids)]

    def _aging_statement_data(self, as_of_date=None):
        """Open items and aging of this customer in the current company, as shown
        on its statement. Items are read with the user's rights; a user who does
        not work the collections only gets its own account, in its own
        companies (see ``aging.report._check_aging_params``)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        report = self.env["aging.report"]
        rows = report.compute_aging(
            as_of_date=as_of_date, partner_ids=partner.ids, company_ids=company.ids
        )
        items = report._get_open_items(
            as_of_date=as_of_date, partner_ids=partner.ids, company_ids=company.ids
        )
        visible = self.env["account.move.line"].search(
            [("id", "in", [item["line_id"] for item in items])]
        )
        visible_ids = set(visible.ids)
        return {
            "date": as_of_date or fields.Date.context_today(self),
            "partner": partner,
            "company": company,
            "currency": company.currency_id,
            "row": rows[0] if rows else None,
            # Only the names of the company's buckets, which customers see too.
            "buckets": self.env["aging.bucket"]
            .sudo()
            .search([("company_id", "=", company.id)]),
            "items": [
                dict(item, line=visible.browse(item["line_id"]))
                for item in items
                if item["line_id"] in visible_ids
            ],
        }
