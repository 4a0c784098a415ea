# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models


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

    @api.model
    def _aging_create_demo_invoices(self, specs):
        """Create and post demo customer invoices due the given days ago."""
        if not self.env.company.chart_template:
            return
        today = fields.Date.context_today(self)
        product = self.env.ref("product.product_product_4", raise_if_not_found=False)
        moves = self.create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner_id,
                    "invoice_date": today - timedelta(days=max(days_overdue, 0) + 30),
                    "invoice_date_due": today - timedelta(days=days_overdue),
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": product.id if product else False,
                                "name": "Appliances and installation",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
                for _xmlid, partner_id, days_overdue, amount in specs
            ]
        )
        moves.action_post()
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"crm_receivables_aging.{xmlid}",
                    "record": move,
                    "noupdate": True,
                }
                for (xmlid, *_rest), move in zip(specs, moves, strict=True)
            ]
        )
