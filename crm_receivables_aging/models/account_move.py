# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "aging.exclusion.mixin"]

    aging_reminder_level_id = fields.Many2one(
        "aging.reminder.level",
        "Last reminder level",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )

    def _write_guarded_fields(self):
        # The reminder engine alone records which level an invoice was sent.
        return {**super()._write_guarded_fields(), "aging_reminder_level_id": False}
