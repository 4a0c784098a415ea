# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AgingReportLine(models.TransientModel):
    _name = "aging.report.line"
    _description = "Receivables Aging Open Item"
    _order = "partner_id, days_overdue desc, id"
    _rec_name = "move_id"

    report_id = fields.Many2one("aging.report", required=True, ondelete="cascade")
    move_line_id = fields.Many2one("account.move.line", "Journal item", readonly=True)
    move_id = fields.Many2one("account.move", "Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(related="move_line_id.date", string="Date")
    date_maturity = fields.Date(related="move_line_id.date_maturity", string="Due date")
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket_id = fields.Many2one("aging.bucket", readonly=True)
    amount_residual = fields.Monetary("Open amount", readonly=True)

    def action_open_entry(self):
        """Open the invoice, credit note or payment of this open item."""
        self.ensure_one()
        return self.move_id._get_records_action()
