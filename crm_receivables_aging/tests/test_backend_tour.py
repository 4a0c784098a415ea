# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AgingCommon


@tagged("post_install", "-at_install")
class TestBackendTour(AgingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        customer = cls.env["res.partner"].create({"name": "Tour Appliances"})
        cls._invoice(customer, today - timedelta(days=40), 1200.0)
        cls.accountant = new_test_user(
            cls.env,
            login="aging_accountant",
            password="aging_accountant",
            groups="base.group_user,account.group_account_invoice,"
            "crm_receivables_aging.group_aging_collector",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_accountant_opens_the_aging_and_drills_down(self):
        self.start_tour(
            "/odoo/action-crm_receivables_aging.action_aging_report",
            "crm_receivables_aging_report_tour",
            login="aging_accountant",
        )
