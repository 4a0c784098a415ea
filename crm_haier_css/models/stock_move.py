# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    css_service_order_id = fields.Many2one(
        "css.service.order",
        string="Service Visit",
        index="btree_not_null",
        readonly=True,
    )
