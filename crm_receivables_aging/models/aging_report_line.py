# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

# Value of ``age_column`` of the open items that are unapplied credits.
CREDIT_COLUMN = "credit"


def bucket_column(position):
    """Value of ``age_column`` of the items in the bucket at this position of
    their company's chain (0 for the first): sorting the values sorts the
    columns as the buckets, the unapplied credits last."""
    return f"b{position:02d}"


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
    age_column = fields.Selection(
        selection="_selection_age_column",
        string="Age",
        readonly=True,
        help="The aging column of the item: its bucket when an amount is owed, "
        "Unapplied credits for a credit note or payment not matched yet. A "
        "credit is no amount owed at an age: set against the bucket it would "
        "fall in, it would show a customer whose credit notes equal his "
        "invoices as a row of zeros.",
    )
    amount_residual = fields.Monetary("Open amount", readonly=True)

    @api.model
    def _selection_age_column(self):
        """One column per bucket position of the current companies' chains,
        named after their buckets (companies naming them alike share the
        name), then the unapplied credits."""
        names = {}
        company_buckets = (
            self.env["aging.bucket"].sudo()._get_company_buckets(self.env.companies)
        )
        for buckets in company_buckets.values():
            for position, (bucket_id, _days_to) in enumerate(buckets):
                name = self.env["aging.bucket"].sudo().browse(bucket_id).name
                names.setdefault(position, {})[name] = None
        return [
            (bucket_column(position), " / ".join(names[position]))
            for position in sorted(names)
        ] + [(CREDIT_COLUMN, self.env._("Unapplied credits"))]

    def action_open_entry(self):
        """Open the invoice, credit note or payment of this open item."""
        self.ensure_one()
        return self.move_id._get_records_action()
