# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    analytics_case_cost = fields.Float(
        related="company_id.analytics_case_cost", readonly=False
    )
    analytics_case_alert = fields.Integer(
        related="company_id.analytics_case_alert", readonly=False
    )
    analytics_lifetime_years = fields.Float(
        related="company_id.analytics_lifetime_years", readonly=False
    )
    analytics_affinity_min_orders = fields.Integer(
        related="company_id.analytics_affinity_min_orders", readonly=False
    )
