# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import float_repr

from .sale_order_line import LINE_SENSITIVE_FIELDS

# Changing any of these on a pending or approved quote voids its approvals.
APPROVAL_SENSITIVE_FIELDS = frozenset(
    {
        "order_line",
        "partner_id",
        "partner_shipping_id",
        "partner_invoice_id",
        "pricelist_id",
        "currency_id",
        "fiscal_position_id",
        "payment_term_id",
        "client_order_ref",
        "b2b_cost_center_id",
        "b2b_account_id",
        "b2b_requester_id",
    }
)


def _fingerprint_value(value):
    if isinstance(value, models.BaseModel):
        return tuple(value.ids)
    if isinstance(value, float):
        return float_repr(value, 6)
    return value


class SaleOrder(models.Model):
    """A B2B quote: a sale order that its customer's approval chain covers."""

    _name = "sale.order"
    _inherit = ["sale.order", "b2b.approval.chain"]

    b2b_account_id = fields.Many2one(
        "b2b.account", index=True, tracking=True, copy=True
    )
    b2b_requester_id = fields.Many2one(
        "b2b.member",
        string="Requester",
        tracking=True,
        domain="[('account_id', '=', b2b_account_id)]",
    )
    b2b_cost_center_id = fields.Many2one(
        "b2b.cost.center",
        string="Cost Centre",
        tracking=True,
        domain="[('account_id', '=', b2b_account_id)]",
    )
    b2b_approval_ids = fields.One2many(
        "b2b.approval", "order_id", string="Approval Trail", copy=False
    )
    b2b_visible_to_member = fields.Boolean(
        string="Shown to Me on the Portal",
        compute="_compute_b2b_visible_to_member",
        search="_search_b2b_visible_to_member",
        help="Whether the calling portal member's roles show this quote "
        "(record rules use it).",
    )

    # Compute ---------------------------------------------------------------

    @api.depends("b2b_account_id")
    def _compute_pricelist_id(self):
        b2b = self.filtered("b2b_account_id")
        for order in b2b:
            order.pricelist_id = order.b2b_account_id.pricelist_id
        return super(SaleOrder, self - b2b)._compute_pricelist_id()

    @api.depends_context("uid")
    def _compute_b2b_visible_to_member(self):
        domain = self.env.user._b2b_member()._visible_order_domain(self.ids)
        visible = self.sudo().search([("id", "in", self.ids), *domain])
        for order in self:
            order.b2b_visible_to_member = order in visible

    def _search_b2b_visible_to_member(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("This search is not supported."))
        domain = self.env.user._b2b_member()._visible_order_domain()
        if (operator == "=") != value:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    # CRUD ------------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if APPROVAL_SENSITIVE_FIELDS.intersection(vals):
            self._b2b_void_approvals()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._b2b_cancel_chain()
        return res

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error or not self.b2b_account_id:
            return error
        return self._b2b_chain_error()

    def _action_confirm(self):
        # However the vendor confirms an approved B2B quote (the purchaser's
        # "place order", the backend button, a credit manager's override of a
        # credit hold), the customer sees it as ordered.
        self.sudo().filtered(
            lambda order: order.b2b_account_id and order.b2b_state == "approved"
        ).write({"b2b_state": "ordered"})
        return super()._action_confirm()

    # Actions ---------------------------------------------------------------

    def action_b2b_place_order(self):
        """Confirm approved quotes as sale orders; only purchasers may do so.

        Placing a quote that is already ordered does nothing.
        """
        member = self._b2b_acting_member()
        for order in self:
            order._b2b_lock()
            if order.b2b_state == "ordered":
                continue
            order._b2b_check_place(member)
            order_sudo = order.sudo()
            # The vendor's confirmation checks (credit hold, missing products...)
            # raise their own clear message and leave the quote approved.
            order_sudo.action_confirm()
            order_sudo.message_post(
                body=self.env._("Order placed by %s.", member.name),
                author_id=member.partner_id.id,
            )
        return True

    # The approval chain, for sale orders ------------------------------------

    def _b2b_check_place(self, member):
        """Raise unless ``member`` may place this quote as an order now."""
        self.ensure_one()
        if not (member and member.role_purchaser):
            raise AccessError(self.env._("Only a purchaser may place orders."))
        if self.b2b_state != "approved":
            raise UserError(
                self.env._("Quote %s is not approved; it cannot be ordered.", self.name)
            )

    def _b2b_can_place(self, member):
        """Whether ``member`` may place this quote as an order now."""
        return self._b2b_allows(self._b2b_check_place, member)

    def _b2b_check_edit(self, member):
        res = super()._b2b_check_edit(member)
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "Quote %s has been submitted meanwhile; withdraw it to change it.",
                    self.name,
                )
            )
        return res

    def _b2b_check_submittable(self):
        res = super()._b2b_check_submittable()
        # The requester's access to the quote is established; reading its
        # lines as such would check the portal rules again for each line.
        if not self.sudo().order_line.filtered(lambda line: not line.display_type):
            raise UserError(self.env._("Add at least one product before submitting."))
        return res

    def _b2b_submit(self):
        # The customer's approval chain replaces the online signature and payment.
        self.sudo().write({"require_signature": False, "require_payment": False})
        return super()._b2b_submit()

    def _b2b_fingerprint(self):
        """Digest of what the approvals cover: the quote's terms and its lines."""
        self.ensure_one()
        order = self.sudo()

        def values(record, fnames):
            return tuple(_fingerprint_value(record[fname]) for fname in sorted(fnames))

        data = (
            values(order, APPROVAL_SENSITIVE_FIELDS - {"order_line"}),
            _fingerprint_value(order.amount_untaxed),
            tuple(
                values(line, LINE_SENSITIVE_FIELDS)
                for line in order.order_line.sorted("id")
            ),
        )
        return hashlib.sha256(repr(data).encode()).hexdigest()
