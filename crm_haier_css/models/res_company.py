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

    css_dispatcher_id = fields.Many2one(
        "res.users",
        string="Dispatcher",
        domain="[('share', '=', False)]",
        help="Receives the cases that routing could not place (no outlet "
        "covers the address, or no technician fits); the service manager "
        "when empty.",
    )
    css_visit_hours = fields.Float(
        string="Visit Duration (h)",
        default=2.0,
        help="Length of the appointment windows offered to customers and "
        "used by the routing.",
    )
    css_slot_days = fields.Integer(
        string="Booking Horizon (days)",
        default=14,
        help="How many days ahead routing and the portal look for free windows.",
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

    @api.constrains("css_visit_hours", "css_slot_days")
    def _check_css_field_service_settings(self):
        for company in self:
            if not 0.25 <= company.css_visit_hours <= 12:
                raise ValidationError(
                    self.env._(
                        "A visit lasts between a quarter of an hour and 12 hours."
                    )
                )
            if not 1 <= company.css_slot_days <= 90:
                raise ValidationError(
                    self.env._("The booking horizon lies between 1 and 90 days.")
                )

    def _css_dispatcher(self):
        """The user who receives what the routing could not place."""
        self.ensure_one()
        return self.css_dispatcher_id or self.css_service_manager_id
