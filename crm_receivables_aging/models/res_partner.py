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
        exposure = self.sudo()._aging_exposure(company)
        for partner in self:
            main = partner.commercial_partner_id._origin
            partner.credit_hold = bool(
                main.sudo().aging_manual_hold
                or main._aging_exposure_holds(exposure.get((main.id, company.id)))
            )

    def _search_credit_hold(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search customers on credit hold with = or !=."))
        company = self.env.company
        held_ids = []
        if company.aging_credit_hold:
            exposure = (
                self.env["aging.report"].sudo()._get_exposure(company_ids=company.ids)
            )
            candidates = (
                self.browse([pid for pid, _company_id in exposure])
                .sudo()
                .with_company(company)
            )
            held_ids = [
                partner.id
                for partner in candidates
                if partner._aging_exposure_holds(exposure[partner.id, company.id])
            ]
            held_ids += self.sudo().search([("aging_manual_hold", "=", True)]).ids
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", held_ids)]

    def _aging_exposure(self, companies=None, as_of_date=None):
        """Receivable exposure of these customers' commercial entities as of the
        date (default today) in the companies (default the current ones):
        {(commercial partner id, company id): figures} as
        ``aging.report._get_exposure`` gives them; customers without open
        items are left out. Read with the user's rights on the aging."""
        partner_ids = [pid for pid in self.commercial_partner_id._origin.ids if pid]
        if not partner_ids:
            # An empty list would mean every customer to the aging.
            return {}
        return self.env["aging.report"]._get_exposure(
            as_of_date, (companies or self.env.companies).ids, partner_ids
        )

    def _aging_exposure_holds(self, figures):
        """Whether this commercial entity's exposure in the current company puts
        it on credit hold: amounts past due longer than the company allows that
        its unapplied credits do not cover, or, where partner credit limits are
        used, a receivable over the limit."""
        self.ensure_one()
        if not figures:
            return False
        company = self.env.company
        limit = (
            company.account_use_credit_limit
            and self.with_company(company).sudo().credit_limit
        )
        return bool(
            (
                figures["max_days_past_due"] > company.aging_credit_hold_days
                and figures["net_overdue"] > 0
            )
            or (limit and figures["total"] > limit)
        )

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
