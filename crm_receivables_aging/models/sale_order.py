# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_credit_hold = fields.Boolean(
        related="partner_id.commercial_partner_id.credit_hold",
        string="Customer on credit hold",
    )
    credit_hold_override_reason = fields.Text(
        "Credit hold override",
        copy=False,
        readonly=True,
        groups="crm_receivables_aging.group_aging_credit_manager",
        help="Why a credit manager let this order be confirmed despite the hold.",
    )

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error or self.sudo().credit_hold_override_reason:
            return error
        if self.with_company(
            self.company_id
        ).partner_id.commercial_partner_id.credit_hold:
            return self.env._(
                "%(customer)s is on credit hold: amounts are overdue too long or "
                "over the credit limit. Ask a credit manager to override the hold "
                "with a reason, or collect the overdue amounts first.",
                customer=self.partner_id.commercial_partner_id.display_name,
            )
        return False

    def action_aging_override_hold(self):
        """Open the wizard in which a credit manager overrides the hold."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override credit hold"),
            "res_model": "aging.credit.hold.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sale_order_ids": self.ids},
        }
