# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    css_asset_ids = fields.One2many(
        "css.asset", "product_id", string="Registered Units"
    )
