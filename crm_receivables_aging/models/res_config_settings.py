# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aging_date_basis = fields.Selection(
        related="company_id.aging_date_basis", readonly=False
    )
    aging_credit_hold = fields.Boolean(
        related="company_id.aging_credit_hold", readonly=False
    )
    aging_credit_hold_days = fields.Integer(
        related="company_id.aging_credit_hold_days", readonly=False
    )
    aging_promise_max_days = fields.Integer(
        related="company_id.aging_promise_max_days", readonly=False
    )

    def action_aging_open_buckets(self):
        """Edit the aging buckets of the current company, all at once."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Aging buckets"),
            "res_model": "res.company",
            "res_id": self.env.company.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "crm_receivables_aging.res_company_view_form_aging_buckets"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }
