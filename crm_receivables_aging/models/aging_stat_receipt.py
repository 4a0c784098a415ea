# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL


class AgingStatReceipt(models.Model):
    _name = "aging.stat.receipt"
    _description = "Customer Receipts Statistics"
    _auto = False
    _order = "date desc"
    _rec_name = "payment_id"

    payment_id = fields.Many2one("account.payment", readonly=True)
    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    payment_method_id = fields.Many2one(
        "account.payment.method", "Payment method", readonly=True
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                SELECT pay.id, pay.id AS payment_id, pay.date,
                       partner.commercial_partner_id AS partner_id,
                       commercial.user_id, pay.company_id, pay.journal_id,
                       pay.payment_method_id, comp.currency_id,
                       pay.amount_company_currency_signed AS amount
                  FROM account_payment pay
                  JOIN res_company comp ON comp.id = pay.company_id
                  LEFT JOIN res_partner partner ON partner.id = pay.partner_id
                  LEFT JOIN res_partner commercial
                         ON commercial.id = partner.commercial_partner_id
                 WHERE pay.payment_type = 'inbound'
                   AND pay.partner_type = 'customer'
                   AND pay.state IN ('in_process', 'paid')
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
