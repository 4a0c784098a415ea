#!/usr/bin/env python3
"""Benchmark: customer scores over many order lines, product affinity over many orders.

Targets (SPEC.md section 7): scores for 50,000 customers over 1,000,000 order
lines under 30 s; product affinity over 200,000 orders under 60 s.

    python3 bench/crm_analytics_scores.py --db-host /tmp/pgsock --db-user odoo
"""

from benchlib import create_database, drop_database, environment, measure, parse_args


def generate(env, customers, orders, lines_per_order, products):
    """Customers, products and confirmed orders with lines, in SQL."""
    cr = env.cr
    company = env.company
    uom = env.ref("uom.product_uom_unit").id
    categ = env.ref("product.product_category_all").id
    cr.execute(
        """
            INSERT INTO product_template (name, categ_id, uom_id, uom_po_id, type,
                service_tracking, tracking, sale_line_warn, sale_ok, active,
                list_price)
            SELECT jsonb_build_object('en_US', 'Bench product ' || g), %(categ)s,
                   %(uom)s, %(uom)s, 'consu', 'no', 'none', 'no-message', TRUE, TRUE,
                   10 + g %% 500
              FROM generate_series(1, %(products)s) g;
            INSERT INTO product_product (product_tmpl_id, active)
            SELECT id, TRUE FROM product_template
             WHERE name->>'en_US' LIKE 'Bench product %%';
            INSERT INTO res_partner (name, complete_name, is_company, active,
                autopost_bills, type)
            SELECT 'Bench customer ' || g, 'Bench customer ' || g, TRUE, TRUE,
                   'ask', 'contact'
              FROM generate_series(1, %(customers)s) g;
            UPDATE res_partner SET commercial_partner_id = id
             WHERE name LIKE 'Bench customer %%';
            """,
        {"categ": categ, "uom": uom, "products": products, "customers": customers},
    )
    cr.execute(
        """
            WITH partners AS (
                SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM res_partner
                 WHERE name LIKE 'Bench customer %%'
            )
            INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id,
                partner_shipping_id, date_order, state, picking_policy,
                currency_id, currency_rate, amount_untaxed)
            SELECT 'BENCH/' || g, %(company)s, p.id, p.id, p.id,
                   NOW() - (g %% 730) * INTERVAL '1 day', 'sale', 'direct',
                   %(currency)s, 1.0, 0
              FROM generate_series(1, %(orders)s) g
              JOIN partners p ON p.n = 1 + (g * 7919) %% %(customers)s
            """,
        {
            "company": company.id,
            "currency": company.currency_id.id,
            "orders": orders,
            "customers": customers,
        },
    )
    cr.execute(
        """
            WITH products AS (
                SELECT pp.id, ROW_NUMBER() OVER (ORDER BY pp.id) AS n
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pt.name->>'en_US' LIKE 'Bench product %%'
            )
            INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty,
                price_unit, price_subtotal, margin, customer_lead, company_id)
            SELECT so.id, 'line', pr.id, 1, 10 + l, 10 + l, 2 + l %% 5, 0, so.company_id
              FROM sale_order so
             CROSS JOIN generate_series(1, %(lines)s) l
              JOIN products pr
                ON pr.n = 1 + ((so.id * 31 + l * l * 17) %% %(products)s)
             WHERE so.name LIKE 'BENCH/%%';
            UPDATE sale_order so SET amount_untaxed = t.total
              FROM (SELECT order_id, SUM(price_subtotal) AS total
                      FROM sale_order_line GROUP BY order_id) t
             WHERE t.order_id = so.id AND so.name LIKE 'BENCH/%%';
            ANALYZE;
            """,
        {"lines": lines_per_order, "products": products},
    )


def main():
    args = parse_args(
        __doc__,
        db="bench_crm_analytics",
        customers=50_000,
        orders=200_000,
        lines_per_order=5,
        products=500,
    )
    create_database(args, "crm_analytics", reuse=args.reuse)
    try:
        with environment(args) as env:
            with measure("generate data"):
                generate(
                    env,
                    args.customers,
                    args.orders,
                    args.lines_per_order,
                    args.products,
                )
                env.cr.commit()
            print(
                f"{args.customers} customers, {args.orders} orders, "
                f"{args.orders * args.lines_per_order} order lines"
            )
            Score = env["crm.customer.score"]
            with measure("customer scores (target < 30 s)", env.cr):
                Score._compute_scores(env.company)
            print("scores:", Score.search_count([]))
            with measure("customer scores again, as the nightly cron", env.cr):
                Score._compute_scores(env.company)
            env.company.analytics_affinity_min_orders = 20
            Affinity = env["crm.product.affinity"]
            with measure("product affinity (target < 60 s)", env.cr):
                Affinity._compute_affinities(env.company)
            print("affinity rules:", Affinity.search_count([]))
            with measure("segment assignment", env.cr):
                env["crm.segment"]._assign_partners()
    finally:
        if not args.keep:
            drop_database(args)


if __name__ == "__main__":
    main()
