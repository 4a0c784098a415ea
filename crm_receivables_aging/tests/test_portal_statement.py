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
        # The same customer buys from a second company of the group, and a
        # customer of that company only has its own portal access there.
        cls.company_b = cls.setup_other_company(name="Haier Qingdao")["company"]
        cls.own_in_b = cls._invoice(
            cls.customer, today - timedelta(days=20), 4321.0, company=cls.company_b
        )
        cls.b_customer = cls.env["res.partner"].create(
            {"name": "Laoshan Hotels", "email": "ap@laoshan.example.com"}
        )
        cls.b_invoice = cls._invoice(
            cls.b_customer, today - timedelta(days=10), 777.0, company=cls.company_b
        )
        cls.b_portal_user = new_test_user(
            cls.env,
            login="laoshan_portal",
            password="laoshan_portal",
            groups="base.group_portal",
            partner_id=cls.b_customer.id,
            company_id=cls.company_b.id,
            company_ids=cls.company_b.ids,
        )
        cls.coolhome_b_user = new_test_user(
            cls.env,
            login="coolhome_b_portal",
            password="coolhome_b_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "CoolHome buyer", "parent_id": cls.customer.id})
            .id,
            company_id=cls.company_b.id,
            company_ids=cls.company_b.ids,
        )

    def _page(self, login, url="/my/statement"):
        self.authenticate(login, login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def _assert_amounts(self, page, shown=(), hidden=()):
        """Invoice numbers repeat across companies: tell them by amount."""
        for amount in shown:
            self.assertTrue(amount in page, f"{amount} is missing")
        for amount in hidden:
            self.assertFalse(amount in page, f"{amount} is shown")

    def test_statement_shows_only_own_items(self):
        page = self._page("coolhome_portal")
        self.assertIn(self.own.name, page)
        # Not another customer's, nor what the customer owes another company
        # of which the user is no portal user.
        self._assert_amounts(page, ["640.00"], ["990.00", "4,321.00", "777.00"])

    def test_home_entry_has_its_own_pictogram(self):
        """The statement's entry on the portal home has its own pictogram, not
        the invoices' one, and the pictogram is served."""
        page = self._page("coolhome_portal", "/my/home")
        icon = "/crm_receivables_aging/static/src/img/statement.svg"
        self.assertIn(icon, page)
        self.assertEqual(self.url_open(icon).status_code, 200)

    def test_statement_of_a_user_of_another_company(self):
        """A portal user of the second company sees its own account there, and
        nothing of the first company, whose customer it is too."""
        page = self._page("coolhome_b_portal")
        self._assert_amounts(page, ["4,321.00"], ["640.00", "990.00", "777.00"])
        page = self._page("laoshan_portal")
        self._assert_amounts(page, ["777.00"], ["640.00", "990.00", "4,321.00"])

    def test_pdf_covers_only_own_account_and_company(self):
        # Tests render reports as HTML, which shows what the PDF holds.
        page = self._page("coolhome_b_portal", "/my/statement/pdf")
        self._assert_amounts(page, ["4,321.00"], ["640.00", "990.00", "777.00"])
        # Nor, when the customer is restricted to the first company, the
        # statement of that company (as superuser in the customer's company).
        self.env.cr.execute(
            "UPDATE res_partner SET company_id = %s WHERE id = %s",
            (self.company.id, self.customer.id),
        )
        self.env.invalidate_all()
        response = self.url_open("/my/statement/pdf")
        self._assert_amounts(response.text, hidden=["640.00", "990.00", "777.00"])

    def test_report_of_another_customer_is_refused(self):
        self.authenticate("coolhome_portal", "coolhome_portal")
        response = self.url_open(
            "/report/pdf/crm_receivables_aging.report_customer_statement/"
            f"{self.other_customer.id}"
        )
        self.assertNotEqual(response.status_code, 200)
        self._assert_amounts(response.text, hidden=["990.00"])

    def test_portal_user_ages_only_its_own_account(self):
        aging = self.env["aging.report"].with_user(self.portal_user)
        rows = aging.compute_aging(partner_ids=self.customer.ids)
        self.assertEqual(rows[0]["total"], 640.0)
        with self.assertRaises(AccessError):
            aging.compute_aging(partner_ids=self.other_customer.ids)
        with self.assertRaises(AccessError):
            aging.compute_aging()
        with self.assertRaises(AccessError):
            aging.compute_aging(
                partner_ids=self.customer.ids, company_ids=self.company_b.ids
            )
        with self.assertRaises(AccessError):
            self.env["aging.report"].with_user(self.b_portal_user).compute_aging(
                partner_ids=self.customer.ids, company_ids=self.company_b.ids
            )

    def test_statement_needs_login(self):
        response = self.url_open("/my/statement", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_statement_pdf(self):
        self.authenticate("coolhome_portal", "coolhome_portal")
        response = self.url_open("/my/statement/pdf")
        self.assertEqual(response.status_code, 200)
        self._assert_amounts(response.text, ["640.00"], ["990.00", "4,321.00"])
