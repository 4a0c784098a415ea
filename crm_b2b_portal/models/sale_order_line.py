# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

# Changing any of these on a line of a pending or approved quote voids its approvals.
LINE_SENSITIVE_FIELDS = frozenset(
    {
        "product_id",
        "product_uom_qty",
        "product_uom",
        "price_unit",
        "discount",
        "tax_id",
        "product_no_variant_attribute_value_ids",
        "product_custom_attribute_value_ids",
    }
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _b2b_orders_to_void(self):
        return self.order_id.filtered(lambda o: o.b2b_state in ("pending", "approved"))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        products = lines.filtered(lambda line: not line.display_type)
        products._b2b_orders_to_void()._b2b_void_approvals()
        return lines

    def write(self, vals):
        orders = self.order_id.browse()
        if LINE_SENSITIVE_FIELDS.intersection(vals):
            orders = self._b2b_orders_to_void()
        res = super().write(vals)
        orders._b2b_void_approvals()
        return res

    def unlink(self):
        orders = self._b2b_orders_to_void()
        res = super().unlink()
        orders._b2b_void_approvals()
        return res
