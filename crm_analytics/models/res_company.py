# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    analytics_case_cost = fields.Float(
        string="Average Cost of a Service Case",
        default=25.0,
        help="Used to turn the number of service cases into a service cost.",
    )
    analytics_case_alert = fields.Integer(
        string="Service Cases Signalling Churn",
        default=3,
        help="A customer with this many service cases in 12 months is a churn risk.",
    )
    analytics_lifetime_years = fields.Float(
        string="Expected Customer Lifetime (Years)",
        default=3.0,
        help="Lifetime value = yearly margin net of service cost x these years.",
    )
    analytics_affinity_min_orders = fields.Integer(
        string="Minimum Orders for an Affinity",
        default=2,
        help="Product pairs bought together in fewer orders are ignored.",
    )

    @api.constrains(
        "analytics_case_cost",
        "analytics_case_alert",
        "analytics_lifetime_years",
        "analytics_affinity_min_orders",
    )
    def _check_analytics_settings(self):
        for company in self:
            if (
                company.analytics_case_cost < 0
                or company.analytics_case_alert < 1
                or company.analytics_lifetime_years <= 0
                or company.analytics_affinity_min_orders < 1
            ):
                raise ValidationError(
                    self.env._(
                        "Analytics settings: the case cost cannot be negative, and the "
                        "case alert, lifetime and minimum orders must be positive."
                    )
                )
