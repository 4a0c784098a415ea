# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CssAsset(models.Model):
    """Installed base sold by distributors, created once per reference."""

    _name = "css.asset"
    _inherit = ["css.asset", "css.external.ref.mixin"]
    _css_create_only_fields = frozenset({"external_ref"})

    # Where it was sold: the sales by distributor and territory group by it.
    customer_state_id = fields.Many2one(
        related="partner_id.state_id", store=True, string="Customer Province"
    )

    @api.model_create_multi
    def create(self, vals_list):
        return self._css_create_once(vals_list, super().create)
