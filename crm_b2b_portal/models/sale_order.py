# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import float_repr, format_amount

from .sale_order_line import LINE_SENSITIVE_FIELDS

B2B_STATES = [
    ("draft", "Draft"),
    ("pending", "Waiting for Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("ordered", "Ordered"),
    ("cancelled", "Cancelled"),
]
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
    _name = "sale.order"
    _inherit = ["sale.order", "b2b.chain.mixin"]
    _b2b_chain_fields = frozenset(
        {
            "b2b_state",
            "b2b_submitted_on",
            "b2b_approved_on",
            "b2b_approval_ids",
            "b2b_submission",
            "b2b_submitted_fingerprint",
        }
    )

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
    b2b_state = fields.Selection(
        B2B_STATES,
        string="Approval Status",
        compute="_compute_b2b_state",
        store=True,
        copy=False,
        tracking=True,
        index=True,
    )
    b2b_submitted_on = fields.Datetime(string="Submitted On", copy=False, readonly=True)
    b2b_approved_on = fields.Datetime(string="Approved On", copy=False, readonly=True)
    b2b_submission = fields.Integer(
        string="Submission Number",
        copy=False,
        readonly=True,
        help="How many times the quote was submitted; its current chain's steps "
        "carry this number.",
    )
    b2b_submitted_fingerprint = fields.Char(
        string="Fingerprint of the Submitted Quote",
        copy=False,
        readonly=True,
        help="Digest of the terms and lines of the quote as submitted: the "
        "approvals cover these, and confirmation checks the quote still matches.",
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
    def _compute_b2b_state(self):
        # A quote that joins an account starts as a draft; its approval chain
        # moves it on from there.
        for order in self:
            order.b2b_state = order.b2b_state or (
                "draft" if order.b2b_account_id else False
            )

    @api.depends("b2b_account_id")
    def _compute_pricelist_id(self):
        b2b = self.filtered("b2b_account_id")
        for order in b2b:
            order.pricelist_id = order.b2b_account_id.pricelist_id
        return super(SaleOrder, self - b2b)._compute_pricelist_id()

    @api.depends_context("uid")
    def _compute_b2b_visible_to_member(self):
        domain = self.env.user._b2b_member()._visible_order_domain()
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
        b2b = self.sudo().filtered("b2b_account_id")
        b2b.b2b_approval_ids.filtered(
            lambda s: s.state in ("waiting", "pending")
        ).write({"state": "cancelled"})
        b2b.write({"b2b_state": "cancelled"})
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

    def action_b2b_submit(self):
        """Submit draft quotes for approval: build the chain and notify its first step.

        Submitting a quote that is already submitted does nothing.
        """
        member = self._b2b_acting_member()
        for order in self:
            order._b2b_lock()
            if order.b2b_state not in ("draft", "rejected"):
                continue
            order._b2b_check_requester(member)
            if not order.order_line.filtered(lambda line: not line.display_type):
                raise UserError(
                    self.env._("Add at least one product before submitting.")
                )
            order._b2b_submit()
        return True

    def action_b2b_approve(self, comment=None):
        """Approve the current step of each quote as the calling member."""
        member = self._b2b_acting_member()
        for order in self:
            step, acting_for = order._b2b_current_step_for(member)
            # Linking adds one row: approvals of the other members of an "all"
            # step, recorded meanwhile, are kept.
            step.approved_member_ids = [fields.Command.link(acting_for.id)]
            order._b2b_log_decision(member, acting_for, step, "approved", comment)
            if step.mode == "any" or not (step.member_ids - step.approved_member_ids):
                step.write(
                    {
                        "state": "approved",
                        "decided_by_id": member.id,
                        "decided_on": fields.Datetime.now(),
                        "comment": comment,
                    }
                )
                order._b2b_advance()
        return True

    def action_b2b_reject(self, comment=None):
        """Reject the current step of each quote as the calling member, saying why."""
        member = self._b2b_acting_member()
        if not (comment or "").strip():
            raise UserError(self.env._("Say why you reject the quote."))
        for order in self:
            step, acting_for = order._b2b_current_step_for(member)
            step.write(
                {
                    "state": "rejected",
                    "decided_by_id": member.id,
                    "decided_on": fields.Datetime.now(),
                    "comment": comment,
                }
            )
            # The step is the chain's record (superuser): so are its siblings.
            (step.order_id.b2b_approval_ids - step).filtered(
                lambda s: s.state in ("waiting", "pending")
            ).write({"state": "cancelled"})
            order._b2b_log_decision(member, acting_for, step, "rejected", comment)
            order.sudo().b2b_state = "rejected"
            order._b2b_notify(
                order.b2b_requester_id,
                self.env._(
                    "Quote %(order)s was rejected by %(member)s: %(comment)s",
                    order=order.name,
                    member=member.name,
                    comment=comment,
                ),
            )
        return True

    def action_b2b_place_order(self):
        """Confirm approved quotes as sale orders; only purchasers may do so.

        Placing a quote that is already ordered does nothing.
        """
        member = self._b2b_acting_member()
        for order in self:
            order._b2b_lock()
            if order.b2b_state == "ordered":
                continue
            if not (member and member.role_purchaser):
                raise AccessError(self.env._("Only a purchaser may place orders."))
            if order.b2b_state != "approved":
                raise UserError(
                    self.env._(
                        "Quote %s is not approved; it cannot be ordered.", order.name
                    )
                )
            order_sudo = order.sudo()
            # The vendor's confirmation checks (credit hold, missing products...)
            # raise their own clear message and leave the quote approved.
            order_sudo.action_confirm()
            order_sudo.message_post(
                body=self.env._("Order placed by %s.", member.name),
                author_id=member.partner_id.id,
            )
        return True

    def action_b2b_reset_to_draft(self):
        """Withdraw a submitted or rejected quote so that its requester can edit it."""
        member = self._b2b_acting_member()
        for order in self:
            order._b2b_lock()
            order._b2b_check_requester(member)
            if order.b2b_state in ("pending", "approved"):
                order._b2b_void_approvals()
            elif order.b2b_state == "rejected":
                order.sudo().b2b_state = "draft"
        return True

    # Portal quote building --------------------------------------------------

    @api.model
    def b2b_portal_new_quote(self):
        """Create an empty draft quote for the calling member."""
        member = self.env.user._b2b_member()
        if not (member and member.role_requester):
            raise AccessError(self.env._("Only requesters may build quotes."))
        account = member.account_id.sudo()
        order = self.sudo().create(
            {
                "partner_id": member.partner_id.id,
                "company_id": account.company_id.id,
                "b2b_account_id": account.id,
                "b2b_requester_id": member.id,
                "pricelist_id": account.pricelist_id.id,
                "user_id": account.user_id.id,
                "require_signature": False,
                "require_payment": False,
            }
        )
        return order.sudo(False)

    def b2b_portal_add_product(self, product_tmpl_id, value_ids, quantity):
        """Add the configured product to the quote at the account's prices."""
        self.ensure_one()
        member = self._b2b_acting_member()
        self._b2b_check_editable(member)
        qty = self._b2b_parse_quantity(quantity)
        product, no_variant_values = self.b2b_account_id._b2b_configure(
            product_tmpl_id, value_ids
        )
        order = self.sudo()
        line = order.order_line.filtered(
            lambda ln: (
                ln.product_id == product
                and ln.product_no_variant_attribute_value_ids == no_variant_values
            )
        )[:1]
        if line:
            qty = self._b2b_parse_quantity(line.product_uom_qty + qty)
            line.product_uom_qty = qty
        else:
            order.order_line = [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "product_no_variant_attribute_value_ids": [
                            fields.Command.set(no_variant_values.ids)
                        ],
                    }
                )
            ]
        order._b2b_back_to_draft()
        return True

    def b2b_portal_set_quantity(self, line_id, quantity):
        """Change the quantity of one line of the quote."""
        self.ensure_one()
        member = self._b2b_acting_member()
        self._b2b_check_editable(member)
        qty = self._b2b_parse_quantity(quantity)
        line = self._b2b_line(line_id)
        line.product_uom_qty = qty
        self.sudo()._b2b_back_to_draft()
        return True

    def b2b_portal_remove_line(self, line_id):
        """Remove one line of the quote."""
        self.ensure_one()
        member = self._b2b_acting_member()
        self._b2b_check_editable(member)
        self._b2b_line(line_id).unlink()
        self.sudo()._b2b_back_to_draft()
        return True

    def b2b_portal_set_details(self, cost_center_id, client_order_ref, shipping_id):
        """Set the cost centre, the customer's PO reference and the delivery address."""
        self.ensure_one()
        member = self._b2b_acting_member()
        self._b2b_check_editable(member)
        account = self.b2b_account_id.sudo()
        vals = {"client_order_ref": (client_order_ref or "").strip()[:64] or False}
        center = account.cost_center_ids.filtered(lambda c: c.id == cost_center_id)
        if cost_center_id and not center:
            raise UserError(self.env._("Choose one of your account's cost centres."))
        vals["b2b_cost_center_id"] = center.id
        if shipping_id:
            address = account.delivery_address_ids.filtered(
                lambda a: a.id == shipping_id
            )
            if not address:
                raise UserError(
                    self.env._("Choose one of your account's delivery addresses.")
                )
            vals["partner_shipping_id"] = address.id
        self.sudo().write(vals)
        self.sudo()._b2b_back_to_draft()
        return True

    def action_b2b_duplicate(self):
        """Start a new draft of the calling member with this quote's products.

        The lines are built anew, at the account's prices of today; products no
        longer in the account's catalogue are left out, and the new quote says
        so in its chatter.
        """
        self.ensure_one()
        member = self._b2b_acting_member()
        if not (member and member.role_requester):
            raise AccessError(self.env._("Only requesters may build quotes."))
        source = self.sudo()
        lines = source.order_line.filtered(lambda line: not line.display_type)
        available = source._b2b_catalog_variants(lines)
        kept = lines.filtered(lambda line: line.product_id in available)
        if not kept:
            raise UserError(
                self.env._(
                    "None of the products of %s is in your catalogue any more.",
                    source.name,
                )
            )
        order = self.b2b_portal_new_quote()
        account = source.b2b_account_id
        vals = {
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.product_uom_qty,
                        "product_no_variant_attribute_value_ids": [
                            fields.Command.set(
                                line.product_no_variant_attribute_value_ids.ids
                            )
                        ],
                    }
                )
                for line in kept
            ]
        }
        if source.b2b_cost_center_id in account.cost_center_ids:
            vals["b2b_cost_center_id"] = source.b2b_cost_center_id.id
        if source.partner_shipping_id in account.delivery_address_ids:
            vals["partner_shipping_id"] = source.partner_shipping_id.id
        order_sudo = order.sudo()
        order_sudo.write(vals)
        order_sudo.message_post(
            body=order_sudo._b2b_reorder_note(source),
            author_id=member.partner_id.id,
        )
        return order

    def _b2b_reorder_note(self, source):
        """What a reorder of ``source`` into this quote kept and left out."""
        self.ensure_one()
        note = self.env._(
            "Reordered from %s at today's prices of the account.", source.name
        )
        dropped = self._b2b_reorder_dropped(source)
        if dropped:
            note += " " + self.env._(
                "Left out, no longer in the catalogue: %s.",
                ", ".join(dropped.mapped("display_name")),
            )
        return note

    def _b2b_reorder_dropped(self, source):
        """Products of ``source`` that its reorder into this quote left out."""
        return source.sudo().order_line.product_id - self.sudo().order_line.product_id

    def _b2b_catalog_variants(self, lines):
        """The products of ``lines`` that the account may still buy."""
        self.ensure_one()
        account = self.b2b_account_id.sudo()
        templates = account.env["product.template"].search(
            [
                ("id", "in", lines.product_id.product_tmpl_id.ids),
                *account._catalog_domain(),
            ]
        )
        return lines.product_id.filtered(
            lambda product: product.active and product.product_tmpl_id in templates
        )

    def _b2b_line(self, line_id):
        line = self.sudo().order_line.filtered(lambda ln: ln.id == line_id)
        if not line:
            raise UserError(
                self.env._("This line is no longer on the quote; reload the page.")
            )
        return line

    def _b2b_back_to_draft(self):
        self.sudo().filtered(lambda o: o.b2b_state == "rejected").write(
            {"b2b_state": "draft"}
        )

    def _b2b_parse_quantity(self, raw):
        """Return ``raw`` as a quantity, or raise a message saying what is wrong."""
        self.ensure_one()
        try:
            qty = float(str(raw).strip().replace(",", "."))
        except (TypeError, ValueError):
            raise UserError(self.env._("Enter the quantity as a number.")) from None
        limit = self.b2b_account_id.sudo().max_line_quantity
        if not (qty > 0):
            raise UserError(self.env._("Enter a quantity above zero."))
        if qty > limit:
            raise UserError(
                self.env._("Order at most %s units on one line.", format(limit, "g"))
            )
        return qty

    # Business methods ------------------------------------------------------

    def _b2b_acting_member(self):
        """The member calling, after checking they may read these quotes."""
        try:
            self.check_access("read")
        except AccessError:
            raise AccessError(
                self.env._(
                    "You may not act on this quote: your roles in its account "
                    "do not give you access to it."
                )
            ) from None
        member = self.env.user._b2b_member()
        if not self.env.su and any(
            order.b2b_account_id != member.account_id for order in self
        ):
            raise AccessError(
                self.env._("Only members of the customer's B2B account can do this.")
            )
        if any(not order.b2b_account_id for order in self):
            raise UserError(
                self.env._("Only B2B portal quotes follow approval chains.")
            )
        return member

    def _b2b_check_requester(self, member):
        self.ensure_one()
        if self.env.su and not member:
            return
        if member != self.b2b_requester_id:
            raise AccessError(
                self.env._(
                    "Only the requester of %s can change or submit it.", self.name
                )
            )

    def _b2b_check_editable(self, member):
        """Raise unless ``member`` may change the lines or details of this quote."""
        self.ensure_one()
        self._b2b_check_requester(member)
        self._b2b_lock()
        if self.b2b_state not in ("draft", "rejected") or self.state != "draft":
            raise UserError(
                self.env._(
                    "Quote %s has been submitted meanwhile; withdraw it to change it.",
                    self.name,
                )
            )

    def _b2b_lock(self):
        """Lock the quote's row so that concurrent decisions end in one decision."""
        res = super()._b2b_lock()
        self.sudo().b2b_approval_ids.invalidate_recordset()
        return res

    def _b2b_lock_subjects(self):
        return self.mapped("name")

    def _b2b_current_step_for(self, member):
        """Lock the quote and return its pending step and whom ``member`` acts for."""
        self.ensure_one()
        self._b2b_lock()
        if not member:
            raise AccessError(self.env._("Only approvers of the customer can decide."))
        if self.b2b_state != "pending":
            raise UserError(
                self.env._("Quote %s is not waiting for approval any more.", self.name)
            )
        if member == self.b2b_requester_id:
            raise AccessError(self.env._("Nobody may approve their own quote."))
        step = self.sudo().b2b_approval_ids.filtered(lambda s: s.state == "pending")[:1]
        # The order lock keeps out other deciders through these methods; the
        # step lock also keeps out the escalation cron, which adds approvers.
        step._b2b_lock()
        acting_for = step._acting_for(member) if step else member.browse()
        if not acting_for:
            raise UserError(
                self.env._("Quote %s is not waiting for your decision.", self.name)
            )
        if acting_for == self.b2b_requester_id:
            raise AccessError(self.env._("Nobody may approve their own quote."))
        amount = self.amount_untaxed
        for approver in member | acting_for:
            if not approver._can_approve_amount(amount):
                raise AccessError(
                    self.env._(
                        "%(member)s may not approve %(amount)s.",
                        member=approver.name,
                        amount=self._b2b_amount_text(),
                    )
                )
        return step, acting_for

    def _b2b_submit(self):
        self.ensure_one()
        requester = self.b2b_requester_id
        steps = self._b2b_build_chain()
        order = self.sudo()
        submission = order.b2b_submission + 1
        order.write(
            {
                "b2b_state": "pending",
                "b2b_submitted_on": fields.Datetime.now(),
                "b2b_approved_on": False,
                "b2b_submission": submission,
                "b2b_submitted_fingerprint": order._b2b_fingerprint(),
                "b2b_approval_ids": [
                    fields.Command.create({**vals, "submission": submission})
                    for vals in steps
                ],
                "require_signature": False,
                "require_payment": False,
            }
        )
        order.message_post(
            body=self.env._(
                "Submitted for approval by %(member)s (%(amount)s).",
                member=requester.name,
                amount=self._b2b_amount_text(),
            ),
            author_id=requester.partner_id.id,
        )
        order._b2b_advance()

    def _b2b_build_chain(self):
        """Values of the approval steps that the account's rules require."""
        self.ensure_one()
        amount = self.amount_untaxed
        requester = self.b2b_requester_id
        steps = []
        rules = self.b2b_account_id.sudo().rule_ids
        for rule in rules.filtered(lambda r: r._applies_to(self)):
            if rule.approver_type == "manager":
                approvers = requester._authorised_manager(amount)
            elif rule.approver_type == "members":
                approvers = rule.member_ids
            else:
                approvers = self.b2b_account_id.sudo().member_ids
            approvers = approvers.filtered(
                lambda m: m != requester and m._can_approve_amount(amount)
            )
            if not approvers:
                raise UserError(
                    self.env._(
                        "Nobody may approve %(amount)s for step %(step)s; ask your "
                        "account administrator to review approvers and limits.",
                        amount=self._b2b_amount_text(),
                        step=rule.name,
                    )
                )
            steps.append(
                {
                    "rule_id": rule.id,
                    "name": rule.name,
                    "sequence": len(steps) + 1,
                    "mode": rule.mode,
                    "member_ids": [fields.Command.set(approvers.ids)],
                }
            )
        return steps

    def _b2b_advance(self):
        """Start the next waiting step, or approve the quote when none is left."""
        self.ensure_one()
        order = self.sudo()
        if order.b2b_approval_ids.filtered(lambda s: s.state == "pending"):
            return
        waiting = order.b2b_approval_ids.filtered(lambda s: s.state == "waiting")
        if waiting:
            waiting[:1]._start()
            return
        order.write({"b2b_state": "approved", "b2b_approved_on": fields.Datetime.now()})
        purchasers = order.b2b_account_id.member_ids.filtered("role_purchaser")
        order._b2b_notify(
            purchasers | order.b2b_requester_id,
            self.env._("Quote %s is approved and can be ordered.", order.name),
        )

    def _b2b_void_approvals(self):
        """Send changed quotes back to draft and cancel their approval steps."""
        for order in self.sudo().filtered(
            lambda o: o.b2b_state in ("pending", "approved")
        ):
            order.b2b_approval_ids.filtered(lambda s: s.state != "cancelled").write(
                {"state": "cancelled"}
            )
            order.b2b_state = "draft"
            order.message_post(
                body=self.env._(
                    "The quote was changed after submission: its approvals are "
                    "void and it is back to draft."
                )
            )

    def _b2b_log_decision(self, member, acting_for, step, decision, comment):
        self.ensure_one()
        label = dict(step._fields["state"].selection)[decision]
        if acting_for != member:
            who = self.env._(
                "%(member)s (for %(absent)s)",
                member=member.name,
                absent=acting_for.name,
            )
        else:
            who = member.name
        body = Markup("<p>%s</p>") % self.env._(
            "%(decision)s by %(who)s at step %(step)s.",
            decision=label,
            who=who,
            step=step.name,
        )
        if comment:
            body += Markup("<p>%s</p>") % comment
        self.sudo().message_post(
            body=body, author_id=member.partner_id.id, subtype_xmlid="mail.mt_comment"
        )

    def _b2b_notify(self, members, message):
        """E-mail ``members`` with a link straight to the quote on the portal."""
        self.ensure_one()
        partners = members.partner_id
        if not partners:
            return
        url = f"{self.get_base_url()}/my/premier/quotes/{self.id}"
        body = Markup('<p>%s</p><p><a href="%s">%s</a></p>') % (
            message,
            url,
            self.env._("Open the quote"),
        )
        self.sudo().message_post(
            body=body,
            partner_ids=partners.ids,
            subtype_xmlid="mail.mt_comment",
        )

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

    def _b2b_chain_error(self):
        """Why this B2B quote may not be confirmed, or False when its chain covers it.

        Checks the chain itself rather than the approval status: every step of
        the last submission approved, and the quote unchanged since it was
        submitted.
        """
        self.ensure_one()
        order = self.sudo()
        steps = order.b2b_approval_ids.filtered(
            lambda s: s.submission == order.b2b_submission
        )
        if (
            order.b2b_state != "approved"
            or not order.b2b_submission
            or any(step.state != "approved" for step in steps)
        ):
            return self.env._(
                "Quote %s comes from the B2B portal: its approval chain must "
                "approve it and a purchaser of the customer must place it.",
                order.name,
            )
        if order._b2b_fingerprint() != order.b2b_submitted_fingerprint:
            return self.env._(
                "Quote %s changed after it was submitted for approval; its "
                "requester must submit it again.",
                order.name,
            )
        return False

    def _b2b_amount_text(self):
        self.ensure_one()
        return format_amount(self.env, self.amount_untaxed, self.currency_id)
