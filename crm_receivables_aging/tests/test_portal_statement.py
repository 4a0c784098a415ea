# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AgingCommon


@tagged("post_install", "-at_install")
class TestPortalStatement(AgingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        cls.own = cls._invoice(cls.customer, today - timedelta(days=40), 640.0)
        cls.foreign = cls._invoice(cls.other_customer, today - timedelta(days=5), 990.0)
        cls.portal_user = new_test_user(
            cls.env,
            login="coolhome_portal",
            password="coolhome_portal",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            company_id=cls.company.id,
        )

    def test_statement_shows_only_own_items(self):
        self.authenticate("coolhome_portal", "coolhome_portal")
        response = self.url_open("/my/statement")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own.name, response.text)
        self.assertIn("640.00", response.text)
        self.assertNotIn(self.foreign.name, response.text)
        self.assertNotIn("990.00", response.text)

    def test_portal_user_ages_only_its_own_account(self):
        aging = self.env["aging.report"].with_user(self.portal_user)
        rows = aging.compute_aging(partner_ids=self.customer.ids)
        self.assertEqual(rows[0]["total"], 640.0)
        with self.assertRaises(AccessError):
            aging.compute_aging(partner_ids=self.other_customer.ids)
        with self.assertRaises(AccessError):
            aging.compute_aging()

    def test_statement_needs_login(self):
        response = self.url_open("/my/statement", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_statement_pdf(self):
        self.authenticate("coolhome_portal", "coolhome_portal")
        response = self.url_open("/my/statement/pdf")
        self.assertEqual(response.status_code, 200)
