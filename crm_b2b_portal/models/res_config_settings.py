# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_reminder_hours = fields.Integer(
        related="company_id.b2b_reminder_hours", readonly=False
    )
    b2b_escalation_hours = fields.Integer(
        related="company_id.b2b_escalation_hours", readonly=False
    )
