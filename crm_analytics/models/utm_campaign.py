# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    analytics_cost = fields.Monetary(
        string="Campaign Cost",
        currency_field="analytics_currency_id",
        help="What the campaign cost, to measure its return on investment.",
    )
    analytics_currency_id = fields.Many2one(
        "res.currency",
        string="Cost Currency",
        default=lambda self: self.env.company.currency_id,
    )
