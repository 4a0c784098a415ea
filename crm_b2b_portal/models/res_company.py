# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_reminder_hours = fields.Integer(
        string="B2B Approval Reminder (hours)",
        default=24,
        help="A pending approval step idle for this many hours is reminded once.",
    )
    b2b_escalation_hours = fields.Integer(
        string="B2B Approval Escalation (hours)",
        default=48,
        help="A pending approval step idle for this many hours is escalated once "
        "to the approvers' managers and the account administrators.",
    )
