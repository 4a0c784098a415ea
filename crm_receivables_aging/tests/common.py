# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# A Wednesday: its week ends on Sunday 2024-06-16.
AS_OF = date(2024, 6, 12)


class AgingCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env.user.groups_id += cls.env.ref(
            "crm_receivables_aging.group_aging_credit_manager"
        )
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.buckets = cls.env["aging.bucket"].search(
            [("company_id", "=", cls.company.id)]
        )
        cls.aging = cls.env["aging.report"]
        cls.customer = cls.env["res.partner"].create(
            {"name": "CoolHome Appliances", "email": "ap@coolhome.example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Fresco Kitchens", "email": "billing@fresco.example.com"}
        )

    @classmethod
    def _invoice(cls, partner, due_date, amount, move_type="out_invoice", **extra):
        """A posted customer invoice (or credit note) due on the given date."""
        move = (
            cls.env["account.move"]
            .with_company(extra.pop("company", cls.company))
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    # Invoiced at the latest on AS_OF, so that it exists then.
                    "invoice_date": extra.pop("invoice_date", min(due_date, AS_OF)),
                    "invoice_date_due": due_date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Refrigerator",
                                "price_unit": amount,
                                "tax_ids": [],
                            }
                        )
                    ],
                    **extra,
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoices, amount, payment_date):
        """Register a payment of the amount on the invoices at the date."""
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": payment_date,
                    "journal_id": cls.bank_journal.id,
                    "payment_method_line_id": cls.inbound_payment_method_line.id,
                }
            )
            ._create_payments()
        )

    def _bucket(self, name, company=None):
        return self.env["aging.bucket"].search(
            [("company_id", "=", (company or self.company).id), ("name", "=", name)]
        )

    def _row(self, partner, as_of_date=AS_OF, **kwargs):
        rows = self.aging.compute_aging(
            as_of_date=as_of_date, partner_ids=partner.ids, **kwargs
        )
        self.assertLessEqual(len(rows), 1)
        return rows[0] if rows else None
