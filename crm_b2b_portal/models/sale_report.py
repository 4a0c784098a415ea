# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .b2b_approval_chain import B2B_STATES


class SaleReport(models.Model):
    _inherit = "sale.report"

    b2b_account_id = fields.Many2one("b2b.account", readonly=True)
    b2b_cost_center_id = fields.Many2one(
        "b2b.cost.center", string="Cost Centre", readonly=True
    )
    b2b_requester_id = fields.Many2one("b2b.member", readonly=True)
    b2b_state = fields.Selection(B2B_STATES, string="Approval Status", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["b2b_account_id"] = "s.b2b_account_id"
        res["b2b_cost_center_id"] = "s.b2b_cost_center_id"
        res["b2b_requester_id"] = "s.b2b_requester_id"
        res["b2b_state"] = "s.b2b_state"
        return res

    def _group_by_sale(self):
        res = super()._group_by_sale()
        res += """,
            s.b2b_account_id,
            s.b2b_cost_center_id,
            s.b2b_requester_id,
            s.b2b_state"""
        return res
