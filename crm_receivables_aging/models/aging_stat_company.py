# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL


class AgingStatCompany(models.Model):
    _name = "aging.stat.company"
    _description = "Receivables Statistics per Company"
    _auto = False
    _order = "company_id"
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    residual = fields.Monetary("Receivable", readonly=True)
    overdue = fields.Monetary(readonly=True)
    long_overdue = fields.Monetary("Long overdue", readonly=True)
    sales_12m = fields.Monetary("Sales (last 12 months)", readonly=True)
    dso = fields.Float(
        "DSO (days)",
        readonly=True,
        digits=(16, 1),
        aggregator=False,
        help="Days sales outstanding: receivable / sales of the last 365 days x 365.",
    )

    def init(self):
        # Built on aging_stat_partner, whose init comes first and drops this view
        # (CASCADE) when it is recreated.
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                SELECT comp.id, comp.id AS company_id, comp.currency_id,
                       COALESCE(open.residual, 0) AS residual,
                       COALESCE(open.overdue, 0) AS overdue,
                       COALESCE(open.long_overdue, 0) AS long_overdue,
                       COALESCE(sales.amount, 0) AS sales_12m,
                       CASE WHEN sales.amount > 0
                            THEN open.residual / sales.amount * 365 END AS dso
                  FROM res_company comp
                  LEFT JOIN (
                      SELECT company_id, SUM(residual) AS residual,
                             SUM(overdue) AS overdue,
                             SUM(long_overdue) AS long_overdue
                        FROM aging_stat_partner
                       GROUP BY company_id
                  ) open ON open.company_id = comp.id
                  LEFT JOIN (
                      SELECT company_id, SUM(amount_total_signed) AS amount
                        FROM account_move
                       WHERE state = 'posted'
                         AND move_type IN ('out_invoice', 'out_refund')
                         AND invoice_date > CURRENT_DATE - 365
                       GROUP BY company_id
                  ) sales ON sales.company_id = comp.id
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
