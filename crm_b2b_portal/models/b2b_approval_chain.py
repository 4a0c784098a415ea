# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import format_amount

B2B_STATES = [
    ("draft", "Draft"),
    ("pending", "Waiting for Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("ordered", "Ordered"),
    ("cancelled", "Cancelled"),
]


class B2bApprovalChain(models.AbstractModel):
    """The customer's approval chain of a document: one mechanism, inherited.

    Like OCA's ``tier.validation``: the inheriting model gets the status of its
    chain and the methods that submit, approve, reject and withdraw it. Each
    decision checks its caller itself, whoever calls (portal, RPC, backend);
    the portal asks the same checks what to offer (``_b2b_can_decide``,
    ``_b2b_is_editable``, ``_b2b_inbox_domain``), so it never offers an action
    the server refuses.

    The inheriting model provides ``b2b_account_id`` (``b2b.account``),
    ``b2b_requester_id`` (``b2b.member``), ``b2b_approval_ids`` (its
    ``b2b.approval`` steps), ``amount_untaxed``, ``currency_id``, ``name``, and
    ``_b2b_fingerprint()``: a digest of what the approvals cover.
    """

    _name = "b2b.approval.chain"
    _inherit = ["b2b.chain.mixin"]
    _description = "B2B Approval Chain"
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

    @api.depends("b2b_account_id")
    def _compute_b2b_state(self):
        # A quote that joins an account starts as a draft; its approval chain
        # moves it on from there.
        for record in self:
            record.b2b_state = record.b2b_state or (
                "draft" if record.b2b_account_id else False
            )

    # Actions ---------------------------------------------------------------

    def action_b2b_submit(self):
        """Submit draft quotes for approval: build the chain and notify its first step.

        Submitting a quote that is already submitted does nothing.
        """
        member = self._b2b_acting_member()
        for record in self:
            record._b2b_lock()
            if record.b2b_state not in ("draft", "rejected"):
                continue
            record._b2b_check_requester(member)
            record._b2b_check_submittable()
            record._b2b_submit()
        return True

    def action_b2b_approve(self, comment=None):
        """Approve the current step of each quote as the calling member."""
        member = self._b2b_acting_member()
        for record in self:
            step, acting_for = record._b2b_lock_current_step(member)
            # Linking adds one row: approvals of the other members of an "all"
            # step, recorded meanwhile, are kept.
            step.approved_member_ids = [fields.Command.link(acting_for.id)]
            record._b2b_log_decision(member, acting_for, step, "approved", comment)
            if step.mode == "any" or not (step.member_ids - step.approved_member_ids):
                step._decide("approved", member, comment)
                record._b2b_advance()
        return True

    def action_b2b_reject(self, comment=None):
        """Reject the current step of each quote as the calling member, saying why."""
        member = self._b2b_acting_member()
        if not (comment or "").strip():
            raise UserError(self.env._("Say why you reject the quote."))
        for record in self:
            step, acting_for = record._b2b_lock_current_step(member)
            step._decide("rejected", member, comment)
            # The step is the chain's record (superuser): so are its siblings.
            (record.sudo().b2b_approval_ids - step)._cancel_open()
            record._b2b_log_decision(member, acting_for, step, "rejected", comment)
            record.sudo().b2b_state = "rejected"
            record._b2b_notify(
                record.b2b_requester_id,
                self.env._(
                    "Quote %(order)s was rejected by %(member)s: %(comment)s",
                    order=record.name,
                    member=member.name,
                    comment=comment,
                ),
            )
        return True

    def action_b2b_reset_to_draft(self):
        """Withdraw a submitted or rejected quote so that its requester can edit it."""
        member = self._b2b_acting_member()
        for record in self:
            record._b2b_lock()
            record._b2b_check_requester(member)
            if record.b2b_state in ("pending", "approved"):
                record._b2b_void_approvals()
            elif record.b2b_state == "rejected":
                record.sudo().b2b_state = "draft"
        return True

    # What a member may do: the checks the actions raise, and the portal asks --

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
            record.b2b_account_id != member.account_id for record in self
        ):
            raise AccessError(
                self.env._("Only members of the customer's B2B account can do this.")
            )
        if any(not record.b2b_account_id for record in self):
            raise UserError(
                self.env._("Only B2B portal quotes follow approval chains.")
            )
        return member

    def _b2b_check_requester(self, member):
        """Raise unless ``member`` is the requester of this quote."""
        self.ensure_one()
        if self.env.su and not member:
            return
        if member != self.b2b_requester_id:
            raise AccessError(
                self.env._(
                    "Only the requester of %s can change or submit it.", self.name
                )
            )

    def _b2b_check_edit(self, member):
        """Raise unless ``member`` may change the lines or details of this quote."""
        self.ensure_one()
        self._b2b_check_requester(member)
        if self.b2b_state not in ("draft", "rejected"):
            raise UserError(
                self.env._(
                    "Quote %s has been submitted meanwhile; withdraw it to change it.",
                    self.name,
                )
            )

    def _b2b_check_submittable(self):
        """Raise unless this quote has something to approve. Override to add rules."""
        self.ensure_one()

    def _b2b_check_decision(self, member):
        """Return the pending step and whom ``member`` acts for, or raise why not.

        Every rule of a decision: the quote waits for approval, nobody decides
        their own quote, the member (or the absent approver they stand in for)
        is an undecided approver of the current step, and both hold the
        approver role with a limit covering the untaxed amount.
        """
        self.ensure_one()
        if not member:
            raise AccessError(self.env._("Only approvers of the customer can decide."))
        if self.b2b_state != "pending":
            raise UserError(
                self.env._("Quote %s is not waiting for approval any more.", self.name)
            )
        if member == self.b2b_requester_id:
            raise AccessError(self.env._("Nobody may approve their own quote."))
        step = self.sudo().b2b_approval_ids.filtered(lambda s: s.state == "pending")[:1]
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

    def _b2b_can_decide(self, member):
        """Whether ``member`` may approve or reject this quote now."""
        return self._b2b_allows(self._b2b_check_decision, member)

    def _b2b_is_editable(self, member):
        """Whether ``member`` may change the lines and details of this quote now."""
        return self._b2b_allows(self._b2b_check_edit, member)

    def _b2b_allows(self, check, member):
        self.ensure_one()
        try:
            check(member)
        except (AccessError, UserError):
            return False
        return True

    @api.model
    def _b2b_inbox_domain(self, member):
        """Quotes waiting for a decision ``member`` may take, for lists and counts.

        Narrows the search; ``_b2b_inbox`` keeps those ``_b2b_check_decision``
        accepts.
        """
        if not (member and member.role_approver):
            return expression.FALSE_DOMAIN
        deciders = member._delegators(fields.Date.context_today(member)) | member
        return [
            ("b2b_account_id", "=", member.account_id.id),
            ("b2b_state", "=", "pending"),
            ("b2b_requester_id", "!=", member.id),
            ("amount_untaxed", "<=", member.approval_limit),
            (
                "b2b_approval_ids",
                "any",
                [("state", "=", "pending"), ("member_ids", "in", deciders.ids)],
            ),
        ]

    @api.model
    def _b2b_inbox(self, member):
        """Quotes ``member`` may approve or reject now, oldest first."""
        return self.search(self._b2b_inbox_domain(member), order="id").filtered(
            lambda record: record._b2b_can_decide(member)
        )

    # Locks -------------------------------------------------------------------

    def _b2b_lock(self):
        """Lock the quote's row so that concurrent decisions end in one decision.

        The actions lock quotes they have checked the user may read (the
        acting member, the requester), so the committed values are reloaded
        as superuser. Reloaded with the user's rights, the read would test the
        record rules again: Odoo's portal rule (the quotes any contact of the
        customer follows) and the member's approval steps, both growing with
        the account's history (9-17 ms per action in the load test's database).
        """
        res = super()._b2b_lock()
        self.sudo().b2b_approval_ids.invalidate_recordset()
        self.sudo()._fetch_field(self._fields["b2b_state"])
        return res

    def _b2b_lock_subjects(self):
        return self.mapped("name")

    def _b2b_check_editable(self, member):
        """Lock the quote, then raise unless ``member`` may change it."""
        self.ensure_one()
        self._b2b_check_requester(member)
        self._b2b_lock()
        self._b2b_check_edit(member)

    def _b2b_lock_current_step(self, member):
        """Lock the quote and its pending step; return it and whom ``member``
        acts for."""
        self.ensure_one()
        self._b2b_lock()
        self._b2b_check_decision(member)
        # The order lock keeps out other deciders through these methods; the
        # step lock also keeps out the escalation cron, which adds approvers.
        self.sudo().b2b_approval_ids.filtered(lambda s: s.state == "pending")[
            :1
        ]._b2b_lock()
        return self._b2b_check_decision(member)

    # The chain -----------------------------------------------------------------

    def _b2b_submit(self):
        self.ensure_one()
        requester = self.b2b_requester_id
        steps = self._b2b_build_chain()
        record = self.sudo()
        submission = record.b2b_submission + 1
        record.write(
            {
                "b2b_state": "pending",
                "b2b_submitted_on": fields.Datetime.now(),
                "b2b_approved_on": False,
                "b2b_submission": submission,
                "b2b_submitted_fingerprint": record._b2b_fingerprint(),
                "b2b_approval_ids": [
                    fields.Command.create({**vals, "submission": submission})
                    for vals in steps
                ],
            }
        )
        record.message_post(
            body=self.env._(
                "Submitted for approval by %(member)s (%(amount)s).",
                member=requester.name,
                amount=self._b2b_amount_text(),
            ),
            author_id=requester.partner_id.id,
        )
        record._b2b_advance()

    def _b2b_build_chain(self):
        """Values of the approval steps that the account's rules require."""
        self.ensure_one()
        amount = self.amount_untaxed
        requester = self.b2b_requester_id
        account = self.b2b_account_id.sudo()
        steps = []
        for rule in account.rule_ids.filtered(lambda r: r._applies_to(self)):
            approvers = rule._approvers(requester, amount)
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
        record = self.sudo()
        if record.b2b_approval_ids.filtered(lambda s: s.state == "pending"):
            return
        waiting = record.b2b_approval_ids.filtered(lambda s: s.state == "waiting")
        if waiting:
            waiting[:1]._start()
            return
        now = fields.Datetime.now()
        record.write({"b2b_state": "approved", "b2b_approved_on": now})
        purchasers = record.b2b_account_id.member_ids.filtered("role_purchaser")
        record._b2b_notify(
            purchasers | record.b2b_requester_id,
            self.env._("Quote %s is approved and can be ordered.", record.name),
        )

    def _b2b_void_approvals(self):
        """Send changed quotes back to draft and cancel their approval steps."""
        for record in self.sudo().filtered(
            lambda o: o.b2b_state in ("pending", "approved")
        ):
            record.b2b_approval_ids.filtered(lambda s: s.state != "cancelled").write(
                {"state": "cancelled"}
            )
            record.b2b_state = "draft"
            record.message_post(
                body=self.env._(
                    "The quote was changed after submission: its approvals are "
                    "void and it is back to draft."
                )
            )

    def _b2b_cancel_chain(self):
        """Cancel the open steps of these quotes and mark them cancelled."""
        records = self.sudo().filtered("b2b_account_id")
        records.b2b_approval_ids._cancel_open()
        records.write({"b2b_state": "cancelled"})

    def _b2b_chain_error(self):
        """Why this quote may not be confirmed, or False when its chain covers it.

        Checks the chain itself rather than the approval status: every step of
        the last submission approved, and the quote unchanged since it was
        submitted.
        """
        self.ensure_one()
        record = self.sudo()
        steps = record.b2b_approval_ids.filtered(
            lambda s: s.submission == record.b2b_submission
        )
        if (
            record.b2b_state != "approved"
            or not record.b2b_submission
            or any(step.state != "approved" for step in steps)
        ):
            return self.env._(
                "Quote %s comes from the B2B portal: its approval chain must "
                "approve it and a purchaser of the customer must place it.",
                record.name,
            )
        if record._b2b_fingerprint() != record.b2b_submitted_fingerprint:
            return self.env._(
                "Quote %s changed after it was submitted for approval; its "
                "requester must submit it again.",
                record.name,
            )
        return False

    def _b2b_fingerprint(self):
        """Digest of what the approvals cover; the inheriting model defines it."""
        raise NotImplementedError()

    # Trail and notifications ---------------------------------------------------

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

    def _b2b_amount_text(self):
        self.ensure_one()
        return format_amount(self.env, self.amount_untaxed, self.currency_id)
