# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    css_callback_days = fields.Integer(
        string="Callback Delay (days)",
        default=2,
        help="Days after resolution when the customer is called back.",
    )
    css_poor_rating_threshold = fields.Integer(
        string="Poor Rating Threshold",
        default=2,
        help="A rating at or below this value (1-5) reopens the case as a "
        "complaint and alerts the supervisor.",
    )
    css_service_manager_id = fields.Many2one(
        "res.users",
        string="Service Manager",
        domain="[('share', '=', False)]",
        help="Receives the second-level SLA escalations, and the first level "
        "when a team has no leader.",
    )

    @api.constrains("css_callback_days", "css_poor_rating_threshold")
    def _check_css_settings(self):
        for company in self:
            if company.css_callback_days < 0:
                raise ValidationError(
                    self.env._("The callback delay cannot be negative.")
                )
            if not 0 <= company.css_poor_rating_threshold <= 5:
                raise ValidationError(
                    self.env._("The poor rating threshold lies between 0 and 5.")
                )
