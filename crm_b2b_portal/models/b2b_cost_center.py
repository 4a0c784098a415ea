# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class B2bCostCenter(models.Model):
    _name = "b2b.cost.center"
    _description = "B2B Cost Centre"
    _order = "code, name"

    name = fields.Char(required=True)
    code = fields.Char()
    active = fields.Boolean(default=True)
    account_id = fields.Many2one(
        "b2b.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)

    _sql_constraints = [
        (
            "code_uniq",
            "unique(account_id, code)",
            "A cost centre code is unique within its account.",
        ),
    ]

    def _compute_display_name(self):
        for center in self:
            center.display_name = (
                f"[{center.code}] {center.name}" if center.code else center.name
            )
