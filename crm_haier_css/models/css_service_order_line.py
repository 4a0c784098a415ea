# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

COVERAGE_REASONS = [
    ("warranty", "Warranty"),
    ("contract", "Contract"),
    ("none", "Not Covered"),
]


class CssServiceOrderLine(models.Model):
    """A part or an hour of labour used on a visit, covered or charged."""

    _name = "css.service.order.line"
    _description = "Service Visit Line"
    _inherit = ["css.field.guard.mixin"]
    _order = "order_id, sequence, id"
    _check_company_auto = True
    # Prices follow the outlet's pricelist, coverage the warranty and the
    # contract: computed on the server only.
    _css_system_fields = frozenset(
        {
            "price_unit",
            "covered",
            "coverage_reason",
            "amount_total",
            "amount_charged",
            "cost_amount",
            "company_id",
        }
    )
    _css_portal_create_fields = frozenset()

    order_id = fields.Many2one(
        "css.service.order",
        string="Visit",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="order_id.currency_id")
    line_type = fields.Selection(
        [("part", "Part"), ("labour", "Labour")],
        string="Type",
        required=True,
        default="part",
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True
    )
    name = fields.Char(string="Description")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(
        string="Unit Price",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        digits="Product Price",
    )
    amount_total = fields.Monetary(
        string="Amount", compute="_compute_amounts", store=True, precompute=True
    )
    covered = fields.Boolean(compute="_compute_coverage", store=True, precompute=True)
    coverage_reason = fields.Selection(
        COVERAGE_REASONS, compute="_compute_coverage", store=True, precompute=True
    )
    amount_charged = fields.Monetary(
        string="Charged", compute="_compute_amounts", store=True, precompute=True
    )
    cost_amount = fields.Float(
        string="Cost",
        compute="_compute_cost_amount",
        store=True,
        precompute=True,
        help="Cost of the parts used, at the product's cost when recorded.",
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity must be positive."),
    ]

    def _is_frozen(self):
        # A completed visit keeps the prices and coverage it was invoiced with.
        return self.order_id.state == "done" and bool(self.coverage_reason)

    @api.depends("product_id", "quantity", "order_id.service_center_id.pricelist_id")
    def _compute_price_unit(self):
        for line in self:
            if line._is_frozen() or not line.product_id:
                continue
            pricelist = line.order_id.service_center_id.pricelist_id
            if pricelist:
                line.price_unit = pricelist._get_product_price(
                    line.product_id, line.quantity or 1.0
                )
            else:
                line.price_unit = line.product_id.lst_price

    @api.depends(
        "line_type",
        "order_id.asset_id.warranty_end",
        "order_id.contract_id.state",
        "order_id.contract_id.date_start",
        "order_id.contract_id.date_end",
        "order_id.contract_id.covers_parts",
        "order_id.contract_id.covers_labour",
        "order_id.appointment_start",
        "order_id.state",
    )
    def _compute_coverage(self):
        today = fields.Date.context_today(self)
        for line in self:
            if line._is_frozen():
                continue
            order = line.order_id
            day = order.appointment_start.date() if order.appointment_start else today
            asset = order.asset_id
            contract = order.contract_id
            covers = (
                contract.covers_parts
                if line.line_type == "part"
                else contract.covers_labour
            )
            if asset.warranty_end and asset.warranty_end >= day:
                reason = "warranty"
            elif contract and covers and contract._covers(asset, day):
                reason = "contract"
            else:
                reason = "none"
            line.coverage_reason = reason
            line.covered = reason != "none"

    @api.depends("price_unit", "quantity", "covered")
    def _compute_amounts(self):
        for line in self:
            line.amount_total = line.price_unit * line.quantity
            line.amount_charged = 0.0 if line.covered else line.amount_total

    @api.depends("product_id", "quantity", "line_type")
    def _compute_cost_amount(self):
        for line in self:
            if line._is_frozen():
                continue
            line.cost_amount = (
                line.product_id.standard_price * line.quantity
                if line.line_type == "part"
                else 0.0
            )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
            if self.product_id.type == "service":
                self.line_type = "labour"

    @api.model_create_multi
    def create(self, vals_list):
        self._css_check_field_access(vals_list, create=True)
        orders = self.env["css.service.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        orders._check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        self._css_check_field_access([vals])
        self.order_id._check_lines_editable()
        return super().write(vals)

    def unlink(self):
        self.order_id._check_lines_editable()
        return super().unlink()

    def _stock_lines(self):
        """The part lines that move goods out of the outlet's location."""
        return self.filtered(
            lambda line: line.line_type == "part" and line.product_id.type == "consu"
        )
