# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.claim import claim_free

CRON_BATCH_SIZE = 500
USED_VISIT_STATES = ("scheduled", "dispatched", "on_site", "done")


class CssContract(models.Model):
    _name = "css.contract"
    _description = "Service Contract"
    _inherit = ["mail.thread", "mail.activity.mixin", "css.field.guard.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _css_system_fields = frozenset({"commercial_partner_id"})

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )

    # Coverage
    covers_all_assets = fields.Boolean(
        string="All Products of the Customer",
        help="Cover every product the customer registers, not only the listed ones.",
    )
    asset_ids = fields.Many2many(
        "css.asset",
        string="Covered Products",
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    date_start = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(required=True, tracking=True)
    covers_parts = fields.Boolean(string="Parts Covered", default=True)
    covers_labour = fields.Boolean(string="Labour Covered", default=True)
    sla_policy_id = fields.Many2one(
        "css.sla.policy",
        string="SLA Policy",
        check_company=True,
        help="Service level promised by this contract; it takes precedence "
        "over the general policies.",
    )
    visits_included = fields.Integer(help="0 means unlimited visits.")
    visits_used = fields.Integer(compute="_compute_visits_used")
    case_ids = fields.One2many("css.case", "contract_id", string="Cases")
    note = fields.Html(string="Terms")

    _sql_constraints = [
        ("name_unique", "unique(name, company_id)", "The reference must be unique."),
    ]

    def _compute_visits_used(self):
        # Booked and done visits count; drafts are proposals, cancelled ones
        # did not happen. Read as the system: the count is the contract's.
        counts = dict(
            self.env["css.service.order"]
            .sudo()
            ._read_group(
                [("contract_id", "in", self.ids), ("state", "in", USED_VISIT_STATES)],
                ["contract_id"],
                ["__count"],
            )
        )
        for contract in self:
            contract.visits_used = counts.get(contract, 0)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._("A contract cannot end before it starts.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._css_check_field_access(vals_list, create=True)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].sudo().next_by_code("css.contract") or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        self._css_check_field_access([vals])
        return super().write(vals)

    def action_start(self):
        """Put the contract in force."""
        self.write({"state": "running"})
        return True

    def action_cancel(self):
        """Cancel the contract; cases no longer pick it up."""
        self.write({"state": "cancelled"})
        return True

    def _covers(self, asset, date):
        """Tell whether this contract covers ``asset`` on ``date``."""
        self.ensure_one()
        return (
            self.state == "running"
            and self.date_start <= date <= self.date_end
            and (self.covers_all_assets or asset in self.asset_ids)
        )

    @api.model
    def _find_for(self, partner, asset, date):
        """Return the running contract of ``partner`` covering ``asset`` on ``date``."""
        return self._running_for(partner)._pick_for(partner, asset, date)

    @api.model
    def _running_for(self, partners):
        """Return the running contracts of the partners' commercial entities.

        One search for many cases (an import, a batch create): pick each
        case's contract among them with :meth:`_pick_for`.
        """
        if not partners:
            return self.browse()
        return self.search(
            [
                ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                ("state", "=", "running"),
            ]
        )

    def _pick_for(self, partner, asset, date):
        """Return the one of these contracts covering ``asset`` on ``date``.

        Only contracts of ``partner``'s commercial entity count; the latest
        started wins (the model's order).
        """
        for contract in self:
            if (
                partner
                and contract.commercial_partner_id == partner.commercial_partner_id
                and contract.date_start <= date <= contract.date_end
                and (
                    contract._covers(asset, date)
                    if asset
                    else contract.covers_all_assets
                )
            ):
                return contract
        return self.browse()

    def _cron_expire(self):
        """Mark running contracts past their end date as expired.

        A batch per call, claimed so that two nodes never expire (and note in
        the chatter) the same contract twice; the cron runner commits it and
        calls again while some remain.
        """
        domain = [
            ("state", "=", "running"),
            ("date_end", "<", fields.Date.context_today(self)),
        ]
        batch = self.search(domain, limit=CRON_BATCH_SIZE, order="id")
        expired = claim_free(batch).filtered(lambda c: c.state == "running")
        expired.write({"state": "expired"})
        remaining = self.search_count(domain) if len(batch) == CRON_BATCH_SIZE else 0
        self.env["ir.cron"]._notify_progress(done=len(expired), remaining=remaining)
