# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class AgingCreditHoldOverride(models.TransientModel):
    _name = "aging.credit.hold.override"
    _description = "Override a Credit Hold"

    sale_order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        """Confirm the orders despite the credit hold, logging the reason."""
        self.ensure_one()
        if not self.env.user.has_group(
            "crm_receivables_aging.group_aging_credit_manager"
        ):
            raise AccessError(
                self.env._("Only a credit manager may override a credit hold.")
            )
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Give the reason for overriding the credit hold.")
            )
        orders = self.sale_order_ids
        # The override is the credit manager's to give, on orders they may edit;
        # the application records it, bound to each order as it is now.
        orders.check_access("write")
        for order in orders:
            order.sudo().write(order._aging_override_vals(reason))
            order.message_post(
                body=Markup("%s<br/>%s")
                % (
                    self.env._("Credit hold overridden by %s:", self.env.user.name),
                    escape(reason),
                ),
            )
        orders.action_confirm()
        return {"type": "ir.actions.act_window_close"}
