# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    css_warranty_months = fields.Integer(
        string="Warranty (months)",
        default=12,
        help="Default warranty period of a registered product, counted from "
        "its purchase date.",
    )
    css_portal_registrable = fields.Boolean(
        string="Registrable on the Portal",
        help="Customers may register this product on the portal for service. "
        "Portal users read only such products and those they own; the rest "
        "of the catalogue stays private.",
    )
