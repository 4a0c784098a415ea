# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aging_reminder_level_id = fields.Many2one(
        "aging.reminder.level",
        "Last reminder level",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    aging_dispute = fields.Boolean(
        "In dispute", copy=False, tracking=True, help="No reminder is sent for it."
    )
    aging_promise_date = fields.Date(
        "Promised to pay by",
        copy=False,
        tracking=True,
        help="No reminder is sent for this invoice until this date.",
    )
