# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL

from .aging_report import EXPOSURE_COLUMNS

# Share of the total before which a customer is in class A, then B (Pareto):
# the receivables statistics and the ABC tiers of the customer scores.
PARETO_CUTOFFS = (0.80, 0.95)


class AgingStatPartner(models.Model):
    _name = "aging.stat.partner"
    _description = "Receivables Statistics per Customer"
    _auto = False
    _order = "company_id, residual desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    residual = fields.Monetary("Receivable", readonly=True)
    overdue = fields.Monetary(
        readonly=True, help="Open invoices past their due date, before credits."
    )
    unapplied_credits = fields.Monetary(
        readonly=True, help="Open credit notes and payments not matched yet."
    )
    net_overdue = fields.Monetary(
        "Overdue net of credits",
        readonly=True,
        help="What is past due once the unapplied credits are set against it.",
    )
    long_overdue = fields.Monetary(
        "Long overdue",
        readonly=True,
        help="Open invoices overdue for more days than the credit hold delay of "
        "the company, before credits.",
    )
    max_days_overdue = fields.Integer(readonly=True, aggregator="max")
    share = fields.Float("Share (%)", readonly=True, digits=(16, 2))
    cumulative_share = fields.Float(
        "Cumulative share (%)", readonly=True, digits=(16, 2), aggregator="max"
    )
    rank = fields.Integer(readonly=True, aggregator="min")
    pareto_class = fields.Selection(
        [("a", "A (first 80%)"), ("b", "B (next 15%)"), ("c", "C (last 5%)")],
        readonly=True,
    )
    credit_limit = fields.Monetary(readonly=True)
    over_limit = fields.Boolean("Over credit limit", readonly=True)
    sales_12m = fields.Monetary("Sales (last 12 months)", readonly=True)
    dso = fields.Float(
        "DSO (days)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="Days sales outstanding: receivable / sales of the last 365 days x 365.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                WITH l AS (
                    SELECT aml.id, aml.partner_id, aml.company_id,
                           aml.amount_residual AS residual,
                           CURRENT_DATE - COALESCE(aml.date_maturity, aml.date)
                               AS due_days,
                           comp.aging_credit_hold_days AS hold_days
                      FROM account_move_line aml
                      JOIN res_company comp ON comp.id = aml.company_id
                      JOIN account_account account ON account.id = aml.account_id
                     WHERE aml.reconciled IS NOT TRUE
                       AND aml.parent_state = 'posted'
                       AND account.account_type = 'asset_receivable'
                       AND aml.partner_id IS NOT NULL
                ), open AS (
                    -- The exposure figures of the aging, over today's open lines.
                    SELECT MIN(l.id) AS id, l.partner_id, l.company_id,
                           SUM(l.residual) AS residual,
                           %(overdue)s AS overdue,
                           %(unapplied_credits)s AS unapplied_credits,
                           %(max_days_past_due)s AS max_days_overdue,
                           COALESCE(SUM(l.residual) FILTER (
                               WHERE l.residual > 0 AND l.due_days > l.hold_days),
                               0) AS long_overdue
                      FROM l
                     GROUP BY l.partner_id, l.company_id
                ), sales AS (
                    SELECT move.commercial_partner_id AS partner_id, move.company_id,
                           SUM(move.amount_total_signed) AS amount
                      FROM account_move move
                     WHERE move.state = 'posted'
                       AND move.move_type IN ('out_invoice', 'out_refund')
                       AND move.invoice_date > CURRENT_DATE - 365
                     GROUP BY move.commercial_partner_id, move.company_id
                ), ranked AS (
                    -- Only customers who owe share the receivables: one whose
                    -- credits cover his invoices is not ranked, and a credit
                    -- balance does not lower the others' shares.
                    SELECT open.*,
                           SUM(open.residual) FILTER (WHERE open.residual > 0)
                               OVER company_total AS company_residual,
                           CASE WHEN open.residual > 0 THEN
                               SUM(open.residual) OVER company_rank END
                               AS running_residual,
                           CASE WHEN open.residual > 0 THEN
                               RANK() OVER company_rank END AS rank
                      FROM open
                    WINDOW company_total AS (PARTITION BY open.company_id),
                           company_rank AS (PARTITION BY open.company_id
                                            ORDER BY open.residual DESC,
                                                     open.partner_id)
                )
                SELECT ranked.id, ranked.partner_id, partner.user_id,
                       ranked.company_id, comp.currency_id, ranked.residual,
                       ranked.overdue, ranked.unapplied_credits,
                       GREATEST(ranked.overdue - ranked.unapplied_credits, 0)
                           AS net_overdue,
                       ranked.long_overdue, ranked.max_days_overdue,
                       ranked.rank,
                       CASE WHEN ranked.residual > 0 THEN 100 * ranked.residual
                           / NULLIF(ranked.company_residual, 0) END AS share,
                       100 * ranked.running_residual
                           / NULLIF(ranked.company_residual, 0) AS cumulative_share,
                       CASE WHEN ranked.running_residual IS NULL THEN NULL
                            WHEN ranked.running_residual - ranked.residual
                                 < %(class_a)s * ranked.company_residual THEN 'a'
                            WHEN ranked.running_residual - ranked.residual
                                 < %(class_b)s * ranked.company_residual THEN 'b'
                            ELSE 'c' END AS pareto_class,
                       (partner.credit_limit ->> ranked.company_id::text)::numeric
                           AS credit_limit,
                       COALESCE((partner.credit_limit ->> ranked.company_id::text)
                           ::numeric, 0) > 0
                           AND ranked.residual > (partner.credit_limit
                               ->> ranked.company_id::text)::numeric AS over_limit,
                       COALESCE(sales.amount, 0) AS sales_12m,
                       CASE WHEN sales.amount > 0
                            THEN ranked.residual / sales.amount * 365 END AS dso
                  FROM ranked
                  JOIN res_partner partner ON partner.id = ranked.partner_id
                  JOIN res_company comp ON comp.id = ranked.company_id
                  LEFT JOIN sales ON sales.partner_id = ranked.partner_id
                                 AND sales.company_id = ranked.company_id
                )
                """,
                table=SQL.identifier(self._table),
                class_a=PARETO_CUTOFFS[0],
                class_b=PARETO_CUTOFFS[1],
                **dict(EXPOSURE_COLUMNS),
            )
        )
