# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL


class CrmCampaignReport(models.Model):
    """Return on investment of each marketing campaign, per company.

    A campaign's cost is counted once: split over its company rows in
    proportion to their revenue (evenly while it has none), so that the costs
    add up to the campaign's; a row's ROI is that of its revenue and share of
    the cost, which is the campaign's ROI on every row with revenue, and none
    on a row that bears no cost (leads, but no sales there)."""

    _name = "crm.campaign.report"
    _description = "Campaign Return on Investment"
    _auto = False
    _order = "revenue desc"

    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    revenue = fields.Monetary(readonly=True)
    cost = fields.Monetary(
        readonly=True,
        help="The campaign's cost, split over its companies by revenue.",
    )
    roi = fields.Float(
        string="ROI (%)",
        readonly=True,
        aggregator="avg",
        help="(Revenue - cost) / cost; empty when the campaign has no cost.",
    )

    def _read_group_select(self, aggregate_spec, query):
        """The ROI of a group is that of its revenue and cost, not an average
        of its rows' percentages."""
        if aggregate_spec.startswith("roi:"):
            revenue = self._field_to_sql(self._table, "revenue", query)
            cost = self._field_to_sql(self._table, "cost", query)
            return SQL(
                "(SUM(%s) - SUM(%s)) / NULLIF(SUM(%s), 0) * 100.0",
                revenue,
                cost,
                cost,
            )
        return super()._read_group_select(aggregate_spec, query)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH orders AS (
                SELECT campaign_id, company_id, COUNT(*) AS order_count,
                       SUM(amount_untaxed / COALESCE(NULLIF(currency_rate, 0), 1))
                           AS revenue
                  FROM sale_order
                 WHERE state = 'sale' AND campaign_id IS NOT NULL
                 GROUP BY campaign_id, company_id
            ), leads AS (
                SELECT l.campaign_id, l.company_id, COUNT(*) AS lead_count,
                       COUNT(*) FILTER (WHERE s.is_won) AS won_count
                  FROM crm_lead l
                  LEFT JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.campaign_id IS NOT NULL
                 GROUP BY l.campaign_id, l.company_id
            ), keys AS (
                SELECT campaign_id, company_id FROM orders
                UNION
                SELECT campaign_id, company_id FROM leads
            )
            , rows AS (
            SELECT k.campaign_id, k.company_id,
                   COALESCE(l.lead_count, 0) AS lead_count,
                   COALESCE(l.won_count, 0) AS won_count,
                   COALESCE(o.order_count, 0) AS order_count,
                   COALESCE(o.revenue, 0) AS revenue,
                   COALESCE(c.analytics_cost, 0) * CASE
                       WHEN SUM(COALESCE(o.revenue, 0)) OVER campaign > 0
                       THEN COALESCE(o.revenue, 0)
                            / SUM(COALESCE(o.revenue, 0)) OVER campaign
                       ELSE 1.0 / COUNT(*) OVER campaign END AS cost
              FROM keys k
              JOIN utm_campaign c ON c.id = k.campaign_id
              LEFT JOIN orders o ON o.campaign_id = k.campaign_id
                   AND o.company_id IS NOT DISTINCT FROM k.company_id
              LEFT JOIN leads l ON l.campaign_id = k.campaign_id
                   AND l.company_id IS NOT DISTINCT FROM k.company_id
            WINDOW campaign AS (PARTITION BY k.campaign_id)
            )
            SELECT ROW_NUMBER() OVER (ORDER BY r.campaign_id, r.company_id) AS id,
                   r.*,
                   -- Amounts are in the currency of the company of the row
                   -- (leads without a company: the main company's).
                   COALESCE(company.currency_id, (
                       SELECT main.currency_id FROM res_company main
                        ORDER BY main.id LIMIT 1)) AS currency_id,
                   CASE WHEN r.cost > 0
                        THEN (r.revenue - r.cost) / r.cost * 100.0 END AS roi
              FROM rows r
              LEFT JOIN res_company company ON company.id = r.company_id
            """
        )
