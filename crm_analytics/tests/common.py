# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

TODAY = date(2026, 6, 15)


class AnalyticsCommon(AccountTestInvoicingCommon):
    """A company with products, customers and a helper to book orders in the past."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env.user.groups_id |= cls.env.ref(
            "crm_analytics.group_analytics_manager"
        ) | cls.env.ref("base.group_partner_manager")
        cls.Score = cls.env["crm.customer.score"]
        cls.product_fridge = cls._create_product(name="Fridge", lst_price=1000.0)
        cls.product_washer = cls._create_product(name="Washer", lst_price=500.0)
        cls.product_filter = cls._create_product(name="Water Filter", lst_price=50.0)
        cls.customer_big = cls.env["res.partner"].create(
            {"name": "Big Corp", "is_company": True}
        )
        cls.customer_small = cls.env["res.partner"].create(
            {"name": "Small Shop", "is_company": True}
        )
        cls.consumer = cls.env["res.partner"].create({"name": "Ann Consumer"})
        cls.analyst = new_test_user(
            cls.env,
            login="analyst",
            groups="base.group_user,crm_analytics.group_analytics_user",
        )
        cls.analytics_manager = new_test_user(
            cls.env,
            login="analytics_manager",
            groups="base.group_user,crm_analytics.group_analytics_manager",
        )
        cls.salesman = new_test_user(
            cls.env, login="plain_salesman", groups="sales_team.group_sale_salesman"
        )

    @classmethod
    def _order(cls, partner, day, lines, company=None, confirm=True):
        """A sale order of ``partner`` dated ``day`` with (product, qty) lines."""
        order = (
            cls.env["sale.order"]
            .with_company(company or cls.env.company)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": qty}
                        )
                        for product, qty in lines
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        order.date_order = datetime.combine(day, datetime.min.time())
        return order

    def _score(self, partner):
        return self.Score.search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )
