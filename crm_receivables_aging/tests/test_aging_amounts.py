# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AS_OF, AgingCommon


@tagged("post_install", "-at_install")
class TestAgingAmounts(AgingCommon):
    def test_partial_payment_reduces_the_open_amount(self):
        invoice = self._invoice(self.customer, AS_OF - timedelta(days=10), 1000.0)
        self._pay(invoice, 400.0, AS_OF - timedelta(days=5))
        row = self._row(self.customer)
        self.assertEqual(row["total"], 600.0)
        self.assertEqual(row["buckets"][self._bucket("1-30").id], 600.0)

    def test_fully_paid_invoice_is_not_open(self):
        invoice = self._invoice(self.customer, AS_OF - timedelta(days=10), 1000.0)
        self._pay(invoice, 1000.0, AS_OF - timedelta(days=5))
        self.assertIsNone(self._row(self.customer))

    def test_credit_note_applied_and_unapplied(self):
        invoice = self._invoice(self.customer, AS_OF - timedelta(days=40), 1000.0)
        refund = self._invoice(
            self.customer, AS_OF - timedelta(days=20), 300.0, move_type="out_refund"
        )
        # Not applied yet: the credit note is an unapplied credit, in no
        # bucket; the total is the buckets less the credits.
        row = self._row(self.customer)
        self.assertEqual(row["total"], 700.0)
        self.assertEqual(row["buckets"][self._bucket("31-60").id], 1000.0)
        self.assertEqual(row["buckets"][self._bucket("1-30").id], 0.0)
        self.assertEqual(row["unapplied_credits"], 300.0)
        self.assertEqual(
            sum(row["buckets"].values()) - row["unapplied_credits"], row["total"]
        )
        # Applied to the invoice: only the invoice's rest stays open.
        (invoice + refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        row = self._row(self.customer)
        self.assertEqual(row["total"], 700.0)
        self.assertEqual(row["buckets"][self._bucket("31-60").id], 700.0)
        self.assertEqual(row["buckets"][self._bucket("1-30").id], 0.0)

    def test_unapplied_payment_is_a_credit(self):
        self._invoice(self.customer, AS_OF - timedelta(days=3), 500.0)
        payment = self.env["account.payment"].create(
            {
                "amount": 200.0,
                "date": AS_OF - timedelta(days=1),
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "journal_id": self.bank_journal.id,
                "payment_method_line_id": self.inbound_payment_method_line.id,
            }
        )
        payment.action_post()
        row = self._row(self.customer)
        self.assertEqual(row["total"], 300.0)
        self.assertEqual(row["buckets"][self._bucket("1-30").id], 500.0)
        self.assertEqual(row["unapplied_credits"], 200.0)

    def test_not_due_never_negative(self):
        """An unapplied credit note not yet due does not make 'Not due'
        negative: it is shown as unapplied credits and the totals still
        reconcile with the customer's balance."""
        self._invoice(self.customer, AS_OF + timedelta(days=10), 100.0)
        self._invoice(
            self.customer, AS_OF + timedelta(days=10), 400.0, move_type="out_refund"
        )
        row = self._row(self.customer)
        self.assertEqual(row["not_due"], 100.0)
        self.assertEqual(row["buckets"][self._bucket("Not due").id], 100.0)
        self.assertEqual(row["unapplied_credits"], 400.0)
        self.assertEqual(row["total"], -300.0)
        report = self.aging.create(
            {"as_of_date": AS_OF, "partner_ids": [(6, 0, self.customer.ids)]}
        )
        [line] = report._get_report_data()["rows"]
        self.assertEqual(line["unapplied_credits"], -400.0)
        self.assertEqual(
            sum(line["buckets"]) + line["unapplied_credits"], line["total"]
        )

    def test_as_of_date_before_a_later_payment(self):
        invoice = self._invoice(self.customer, AS_OF - timedelta(days=50), 1000.0)
        self._pay(invoice, 1000.0, AS_OF + timedelta(days=3))
        self._pay(
            self._invoice(self.customer, AS_OF - timedelta(days=80), 500.0),
            200.0,
            AS_OF - timedelta(days=1),
        )
        # As of AS_OF the payment of the first invoice had not come in yet.
        row = self._row(self.customer)
        self.assertEqual(row["total"], 1300.0)
        self.assertEqual(row["buckets"][self._bucket("31-60").id], 1000.0)
        self.assertEqual(row["buckets"][self._bucket("61-90").id], 300.0)
        # After the payment only the second invoice is left.
        row = self._row(self.customer, as_of_date=AS_OF + timedelta(days=3))
        self.assertEqual(row["total"], 300.0)
        # Before the invoices existed nothing was open.
        self.assertIsNone(self._row(self.customer, as_of_date=AS_OF - timedelta(90)))

    def test_foreign_currency_in_company_currency(self):
        foreign = self.setup_other_currency(
            "EUR", rates=[("2000-01-01", 2.0), ("2024-06-01", 4.0)]
        )
        invoice = self._invoice(
            self.customer,
            date(2024, 5, 15),
            1000.0,
            currency_id=foreign.id,
        )
        row = self._row(self.customer)
        self.assertEqual(invoice.currency_id, foreign)
        self.assertEqual(row["currency_id"], self.company.currency_id.id)
        self.assertEqual(row["total"], 500.0)  # 1000 EUR at 2 per unit

    def test_other_company_excluded(self):
        other = self.setup_other_company()["company"]
        self._invoice(self.customer, AS_OF - timedelta(days=5), 100.0)
        self._invoice(self.customer, AS_OF - timedelta(days=5), 7000.0, company=other)
        row = self._row(self.customer, company_ids=self.company.ids)
        self.assertEqual(row["total"], 100.0)
        rows = self.aging.compute_aging(
            as_of_date=AS_OF,
            partner_ids=self.customer.ids,
            company_ids=(self.company + other).ids,
            group_by="company",
        )
        self.assertEqual(
            {r["company_id"]: r["total"] for r in rows},
            {self.company.id: 100.0, other.id: 7000.0},
        )
        # A user of one company only may not age the other one.
        user = self.env["res.users"].create(
            {
                "name": "Collector",
                "login": "collector_one_company",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [
                    (6, 0, self.env.ref("account.group_account_invoice").ids)
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.aging.with_user(user).compute_aging(
                as_of_date=AS_OF, company_ids=other.ids
            )

    def test_group_by_salesperson_and_company(self):
        seller = self.env["res.users"].create({"name": "Wang Li", "login": "wangli"})
        self._invoice(
            self.customer, AS_OF - timedelta(days=5), 100.0, invoice_user_id=seller.id
        )
        self._invoice(
            self.other_customer,
            AS_OF - timedelta(days=50),
            300.0,
            invoice_user_id=seller.id,
        )
        partners = self.customer + self.other_customer
        rows = self.aging.compute_aging(
            as_of_date=AS_OF, partner_ids=partners.ids, group_by="salesperson"
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["user_id"], seller.id)
        self.assertEqual(rows[0]["total"], 400.0)
        self.assertEqual(rows[0]["max_days_overdue"], 50)
        rows = self.aging.compute_aging(
            as_of_date=AS_OF, partner_ids=partners.ids, group_by="partner"
        )
        self.assertEqual(
            {r["partner_id"]: r["total"] for r in rows},
            {self.customer.id: 100.0, self.other_customer.id: 300.0},
        )

    def test_aging_by_invoice_date(self):
        self._invoice(
            self.customer,
            AS_OF + timedelta(days=10),
            100.0,
            invoice_date=AS_OF - timedelta(days=35),
        )
        self.assertEqual(self._row(self.customer)["not_due"], 100.0)
        self.company.aging_date_basis = "invoice_date"
        row = self._row(self.customer)
        self.assertEqual(row["buckets"][self._bucket("31-60").id], 100.0)

    def test_bad_parameters(self):
        with self.assertRaisesRegex(UserError, "past date"):
            self.aging.compute_aging(as_of_date=date.today() + timedelta(days=1))
        with self.assertRaisesRegex(UserError, "salesperson or company"):
            self.aging.compute_aging(group_by="product")

    def test_one_query_for_the_aging(self):
        self._invoice(self.customer, AS_OF - timedelta(days=5), 100.0)
        self.env.invalidate_all()
        self.aging.compute_aging(as_of_date=AS_OF)
        with self.assertQueryCount(3):  # buckets, receivable accounts, aging
            self.aging.compute_aging(as_of_date=AS_OF)

    def test_drill_down_to_open_items(self):
        invoice = self._invoice(self.customer, AS_OF - timedelta(days=45), 100.0)
        self._invoice(self.other_customer, AS_OF - timedelta(days=5), 50.0)
        report = self.aging.create(
            {"as_of_date": AS_OF, "partner_ids": [(6, 0, self.customer.ids)]}
        )
        action = report.action_view_items()
        items = self.env["aging.report.line"].search(action["domain"])
        self.assertEqual(items.move_id, invoice)
        self.assertEqual(items.bucket_id, self._bucket("31-60"))
        self.assertEqual(items.days_overdue, 45)
        self.assertEqual(items.amount_residual, 100.0)
        self.assertEqual(items.action_open_entry()["res_id"], invoice.id)
