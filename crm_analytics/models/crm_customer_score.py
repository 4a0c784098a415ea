# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.crm_receivables_aging.models.aging_stat_partner import PARETO_CUTOFFS

from ..tools.cron_lock import try_cron_lock

CHURN_RISKS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class CrmCustomerScore(models.Model):
    _name = "crm.customer.score"
    _description = "Customer Value and Churn Score"
    _order = "revenue_12m desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    segment_id = fields.Many2one(related="partner_id.segment_id", store=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    date_computed = fields.Datetime(string="Computed On", readonly=True)

    # Recency, frequency, monetary
    last_order_date = fields.Date(readonly=True)
    first_order_date = fields.Date(readonly=True)
    recency_days = fields.Integer(string="Days Since Last Order", readonly=True)
    frequency = fields.Integer(string="Orders (12 Months)", readonly=True)
    order_count = fields.Integer(string="Orders (All Time)", readonly=True)
    usual_interval_days = fields.Integer(
        string="Usual Days Between Orders", readonly=True, aggregator="avg"
    )
    next_order_date = fields.Date(string="Next Expected Order", readonly=True)
    r_score = fields.Integer(string="Recency Score", readonly=True, aggregator="avg")
    f_score = fields.Integer(string="Frequency Score", readonly=True, aggregator="avg")
    m_score = fields.Integer(string="Monetary Score", readonly=True, aggregator="avg")
    rfm_code = fields.Char(
        string="RFM",
        readonly=True,
        help="Recency, frequency, monetary quintiles (5 = best).",
    )

    # Value
    revenue_12m = fields.Monetary(string="Revenue (12 Months)", readonly=True)
    revenue_prev_12m = fields.Monetary(
        string="Revenue (Previous 12 Months)", readonly=True
    )
    margin_12m = fields.Monetary(
        string="Margin (12 Months)",
        readonly=True,
        help="Margin of the order lines whose product has a cost; lines without "
        "a cost are left out rather than counted as pure margin.",
    )
    cost_recorded = fields.Boolean(
        readonly=True,
        help="Whether any product sold to the customer in 12 months has a cost: "
        "without one, neither the margin nor the lifetime value is known.",
    )
    growth = fields.Float(string="Growth (%)", readonly=True, aggregator="avg")
    service_case_count = fields.Integer(
        string="Service Cases (12 Months)", readonly=True
    )
    service_cost = fields.Monetary(string="Service Cost (12 Months)", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue Receivables", readonly=True)
    lifetime_value = fields.Monetary(
        readonly=True,
        help="Yearly margin net of service cost times the customer lifetime; "
        "0 when the service costs exceed the margin or no cost is recorded.",
    )
    abc_tier = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C")], string="ABC Tier", readonly=True
    )

    # Churn
    churn_risk = fields.Selection(CHURN_RISKS, readonly=True, index=True)
    churn_reasons = fields.Text(readonly=True)
    is_dormant = fields.Boolean(readonly=True)

    _sql_constraints = [
        (
            "partner_company_unique",
            "unique(partner_id, company_id)",
            "A customer has one score per company.",
        ),
    ]

    def action_recompute(self):
        """Recompute the scores of the current companies now (managers only).

        The scores aggregate orders, receivables and service cases that the
        manager may not read one by one, so the batch runs as superuser once
        the right to maintain scores is checked.
        """
        self._check_analytics_manager()
        self.env["crm.customer.score"].sudo()._compute_scores(self.env.companies)
        return True

    @api.model
    def _check_analytics_manager(self):
        """Raise unless the current user may maintain the analyses: the scores
        and affinities are computed by the application only, on a manager's
        demand or by the cron."""
        if not self.env.su and not self.env.user.has_group(
            "crm_analytics.group_analytics_manager"
        ):
            raise AccessError(
                self.env._("Only CRM Analytics managers may recompute the analyses.")
            )

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _compute_scores(self, companies, today=None):
        """(Re)compute the score of every customer of ``companies`` with orders.

        Order aggregates, quintiles and ABC tiers come from one SQL query per
        company; overdue amounts from the aging report; the rows are upserted
        in one statement. Customers without any confirmed order lose their
        score.
        """
        today = today or fields.Date.context_today(self)
        for company in companies:
            rows = self._score_rows(company, today)
            overdue = self._overdue_by_partner(company, today)
            # Customers who owe past due without a recent order are scored too.
            scored = {row["partner_id"] for row in rows}
            rows += [
                self._row_without_orders(partner_id)
                for partner_id, amount in sorted(overdue.items())
                if amount > 0 and partner_id not in scored
            ]
            cases = self._service_cases_by_partner(company, today)
            for row in rows:
                self._complete_row(row, company, today, overdue, cases)
            self._upsert(company, rows)
        self.env["crm.customer.score"].invalidate_model()
        return True

    def _score_rows(self, company, today):
        year_ago = today - timedelta(days=365)
        two_years_ago = today - timedelta(days=730)
        self.env["sale.order"].flush_model()
        self.env["sale.order.line"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        query = SQL(
            """
            WITH orders AS (
                SELECT p.commercial_partner_id AS partner_id,
                       so.id AS order_id,
                       so.date_order::date AS day,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                           AS amount
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
            ), margins AS (
                SELECT o.partner_id,
                       SUM(sol.margin / COALESCE(NULLIF(so.currency_rate, 0), 1))
                           FILTER (WHERE sol.purchase_price <> 0) AS margin_12m,
                       BOOL_OR(sol.purchase_price <> 0) AS cost_recorded
                  FROM orders o
                  JOIN sale_order_line sol ON sol.order_id = o.order_id
                  JOIN sale_order so ON so.id = o.order_id
                 WHERE o.day >= %(year_ago)s
                 GROUP BY o.partner_id
            ), agg AS (
                SELECT partner_id,
                       MAX(day) AS last_order_date,
                       MIN(day) AS first_order_date,
                       COUNT(*) AS order_count,
                       COUNT(*) FILTER (WHERE day >= %(year_ago)s) AS frequency,
                       COALESCE(SUM(amount) FILTER (WHERE day >= %(year_ago)s),
                                0)::float AS revenue_12m,
                       COALESCE(SUM(amount) FILTER (
                           WHERE day >= %(two_years_ago)s AND day < %(year_ago)s),
                                0)::float AS revenue_prev_12m
                  FROM orders
                 GROUP BY partner_id
            )
            SELECT agg.*,
                   COALESCE(m.margin_12m, 0)::float AS margin_12m,
                   COALESCE(m.cost_recorded, FALSE) AS cost_recorded,
                   %(today)s - agg.last_order_date AS recency_days,
                   CASE WHEN agg.order_count > 1
                        THEN (agg.last_order_date - agg.first_order_date)
                             / (agg.order_count - 1)
                   END AS usual_interval_days,
                   NTILE(5) OVER (ORDER BY agg.last_order_date) AS r_score,
                   NTILE(5) OVER (ORDER BY agg.frequency) AS f_score,
                   NTILE(5) OVER (ORDER BY agg.revenue_12m) AS m_score,
                   SUM(agg.revenue_12m) OVER (
                       ORDER BY agg.revenue_12m DESC, agg.partner_id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                   ) AS revenue_before,
                   SUM(agg.revenue_12m) OVER () AS revenue_all
              FROM agg
              LEFT JOIN margins m ON m.partner_id = agg.partner_id
            """,
            company=company.id,
            today=today,
            year_ago=year_ago,
            two_years_ago=two_years_ago,
        )
        self.env.cr.execute(query)
        return self.env.cr.dictfetchall()

    def _overdue_by_partner(self, company, today):
        """What each customer owes past due in the company, net of its unapplied
        credits: the receivables' own exposure figure, as the credit hold and
        the reminders see it."""
        exposure = self.env["aging.report"]._get_exposure(today, company.ids)
        return {
            partner_id: figures["net_overdue"]
            for (partner_id, _company_id), figures in exposure.items()
        }

    def _service_cases_by_partner(self, company, today):
        groups = (
            self.env["css.case"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    (
                        "create_date",
                        ">=",
                        fields.Datetime.to_datetime(today - timedelta(days=365)),
                    ),
                    ("partner_id", "!=", False),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        cases = defaultdict(int)
        for partner, count in groups:
            cases[partner.commercial_partner_id.id] += count
        return cases

    @api.model
    def _row_without_orders(self, partner_id):
        """The aggregated row of a customer without any confirmed order."""
        return {
            "partner_id": partner_id,
            "last_order_date": None,
            "first_order_date": None,
            "order_count": 0,
            "frequency": 0,
            "revenue_12m": 0.0,
            "revenue_prev_12m": 0.0,
            "margin_12m": 0.0,
            "cost_recorded": False,
            "recency_days": None,
            "usual_interval_days": None,
            "r_score": 1,
            "f_score": 1,
            "m_score": 1,
            "revenue_before": None,
            "revenue_all": None,
        }

    def _complete_row(self, row, company, today, overdue, cases):
        """Derived figures and churn reasons of one aggregated row."""
        currency = company.currency_id
        row["overdue_amount"] = currency.round(
            max(overdue.get(row["partner_id"], 0.0), 0.0)
        )
        row["service_case_count"] = cases.get(row["partner_id"], 0)
        row["service_cost"] = row["service_case_count"] * company.analytics_case_cost
        # Unknown without a cost; a customer costing more than it earns is
        # worth nothing, not a negative amount.
        row["lifetime_value"] = currency.round(
            max(row["margin_12m"] - row["service_cost"], 0.0)
            * company.analytics_lifetime_years
            if row["cost_recorded"]
            else 0.0
        )
        previous = row["revenue_prev_12m"]
        row["growth"] = (
            round((row["revenue_12m"] - previous) / previous * 100.0, 1)
            if previous
            else 0.0
        )
        share_before = (row["revenue_before"] or 0.0) / (row["revenue_all"] or 1.0)
        if not row["revenue_12m"]:
            row["abc_tier"] = "C"
        else:
            cutoff_a, cutoff_b = PARETO_CUTOFFS
            row["abc_tier"] = (
                "A"
                if share_before < cutoff_a
                else "B"
                if share_before < cutoff_b
                else "C"
            )
        interval = row["usual_interval_days"]
        row["next_order_date"] = (
            row["last_order_date"] + timedelta(days=interval) if interval else None
        )
        row["rfm_code"] = f"{row['r_score']}{row['f_score']}{row['m_score']}"
        reasons = []
        recency = row["recency_days"]
        row["is_dormant"] = bool(
            recency is not None
            and ((interval and recency > 2 * max(interval, 1)) or recency > 365)
        )
        if row["is_dormant"] and interval:
            reasons.append(
                self.env._(
                    "No order for %(days)s days (usually every %(interval)s days).",
                    days=recency,
                    interval=interval,
                )
            )
        elif row["is_dormant"]:
            reasons.append(
                self.env._(
                    "No order for %(days)s days (a single order so far).",
                    days=recency,
                )
            )
        if previous and row["revenue_12m"] < 0.5 * previous:
            reasons.append(
                self.env._(
                    "Revenue down %(pct)s%% on the previous 12 months.",
                    pct=-row["growth"],
                )
            )
        if row["overdue_amount"] > 0:
            amount = f"{row['overdue_amount']:.2f} {currency.name}"
            reasons.append(
                self.env._("Overdue receivables of %(amount)s.", amount=amount)
            )
        if row["service_case_count"] >= company.analytics_case_alert:
            reasons.append(
                self.env._(
                    "%(count)s service cases in 12 months.",
                    count=row["service_case_count"],
                )
            )
        row["churn_reasons"] = "\n".join(reasons) or False
        row["churn_risk"] = (
            "high"
            if row["is_dormant"] or len(reasons) >= 3
            else "medium"
            if reasons
            else "low"
        )

    _UPSERT_COLUMNS = (
        "partner_id",
        "last_order_date",
        "first_order_date",
        "recency_days",
        "frequency",
        "order_count",
        "usual_interval_days",
        "next_order_date",
        "r_score",
        "f_score",
        "m_score",
        "rfm_code",
        "revenue_12m",
        "revenue_prev_12m",
        "margin_12m",
        "cost_recorded",
        "growth",
        "service_case_count",
        "service_cost",
        "overdue_amount",
        "lifetime_value",
        "abc_tier",
        "churn_risk",
        "churn_reasons",
        "is_dormant",
    )

    def _upsert(self, company, rows):
        payload = json.dumps(
            [{col: row[col] for col in self._UPSERT_COLUMNS} for row in rows],
            default=str,
        )
        columns = SQL(", ").join(SQL.identifier(col) for col in self._UPSERT_COLUMNS)
        types = SQL(", ").join(
            SQL("%s %s", SQL.identifier(col), SQL(self._fields[col].column_type[1]))
            for col in self._UPSERT_COLUMNS
        )
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(col), SQL.identifier(col))
            for col in self._UPSERT_COLUMNS
        )
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_customer_score (%(columns)s, company_id, segment_id,
                    date_computed, create_uid, create_date, write_uid, write_date)
                SELECT %(r_columns)s, %(company)s, p.segment_id,
                       %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM json_to_recordset(%(payload)s) AS r(%(types)s)
                  JOIN res_partner p ON p.id = r.partner_id
                ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET %(updates)s, segment_id = EXCLUDED.segment_id,
                       date_computed = EXCLUDED.date_computed,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                """,
                columns=columns,
                r_columns=SQL(", ").join(
                    SQL("r.%s", SQL.identifier(col)) for col in self._UPSERT_COLUMNS
                ),
                types=types,
                updates=updates,
                company=company.id,
                now=now,
                uid=self.env.uid,
                payload=payload,
            )
        )
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_customer_score"
                " WHERE company_id = %s AND NOT (partner_id = ANY(%s))",
                company.id,
                [row["partner_id"] for row in rows],
            )
        )

    @api.model
    def _cron_compute_scores(self):
        """Recompute the scores and segments, on one node at a time."""
        if not try_cron_lock(self.env, "crm_analytics.compute_scores"):
            return False
        companies = self.env["res.company"].search([])
        self._compute_scores(companies)
        self.env["crm.segment"]._assign_partners()
