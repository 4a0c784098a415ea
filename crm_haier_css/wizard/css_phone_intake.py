# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.css_case_selections import CASE_TYPES, PRIORITIES
from ..models.css_stage import OPEN_STATES
from ..tools.phone import normalize_phone


class CssPhoneIntake(models.TransientModel):
    _name = "css.phone.intake"
    _description = "Phone Call Quick Entry"

    phone = fields.Char(string="Caller Number")
    phone_normalized = fields.Char(compute="_compute_match_partner_ids")
    match_partner_ids = fields.Many2many(
        "res.partner",
        "css_phone_intake_match_rel",
        string="Matching Customers",
        compute="_compute_match_partner_ids",
    )
    match_count = fields.Integer(compute="_compute_match_partner_ids")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
    )
    new_partner_name = fields.Char(
        string="New Customer Name",
        help="For a caller not yet in the archive: a customer is created with "
        "this name and the caller number.",
    )

    # 360-degree card
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    asset_ids = fields.Many2many("css.asset", compute="_compute_card")
    open_case_ids = fields.Many2many(
        "css.case", "css_phone_intake_open_case_rel", compute="_compute_card"
    )
    recent_case_ids = fields.Many2many(
        "css.case", "css_phone_intake_recent_case_rel", compute="_compute_card"
    )
    contract_ids = fields.Many2many("css.contract", compute="_compute_card")
    show_receivables = fields.Boolean(compute="_compute_receivables")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    receivable_amount = fields.Monetary(
        string="Open Receivables", compute="_compute_receivables"
    )
    overdue_amount = fields.Monetary(compute="_compute_receivables")

    # The new case
    case_type = fields.Selection(CASE_TYPES, default="repair", required=True)
    priority = fields.Selection(PRIORITIES, default="0")
    asset_id = fields.Many2one(
        "css.asset",
        string="Registered Product",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    product_id = fields.Many2one("product.product")
    subject = fields.Char()
    description = fields.Html()

    @api.depends("phone", "partner_id")
    def _compute_display_name(self):
        for intake in self:
            caller = intake.partner_id.name or intake.phone
            intake.display_name = (
                self.env._("Call from %(caller)s", caller=caller)
                if caller
                else self.env._("New Call")
            )

    @api.depends("phone")
    def _compute_match_partner_ids(self):
        partners = self.env["res.partner"]
        for intake in self:
            intake.phone_normalized = normalize_phone(
                intake.phone, partners._css_country_code()
            )
            matches = partners._css_search_by_phone(intake.phone)
            intake.match_partner_ids = matches
            intake.match_count = len(matches)

    @api.depends("phone")
    def _compute_partner_id(self):
        for intake in self:
            matches = intake.match_partner_ids
            if intake.partner_id in matches:
                continue
            intake.partner_id = matches[:1] if len(matches) == 1 else False

    @api.depends("partner_id")
    def _compute_card(self):
        Case = self.env["css.case"]
        for intake in self:
            commercial = intake.partner_id.commercial_partner_id
            if not commercial:
                intake.update(
                    {
                        "asset_ids": False,
                        "open_case_ids": False,
                        "recent_case_ids": False,
                        "contract_ids": False,
                    }
                )
                continue
            customer = [("commercial_partner_id", "=", commercial.id)]
            intake.asset_ids = self.env["css.asset"].search(customer, limit=20)
            intake.open_case_ids = Case.search(
                customer + [("state", "in", OPEN_STATES)], limit=20
            )
            intake.recent_case_ids = Case.search(
                customer + [("state", "not in", OPEN_STATES)],
                order="reported_date desc",
                limit=5,
            )
            intake.contract_ids = self.env["css.contract"].search(
                customer + [("state", "=", "running")]
            )

    @api.depends("partner_id")
    def _compute_receivables(self):
        # crm_receivables_aging is optional: use it only when installed.
        has_aging = "aging.report" in self.env
        for intake in self:
            intake.show_receivables = has_aging and bool(intake.partner_id)
            intake.receivable_amount = 0.0
            intake.overdue_amount = 0.0
            if intake.show_receivables:
                intake.receivable_amount, intake.overdue_amount = (
                    intake._caller_receivables()
                )

    def _caller_receivables(self):
        """Return the caller's open receivables and what is overdue in this company.

        Agents rarely hold accounting rights, yet the call centre must know
        that a caller has unpaid bills: the exposure is read as superuser for
        this one customer and the current company, and only totals are shown.
        Overdue is crm_receivables_aging's own figure (past due from the due
        date, net of unapplied credits), as its report and credit hold show it.
        """
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.sudo()
        company = self.env.company
        figures = partner._aging_exposure(company).get((partner.id, company.id))
        if not figures:
            return 0.0, 0.0
        return figures["total"], figures["net_overdue"]

    @api.onchange("asset_id")
    def _onchange_asset_id(self):
        if self.asset_id:
            self.product_id = self.asset_id.product_id

    def _get_or_create_partner(self):
        self.ensure_one()
        if self.partner_id:
            return self.partner_id
        if not self.new_partner_name:
            raise UserError(
                self.env._(
                    "Pick the caller among the matching customers, or enter the "
                    "name of a new customer."
                )
            )
        return self.env["res.partner"].create(
            {"name": self.new_partner_name, "phone": self.phone}
        )

    def action_create_case(self):
        """Create the phone case for the caller and open it."""
        self.ensure_one()
        partner = self._get_or_create_partner()
        case = self.env["css.case"].create(
            {
                "partner_id": partner.id,
                "channel": "phone",
                "case_type": self.case_type,
                "priority": self.priority,
                "asset_id": self.asset_id.id,
                "product_id": (self.product_id or self.asset_id.product_id).id,
                "subject": self.subject,
                "description": self.description,
                "user_id": self.env.uid,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "css.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }
