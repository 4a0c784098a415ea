# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount


class B2bApprovalRule(models.Model):
    _name = "b2b.approval.rule"
    _description = "B2B Approval Rule"
    _order = "account_id, sequence, id"

    name = fields.Char(
        required=True,
        translate=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        help="Named after who approves and the amounts covered unless you give "
        "another name.",
    )
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10, help="Steps are built in this order.")
    account_id = fields.Many2one(
        "b2b.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    currency_id = fields.Many2one(related="account_id.currency_id")
    amount_min = fields.Monetary(
        string="From Amount",
        currency_field="currency_id",
        aggregator=None,
        help="The rule applies from this untaxed amount on.",
    )
    amount_max = fields.Monetary(
        string="Up to Amount",
        currency_field="currency_id",
        aggregator=None,
        help="The rule applies up to this untaxed amount; 0 means no limit.",
    )
    amount_range = fields.Char(
        string="Untaxed Amounts",
        compute="_compute_amount_range",
        help="The untaxed amounts of the quotes the rule applies to.",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="When set, the rule applies only to quotes with a product of these "
        "categories (or their children).",
    )
    approver_type = fields.Selection(
        [
            ("manager", "Requester's Manager"),
            ("members", "Named Members"),
            ("limit", "Any Approver Whose Limit Covers the Amount"),
        ],
        required=True,
        default="manager",
    )
    member_ids = fields.Many2many(
        "b2b.member",
        string="Approvers",
        domain="[('account_id', '=', account_id), ('role_approver', '=', True)]",
    )
    mode = fields.Selection(
        [("any", "Any One of Them"), ("all", "All of Them")],
        required=True,
        default="any",
    )

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(amount_min >= 0 AND amount_max >= 0)",
            "Rule amounts cannot be negative.",
        ),
    ]

    @api.depends("approver_type", "amount_min", "amount_max", "currency_id")
    def _compute_name(self):
        approver_types = dict(
            self._fields["approver_type"]._description_selection(self.env)
        )
        for rule in self:
            if rule.name:
                rule.name = rule.name
                continue
            name = approver_types.get(rule.approver_type) or self.env._("Approval")
            if rule.amount_min:
                name += " " + self.env._(
                    "from %s", rule._format_amount(rule.amount_min)
                )
            if rule.amount_max:
                name += " " + self.env._(
                    "up to %s", rule._format_amount(rule.amount_max)
                )
            rule.name = name

    @api.depends("amount_min", "amount_max", "currency_id")
    def _compute_amount_range(self):
        for rule in self:
            rule.amount_range = self.env._(
                "%(low)s to %(high)s",
                low=rule._format_amount(rule.amount_min),
                high=rule._format_amount(rule.amount_max)
                if rule.amount_max
                else self.env._("no limit"),
            )

    def _format_amount(self, amount):
        self.ensure_one()
        if self.currency_id:
            return format_amount(self.env, amount, self.currency_id)
        return format(amount, "g")

    @api.constrains("amount_min", "amount_max", "approver_type", "member_ids")
    def _check_rule(self):
        for rule in self:
            if rule.amount_max and rule.amount_max < rule.amount_min:
                raise ValidationError(
                    self.env._(
                        "The upper amount of %s is below its lower amount.", rule.name
                    )
                )
            if rule.approver_type == "members" and not rule.member_ids:
                raise ValidationError(
                    self.env._("Choose the approvers of rule %s.", rule.name)
                )
            if rule.member_ids.account_id - rule.account_id:
                raise ValidationError(
                    self.env._("The approvers of a rule belong to its account.")
                )

    def _applies_to(self, order):
        """Whether this rule requires a step for ``order``."""
        self.ensure_one()
        amount = order.amount_untaxed
        if amount < self.amount_min or (self.amount_max and amount > self.amount_max):
            return False
        if not self.product_category_ids:
            return True
        categories = order.sudo().order_line.product_id.categ_id
        return bool(
            categories.filtered_domain(
                [("id", "child_of", self.product_category_ids.ids)]
            )
        )

    def _approvers(self, requester, amount):
        """Members who decide this rule's step for a quote of ``requester`` of
        ``amount``: never the requester, only approvers whose limit covers it."""
        self.ensure_one()
        if self.approver_type == "manager":
            approvers = requester._authorised_manager(amount)
        elif self.approver_type == "members":
            approvers = self.member_ids
        else:
            approvers = self.account_id.member_ids
        return approvers.filtered(
            lambda m: m != requester and m._can_approve_amount(amount)
        )
