# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.cron_lock import try_cron_lock


class CrmProductAffinity(models.Model):
    """Association rules "who buys A also buys B" mined from confirmed orders.

    support = orders with A and B / all orders; confidence = orders with A and
    B / orders with A; lift = confidence / share of orders with B.
    """

    _name = "crm.product.affinity"
    _description = "Product Affinity"
    _order = "lift desc, confidence desc, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    product_id = fields.Many2one(
        "product.product",
        string="Bought",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    related_product_id = fields.Many2one(
        "product.product",
        string="Also Bought",
        required=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    pair_count = fields.Integer(string="Orders with Both", readonly=True)
    support = fields.Float(digits=(16, 4), readonly=True, aggregator="avg")
    confidence = fields.Float(digits=(16, 4), readonly=True, aggregator="avg")
    lift = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    # The percentage widget drops trailing zeros ("75%" above "18.2%"): the
    # lists show percentages with one decimal each.
    support_percent = fields.Float(
        "Support (%)", digits=(16, 1), compute="_compute_percents"
    )
    confidence_percent = fields.Float(
        "Confidence (%)", digits=(16, 1), compute="_compute_percents"
    )

    _sql_constraints = [
        (
            "pair_unique",
            "unique(company_id, product_id, related_product_id)",
            "A product pair appears once per company.",
        ),
    ]

    @api.depends("support", "confidence")
    def _compute_percents(self):
        for rule in self:
            rule.support_percent = rule.support * 100
            rule.confidence_percent = rule.confidence * 100

    def action_recompute(self):
        """Mine the affinities of the current companies again (managers only)."""
        self.env["crm.customer.score"]._check_analytics_manager()
        self.env["crm.product.affinity"].sudo()._compute_affinities(self.env.companies)
        return True

    @api.model
    def _compute_affinities(self, companies):
        """Replace the affinities of ``companies`` by those of their sale orders.

        One SQL statement per company counts product pairs over the distinct
        products of each confirmed order; pairs below the company's minimum
        number of orders are dropped so that noise does not become advice.
        """
        self.env["sale.order.line"].flush_model(["order_id", "product_id"])
        self.env["sale.order"].flush_model(["state", "company_id"])
        for company in companies:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM crm_product_affinity WHERE company_id = %s", company.id
                )
            )
            self.env.cr.execute(
                SQL(
                    """
                    WITH baskets AS (
                        SELECT DISTINCT sol.order_id, sol.product_id
                          FROM sale_order_line sol
                          JOIN sale_order so ON so.id = sol.order_id
                         WHERE so.state = 'sale' AND so.company_id = %(company)s
                           AND sol.product_id IS NOT NULL
                           AND sol.display_type IS NULL
                    ), total AS (
                        SELECT COUNT(DISTINCT order_id)::float AS orders FROM baskets
                    ), singles AS (
                        SELECT product_id, COUNT(*)::float AS orders
                          FROM baskets GROUP BY product_id
                    ), pairs AS (
                        SELECT a.product_id, b.product_id AS related_product_id,
                               COUNT(*) AS pair_count
                          FROM baskets a
                          JOIN baskets b
                            ON b.order_id = a.order_id AND b.product_id <> a.product_id
                         GROUP BY a.product_id, b.product_id
                        HAVING COUNT(*) >= %(min_orders)s
                    )
                    INSERT INTO crm_product_affinity (
                        company_id, product_id, related_product_id, pair_count,
                        support, confidence, lift,
                        create_uid, create_date, write_uid, write_date)
                    SELECT %(company)s, p.product_id, p.related_product_id,
                           p.pair_count,
                           p.pair_count / t.orders,
                           p.pair_count / sa.orders,
                           (p.pair_count / sa.orders) / (sb.orders / t.orders),
                           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                           NOW() AT TIME ZONE 'UTC'
                      FROM pairs p
                      JOIN singles sa ON sa.product_id = p.product_id
                      JOIN singles sb ON sb.product_id = p.related_product_id
                     CROSS JOIN total t
                    """,
                    company=company.id,
                    min_orders=max(company.analytics_affinity_min_orders, 1),
                    uid=self.env.uid,
                )
            )
        self.env["crm.product.affinity"].invalidate_model()
        return True

    @api.model
    def _cron_compute_affinities(self):
        """Recompute the affinities, on one node at a time."""
        if not try_cron_lock(self.env, "crm_analytics.compute_affinities"):
            return False
        return self._compute_affinities(self.env["res.company"].search([]))
