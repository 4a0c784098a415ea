# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

# Spend is what was ordered: the backend's "B2B Spend (Ordered)" counts the same.
SPEND_DOMAIN = [("state", "=", "sale")]


class B2bAccount(models.Model):
    _name = "b2b.account"
    _description = "B2B Customer Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        tracking=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        help="The customer company's name unless you give another one.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="pricelist_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer Company",
        required=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Negotiated Pricelist",
        required=True,
        tracking=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        default=lambda self: self.env.user,
        tracking=True,
        help="Salesperson of the quotes built on this account.",
    )
    welcome_text = fields.Html(translate=True)
    max_line_quantity = fields.Float(
        default=10000,
        help="Largest quantity a member may order on one quote line.",
    )

    # Catalog
    product_category_ids = fields.Many2many(
        "product.category",
        string="Catalog Categories",
        help="Every saleable product of these categories (and their children).",
    )
    product_ids = fields.Many2many(
        "product.template",
        string="Catalog Products",
        domain="[('sale_ok', '=', True)]",
        help="Products added one by one, on top of the categories.",
    )
    configuration_ids = fields.One2many(
        "b2b.configuration", "account_id", string="Standard Configurations"
    )

    # Organisation
    member_ids = fields.One2many("b2b.member", "account_id", string="Members")
    cost_center_ids = fields.One2many(
        "b2b.cost.center", "account_id", string="Cost Centres"
    )
    rule_ids = fields.One2many(
        "b2b.approval.rule", "account_id", string="Approval Rules"
    )
    delivery_address_ids = fields.Many2many(
        "res.partner",
        string="Delivery Addresses",
        domain="[('id', 'child_of', partner_id)]",
    )
    order_ids = fields.One2many("sale.order", "b2b_account_id", string="Quotes")
    member_count = fields.Integer(compute="_compute_counts")
    order_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        (
            "partner_uniq",
            "unique(partner_id, company_id)",
            "A customer company has one B2B account per company.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_name(self):
        for account in self:
            account.name = account.name or account.partner_id.name

    @api.depends("member_ids", "order_ids")
    def _compute_counts(self):
        members = dict(
            self.env["b2b.member"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        orders = dict(
            self.env["sale.order"]._read_group(
                [("b2b_account_id", "in", self.ids)], ["b2b_account_id"], ["__count"]
            )
        )
        for account in self:
            account.member_count = members.get(account, 0)
            account.order_count = orders.get(account, 0)

    @api.constrains("partner_id")
    def _check_partner_is_commercial(self):
        for account in self:
            if account.partner_id != account.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The B2B account of %(partner)s must be its company "
                        "(%(company)s), not a contact.",
                        partner=account.partner_id.display_name,
                        company=account.partner_id.commercial_partner_id.display_name,
                    )
                )

    def action_view_orders(self):
        """Open the quotes and orders built on this account."""
        self.ensure_one()
        self._check_backend_user()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_b2b_portal.action_b2b_orders"
        )
        action["domain"] = [("b2b_account_id", "=", self.id)]
        action["context"] = {"default_b2b_account_id": self.id}
        return action

    def action_view_members(self):
        """Open the members of this account."""
        self.ensure_one()
        self._check_backend_user()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_b2b_portal.action_b2b_member"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action

    def _check_backend_user(self):
        """Raise unless an internal user who may read this account calls."""
        if self.env.user.share:
            raise AccessError(
                self.env._("Only the vendor's users open accounts in the backend.")
            )
        self.check_access("read")

    def _catalog_domain(self):
        """Domain of the product templates this account may buy."""
        self.ensure_one()
        domain = [("id", "in", self.product_ids.ids)]
        if self.product_category_ids:
            domain = [
                "|",
                *domain,
                ("categ_id", "child_of", self.product_category_ids.ids),
            ]
        return [("sale_ok", "=", True), *domain]

    def _catalog_categories(self):
        """Categories shown as filters in the catalog."""
        self.ensure_one()
        return self.product_category_ids | self.product_ids.categ_id

    def _b2b_configure(self, product_tmpl_id, value_ids):
        """Return the variant and the no-variant values chosen for a catalog product.

        Raises a message when the product is not in the catalog or the
        attribute values do not make a valid configuration of it.
        """
        self.ensure_one()
        account = self.sudo()
        template = account.env["product.template"].search(
            [("id", "=", product_tmpl_id), *account._catalog_domain()], limit=1
        )
        if not template:
            raise UserError(self.env._("This product is not in your catalog."))
        lines = template.valid_product_template_attribute_line_ids
        values = lines.product_template_value_ids.filtered(
            lambda v: v.id in set(value_ids)
        )
        # Attributes with a single value need no choice.
        values |= lines.filtered(
            lambda ln: len(ln.product_template_value_ids) == 1
        ).product_template_value_ids
        if (
            len(values.attribute_line_id) != len(values)
            or values.attribute_line_id != lines
        ):
            raise UserError(
                self.env._("Choose one value for each option of the product.")
            )
        if not template._is_combination_possible(values):
            raise UserError(self.env._("This combination of options is not available."))
        product = template._create_product_variant(values)
        if not product:
            raise UserError(self.env._("This combination of options is not available."))
        no_variant = values.filtered(
            lambda v: v.attribute_id.create_variant == "no_variant"
        )
        return product, no_variant

    # Reports ----------------------------------------------------------------

    def _spend_report(self):
        """Ordered spend of the account by cost centre, member, month and category.

        Returns ``{dimension: [(label, amount, order_count)]}`` plus the approval
        cycle times under ``cycle``: ``[(month, quotes, average_hours)]``.
        """
        self.ensure_one()
        report = self.env["sale.report"].sudo()
        domain = [("b2b_account_id", "=", self.id), *SPEND_DOMAIN]
        dimensions = {
            "cost_center": "b2b_cost_center_id",
            "member": "b2b_requester_id",
            "month": "date:month",
            "category": "categ_id",
        }
        result = {}
        for key, groupby in dimensions.items():
            rows = report._read_group(
                domain, [groupby], ["price_subtotal:sum", "name:count_distinct"]
            )
            result[key] = [
                (self._report_label(value), amount, count)
                for value, amount, count in rows
            ]
        result["cycle"] = self._approval_cycle_times()
        return result

    def _report_label(self, value):
        """How a group of the spend report is named: "October 2026", a category
        path below the root category ("Engineering Workplace"), a name."""
        if not value:
            return self.env._("Not set")
        if isinstance(value, models.BaseModel) and value._name == "product.category":
            return (
                value.complete_name.split(" / ", 1)[-1]
                if value.parent_id
                else value.name
            )
        if isinstance(value, models.BaseModel):
            return value.display_name
        return self._month_label(value)

    def _month_label(self, day):
        return format_date(self.env, day, date_format="MMMM yyyy")

    def _approval_cycle_times(self):
        self.ensure_one()
        self.env["sale.order"].flush_model(
            ["b2b_account_id", "b2b_submitted_on", "b2b_approved_on"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT date_trunc('month', b2b_submitted_on)::date,
                       count(*),
                       avg(extract(epoch FROM b2b_approved_on - b2b_submitted_on))
                           / 3600
                  FROM sale_order
                 WHERE b2b_account_id = %s
                   AND b2b_approved_on IS NOT NULL
                   AND b2b_submitted_on IS NOT NULL
              GROUP BY 1
              ORDER BY 1
                """,
                self.id,
            )
        )
        return [
            (self._month_label(month), count, round(hours, 1))
            for month, count, hours in self.env.cr.fetchall()
        ]

    def _spend_report_xlsx(self):
        """The spend report as an XLSX workbook (bytes)."""
        self.ensure_one()
        data = self._spend_report()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        titles = {
            "cost_center": self.env._("Cost Centre"),
            "member": self.env._("Member"),
            "month": self.env._("Month"),
            "category": self.env._("Product Category"),
        }
        for key, title in titles.items():
            sheet = workbook.add_worksheet(title[:31])
            sheet.write_row(
                0, 0, [title, self.env._("Spend"), self.env._("Orders")], bold
            )
            for row, (label, amount, count) in enumerate(data[key], start=1):
                sheet.write(row, 0, label)
                sheet.write_number(row, 1, amount or 0.0, money)
                sheet.write_number(row, 2, count)
            sheet.set_column(0, 0, 30)
            sheet.set_column(1, 2, 14)
        sheet = workbook.add_worksheet(self.env._("Approval Cycle")[:31])
        sheet.write_row(
            0,
            0,
            [self.env._("Month"), self.env._("Quotes"), self.env._("Average Hours")],
            bold,
        )
        for row, values in enumerate(data["cycle"], start=1):
            sheet.write_row(row, 0, values)
        workbook.close()
        return output.getvalue()
