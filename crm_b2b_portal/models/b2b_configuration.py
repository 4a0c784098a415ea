# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class B2bConfiguration(models.Model):
    _name = "b2b.configuration"
    _description = "B2B Standard Configuration"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    account_id = fields.Many2one(
        "b2b.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product",
        string="Configured Product",
        required=True,
        domain="[('sale_ok', '=', True)]",
        help="The product variant (attributes chosen) this configuration orders.",
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id", store=True)
    description = fields.Text(translate=True)
