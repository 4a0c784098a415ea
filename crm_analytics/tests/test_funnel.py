# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFunnel(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Appliances B2B"})
        Stage = cls.env["crm.stage"]
        cls.stages = Stage.create(
            [
                {"name": "T-New", "sequence": 901, "team_id": cls.team.id},
                {"name": "T-Proposal", "sequence": 902, "team_id": cls.team.id},
                {
                    "name": "T-Won",
                    "sequence": 903,
                    "team_id": cls.team.id,
                    "is_won": True,
                },
            ]
        )
        cls.rep = new_test_user(
            cls.env, login="funnel_rep", groups="sales_team.group_sale_salesman"
        )
        cls.campaign = cls.env["utm.campaign"].create(
            {"title": "Spring Fridges", "analytics_cost": 100.0}
        )

    def _lead(self, name, stage):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": self.rep.id,
                "stage_id": stage.id,
                "expected_revenue": 1000.0,
                "campaign_id": self.campaign.id,
            }
        )

    def _move(self, lead, stage):
        """Change the stage and commit its tracking, as separate user actions do."""
        lead.stage_id = stage
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_win_rate_and_cycle_time(self):
        new, proposal, won = self.stages
        won_lead = self._lead("Won deal", new)
        lost_lead = self._lead("Lost deal", new)
        self._lead("Open deal", proposal)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = '2026-03-01' WHERE team_id = %s",
            [self.team.id],
        )
        self.env.invalidate_all()
        with freeze_time("2026-03-11"):
            won_lead.stage_id = won
            lost_lead.action_set_lost()
        self.env.flush_all()
        Report = self.env["crm.funnel.report"]
        [(count, win_rate, cycle)] = Report._read_group(
            [("team_id", "=", self.team.id)],
            [],
            ["__count", "win_rate:avg", "cycle_days:avg"],
        )
        self.assertEqual(count, 3)
        self.assertAlmostEqual(win_rate, 50.0)
        self.assertAlmostEqual(cycle, 10.0, places=1)
        outcomes = dict(
            Report._read_group(
                [("team_id", "=", self.team.id)], ["outcome"], ["__count"]
            )
        )
        self.assertEqual(outcomes, {"won": 1, "lost": 1, "open": 1})

    def test_stage_conversion_counts_stages_reached(self):
        new, proposal, won = self.stages
        lead_a = self._lead("A", new)
        lead_b = self._lead("B", new)
        self._lead("C", new)
        self.env.flush_all()
        self.env.cr.precommit.run()
        self._move(lead_a, proposal)
        self._move(lead_a, won)
        self._move(lead_b, proposal)
        # Moving back does not undo having reached the proposal stage.
        self._move(lead_b, new)
        reached = dict(
            self.env["crm.funnel.stage.report"]._read_group(
                [("team_id", "=", self.team.id), ("stage_id", "in", self.stages.ids)],
                ["stage_id"],
                ["__count"],
            )
        )
        self.assertEqual(reached, {new: 3, proposal: 2, won: 1})

    def _campaign_sale(self, price):
        """A confirmed order of the campaign, of one fridge at the price."""
        partner = self.env["res.partner"].create({"name": "Campaign Buyer"})
        product = self.env["product.product"].create(
            {"name": "Fridge", "list_price": price}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "campaign_id": self.campaign.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        self.env.flush_all()
        return order

    def test_campaign_roi(self):
        _new, _proposal, won = self.stages
        self._lead("Won", won)
        self._campaign_sale(400.0)
        row = self.env["crm.campaign.report"].search(
            [("campaign_id", "=", self.campaign.id)]
        )
        self.assertEqual((row.lead_count, row.won_count, row.order_count), (1, 1, 1))
        self.assertAlmostEqual(row.revenue, 400.0)
        self.assertAlmostEqual(row.roi, 300.0)

    def test_campaign_cost_counted_once_over_companies(self):
        """A campaign selling in two companies counts its cost once, split by
        revenue: both rows show the campaign's ROI, and so does the total."""
        second_company = self.env["res.company"].create({"name": "Haier Export"})
        self.env.user.company_ids |= second_company
        partner = self.env["res.partner"].create({"name": "Campaign Buyer"})
        product = self.env["product.product"].create(
            {"name": "Fridge", "list_price": 100, "company_id": False}
        )
        for company, qty in ((self.env.company, 3), (second_company, 1)):
            order = (
                self.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": partner.id,
                        "campaign_id": self.campaign.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": qty}
                            )
                        ],
                    }
                )
            )
            order.action_confirm()
        self.env.flush_all()
        Report = self.env["crm.campaign.report"]
        rows = Report.search([("campaign_id", "=", self.campaign.id)])
        self.assertEqual(len(rows), 2)
        self.assertAlmostEqual(sum(rows.mapped("cost")), 100.0)
        by_company = {row.company_id: row for row in rows}
        self.assertAlmostEqual(by_company[self.env.company].cost, 75.0)
        self.assertAlmostEqual(by_company[second_company].cost, 25.0)
        # Revenue 400 for a cost of 100, on each row and in total.
        self.assertEqual(rows.mapped("roi"), [300.0, 300.0])
        [(revenue, cost, roi)] = Report._read_group(
            [("campaign_id", "=", self.campaign.id)],
            aggregates=["revenue:sum", "cost:sum", "roi:avg"],
        )
        self.assertAlmostEqual(revenue, 400.0)
        self.assertAlmostEqual(cost, 100.0)
        self.assertAlmostEqual(roi, 300.0)

    def test_campaign_row_without_sales_has_no_roi(self):
        """Leads in a company where the campaign sold nothing bear none of
        its cost: that row has no ROI (it showed the campaign's 300%), and
        the campaign's total still has it."""
        second_company = self.env["res.company"].create({"name": "Haier Export"})
        self.env.user.company_ids |= second_company
        self.env["crm.lead"].with_company(second_company).create(
            {
                "name": "Export enquiry",
                "campaign_id": self.campaign.id,
                "company_id": second_company.id,
            }
        )
        self._campaign_sale(400.0)
        Report = self.env["crm.campaign.report"]
        rows = Report.search([("campaign_id", "=", self.campaign.id)])
        by_company = {row.company_id: row for row in rows}
        export = by_company[second_company]
        self.assertEqual((export.lead_count, export.revenue, export.cost), (1, 0, 0))
        self.assertFalse(export.roi)
        self.assertAlmostEqual(by_company[self.env.company].roi, 300.0)
        # Amounts with their currency, not bare numbers.
        self.assertEqual(Report._fields["revenue"].type, "monetary")
        self.assertEqual(Report._fields["cost"].type, "monetary")
        self.assertEqual(export.currency_id, second_company.currency_id)
        [(roi,)] = Report._read_group(
            [("campaign_id", "=", self.campaign.id)], aggregates=["roi:avg"]
        )
        self.assertAlmostEqual(roi, 300.0)
        action = self.env.ref("crm_analytics.action_crm_campaign_report")
        self.assertIn("search_default_group_campaign", action.context)

    def test_win_rate_pivot_not_split_by_outcome(self):
        """The win rate pivot shows the rate per salesperson, not split into won
        and lost columns where it could only be 0 or 100."""
        arch = self.env.ref("crm_analytics.crm_funnel_report_view_pivot").arch
        self.assertNotIn('name="outcome"', arch)

    def test_overdue_followup_lists_without_creating(self):
        """The customers with overdue activities: no New button, no sample rows,
        a name saying what it lists."""
        action = self.env.ref("crm_analytics.action_partner_overdue_followup")
        self.assertEqual(action.name, "Customers with Overdue Activities")
        self.assertIn("'create': False", action.context)
        view = self.env.ref("crm_analytics.res_partner_view_list_overdue_followup")
        self.assertEqual(action.view_ids.view_id, view)
        arch = self.env["res.partner"].get_view(view.id, "list")["arch"]
        self.assertIn('sample="0"', arch)
        self.assertIn('create="0"', arch)
