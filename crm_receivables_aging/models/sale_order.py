# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import json

from odoo import fields, models
from odoo.exceptions import AccessError

CREDIT_MANAGER = "crm_receivables_aging.group_aging_credit_manager"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "aging.write.guard"]

    partner_credit_hold = fields.Boolean(
        related="partner_id.commercial_partner_id.credit_hold",
        string="Customer on credit hold",
    )
    credit_hold_override_reason = fields.Text(
        "Credit hold override",
        copy=False,
        readonly=True,
        groups=CREDIT_MANAGER,
        help="Why a credit manager let this order be confirmed despite the hold.",
    )
    credit_hold_override_digest = fields.Char(
        copy=False,
        readonly=True,
        groups=CREDIT_MANAGER,
        help="Fingerprint of the customer, amount and lines of the order when the "
        "hold was overridden: the override covers that order only.",
    )

    def _write_guarded_fields(self):
        # Set by the override wizard, cleared on cancel and reset to draft.
        return {
            **super()._write_guarded_fields(),
            "credit_hold_override_reason": False,
            "credit_hold_override_digest": False,
        }

    def write(self, vals):
        if vals.get("state") not in ("draft", "cancel"):
            return super().write(vals)
        overridden = self.sudo().filtered("credit_hold_override_reason")
        res = super().write(vals)
        # An override covers one confirmation: a cancelled or redrafted order
        # needs a new one.
        overridden.write(
            {"credit_hold_override_reason": False, "credit_hold_override_digest": False}
        )
        for order in overridden:
            order.message_post(
                body=self.env._(
                    "The credit hold override no longer applies: the order was "
                    "cancelled or reset to quotation."
                )
            )
        return res

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        partner = self.with_company(self.company_id).partner_id.commercial_partner_id
        if not partner.credit_hold:
            return False
        override = self.sudo().credit_hold_override_reason
        if override and self.sudo().credit_hold_override_digest == (
            self._aging_override_digest()
        ):
            return False
        if override:
            return self.env._(
                "The credit hold override of %(order)s no longer applies: the order "
                "changed after it was given. Ask a credit manager to override the "
                "hold again for the order as it is now.",
                order=self.name,
            )
        return self.env._(
            "%(customer)s is on credit hold: amounts are overdue too long or "
            "over the credit limit. Ask a credit manager to override the hold "
            "with a reason, or collect the overdue amounts first.",
            customer=partner.display_name,
        )

    def action_aging_override_hold(self):
        """Open the wizard in which a credit manager overrides the hold."""
        if not self.env.user.has_group(CREDIT_MANAGER):
            raise AccessError(
                self.env._("Only a credit manager may override a credit hold.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override credit hold"),
            "res_model": "aging.credit.hold.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sale_order_ids": self.ids},
        }

    def _aging_override_vals(self, reason):
        """Values recording a credit hold override of this order as it is now."""
        self.ensure_one()
        return {
            "credit_hold_override_reason": reason,
            "credit_hold_override_digest": self._aging_override_digest(),
        }

    def _aging_override_digest(self):
        """Fingerprint of what a credit manager sees when overriding the hold:
        customer, currency, total and every line's product, quantity, price,
        discount and taxes. Any change of them voids the override."""
        self.ensure_one()
        lines = sorted(
            (
                line.id,
                line.product_id.id,
                line.product_uom.id,
                line.product_uom_qty,
                line.price_unit,
                line.discount,
                line.price_total,
                sorted(line.tax_id.ids),
            )
            for line in self.order_line
            if not line.display_type
        )
        payload = json.dumps(
            [
                self.partner_id.commercial_partner_id.id,
                self.company_id.id,
                self.currency_id.id,
                self.currency_id.round(self.amount_total),
                lines,
            ],
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()
