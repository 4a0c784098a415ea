# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    b2b_member_ids = fields.One2many("b2b.member", "user_id", string="B2B Memberships")

    def _b2b_member(self):
        """Return the active B2B membership of this user (empty when none)."""
        self.ensure_one()
        member = (
            self.env["b2b.member"]
            .sudo()
            .search(
                [("user_id", "=", self.id), ("account_id.active", "=", True)], limit=1
            )
        )
        return member.sudo(False)
