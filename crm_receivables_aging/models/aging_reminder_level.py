# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AgingReminderLevel(models.Model):
    _name = "aging.reminder.level"
    _description = "Reminder Level"
    _order = "policy_id, days, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    policy_id = fields.Many2one(
        "aging.reminder.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    days = fields.Integer(
        required=True,
        help="Days after the due date when this level is sent; negative for a "
        "notice before the due date.",
    )
    channel = fields.Selection(
        [("email", "E-mail"), ("letter", "Letter"), ("phone", "Phone call")],
        required=True,
        default="email",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        "E-mail template",
        domain=[("model", "=", "aging.reminder.log")],
    )
    escalation = fields.Selection(
        [
            ("none", "None"),
            ("activity", "Salesperson activity"),
            ("credit_hold", "Credit hold"),
        ],
        required=True,
        default="none",
        help="What else happens when a customer reaches this level: a to-do for "
        "its salesperson, or a credit hold on the customer.",
    )

    _sql_constraints = [
        (
            "days_policy_uniq",
            "UNIQUE(policy_id, days)",
            "Two levels of a policy cannot start on the same day.",
        )
    ]

    @api.constrains("channel", "mail_template_id")
    def _check_mail_template(self):
        for level in self:
            if level.channel == "email" and not level.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "Reminder level %(name)s is sent by e-mail: choose its "
                        "e-mail template.",
                        name=level.name,
                    )
                )
