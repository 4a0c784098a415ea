# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

ROLE_FIELDS = ("role_requester", "role_approver", "role_purchaser", "role_admin")
PORTAL_FIELDS = frozenset(
    {
        *ROLE_FIELDS,
        "approval_limit",
        "manager_id",
        "delegate_id",
        "delegate_date_from",
        "delegate_date_to",
        "job_title",
        "active",
    }
)


class B2bMember(models.Model):
    _name = "b2b.member"
    _description = "B2B Account Member"
    _inherit = ["mail.thread"]
    _order = "account_id, name"

    name = fields.Char(related="user_id.name", store=True)
    active = fields.Boolean(default=True, tracking=True)
    account_id = fields.Many2one(
        "b2b.account", required=True, ondelete="cascade", index=True, tracking=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    currency_id = fields.Many2one(related="account_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Portal User",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('share', '=', True)]",
    )
    partner_id = fields.Many2one(related="user_id.partner_id")
    email = fields.Char(related="user_id.email")
    job_title = fields.Char()

    # Roles
    role_requester = fields.Boolean(string="Requester", default=True, tracking=True)
    role_approver = fields.Boolean(string="Approver", tracking=True)
    approval_limit = fields.Monetary(
        currency_field="currency_id",
        aggregator=None,
        tracking=True,
        help="Largest untaxed quote amount this approver may approve.",
    )
    role_purchaser = fields.Boolean(
        string="Purchaser", tracking=True, help="Places approved quotes as orders."
    )
    role_admin = fields.Boolean(
        string="Account Admin", tracking=True, help="Manages members from the portal."
    )

    # Organisation chart and delegation
    manager_id = fields.Many2one(
        "b2b.member",
        tracking=True,
        domain="[('account_id', '=', account_id), ('id', '!=', id)]",
    )
    subordinate_ids = fields.One2many("b2b.member", "manager_id", string="Reports")
    delegate_id = fields.Many2one(
        "b2b.member",
        tracking=True,
        domain="[('account_id', '=', account_id), ('id', '!=', id)]",
        help="Decides for this approver while absent, between the two dates.",
    )
    delegate_date_from = fields.Date(string="Delegation From", tracking=True)
    delegate_date_to = fields.Date(string="Delegation To", tracking=True)

    _sql_constraints = [
        ("user_uniq", "unique(user_id)", "A portal user belongs to one B2B account."),
        (
            "limit_positive",
            "CHECK(approval_limit >= 0)",
            "An approval limit cannot be negative.",
        ),
        (
            "delegation_dates",
            "CHECK(delegate_date_to IS NULL OR delegate_date_from IS NULL "
            "OR delegate_date_to >= delegate_date_from)",
            "A delegation must end after it starts.",
        ),
    ]

    @api.constrains("manager_id")
    def _check_manager(self):
        if self._has_cycle("manager_id"):
            raise ValidationError(
                self.env._("A member cannot be (indirectly) their own manager.")
            )
        for member in self:
            if member.manager_id and member.manager_id.account_id != member.account_id:
                raise ValidationError(
                    self.env._("A member's manager must belong to the same account.")
                )

    @api.constrains("delegate_id", "delegate_date_from", "delegate_date_to")
    def _check_delegate(self):
        for member in self:
            if not member.delegate_id:
                continue
            if member.delegate_id == member:
                raise ValidationError(
                    self.env._("A member cannot delegate to themself.")
                )
            if member.delegate_id.account_id != member.account_id:
                raise ValidationError(
                    self.env._("A delegate must belong to the same account.")
                )
            if not (member.delegate_date_from and member.delegate_date_to):
                raise ValidationError(
                    self.env._("Give the first and last day of the delegation.")
                )

    @api.constrains("user_id", "account_id")
    def _check_user_company(self):
        for member in self:
            user = member.user_id
            if not user.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is an internal user; members are portal users.",
                        user=user.name,
                    )
                )
            if user.partner_id.commercial_partner_id != member.account_id.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a contact of %(company)s.",
                        user=user.name,
                        company=member.account_id.partner_id.display_name,
                    )
                )

    # Business rules ---------------------------------------------------------

    def _can_approve_amount(self, amount):
        """Whether this member holds the approver role with a limit covering amount."""
        self.ensure_one()
        return self.active and self.role_approver and self.approval_limit >= amount

    def _is_delegate_of(self, member, day):
        """Whether this member may act for ``member`` on ``day``."""
        self.ensure_one()
        return bool(
            member.delegate_id == self
            and member.delegate_date_from
            and member.delegate_date_from <= day <= member.delegate_date_to
        )

    def _authorised_manager(self, amount):
        """Walk up the org chart to the first manager whose limit covers amount."""
        self.ensure_one()
        manager = self.manager_id
        seen = self
        while manager and manager not in seen:
            if manager._can_approve_amount(amount):
                return manager
            seen |= manager
            manager = manager.manager_id
        return self.browse()

    def _visible_order_domain(self, order_ids=None):
        """Quotes this member may see, following their roles; none without one.

        Account admins see every quote of the account, requesters their own,
        approvers those they decide or decided, purchasers the approved and
        ordered ones. The record rules of quotes, their lines and approval
        steps apply it to portal users.

        ``order_ids``, when given, are the quotes to be checked: the approver's
        subqueries then read the steps of these quotes only (by their index)
        instead of every step the approver ever had a say in, which grows with
        the account's history.
        """
        if not self:
            return expression.FALSE_DOMAIN
        self.ensure_one()
        member = self.sudo()
        if not (member.active and member.account_id.active):
            return expression.FALSE_DOMAIN
        account = [("b2b_account_id", "=", member.account_id.id)]
        if member.role_admin:
            return account
        branches = []
        if member.role_requester:
            branches.append([("b2b_requester_id", "=", member.id)])
        if member.role_purchaser:
            branches.append([("b2b_state", "in", ("approved", "ordered"))])
        if member.role_approver:
            deciders = member._delegators(fields.Date.context_today(member)) | member
            steps = self.env["b2b.approval"].sudo()
            # One subquery per way of having a say. Written as three "any"
            # on b2b_approval_ids, Odoo merges them into one subquery ORing
            # the three, which PostgreSQL estimates as a scan of every step
            # testing all three: an estimate that grows with the steps until
            # it passes jit_above_cost (past 6,000 steps, 16-48 ms per call
            # with JIT on, mostly compilation, for a query of 3-9 ms).
            for say in (
                [
                    ("state", "in", ("pending", "approved", "rejected")),
                    ("member_ids", "in", deciders.ids),
                ],
                [("decided_by_id", "=", member.id)],
                [("approved_member_ids", "in", member.ids)],
            ):
                if order_ids is not None:
                    say = [("order_id", "in", list(order_ids)), *say]
                orders = steps._search(say).subselect(
                    SQL.identifier(steps._table, "order_id")
                )
                branches.append([("id", "in", orders)])
        if not branches:
            return expression.FALSE_DOMAIN
        return expression.AND([account, expression.OR(branches)])

    def _delegators(self, day):
        """Members this member currently stands in for."""
        self.ensure_one()
        return self.search(
            [
                ("delegate_id", "=", self.id),
                ("delegate_date_from", "<=", day),
                ("delegate_date_to", ">=", day),
            ]
        )

    def _check_admin_of(self, account):
        """Raise unless this member administers ``account``."""
        if not (self and self.role_admin and self.account_id == account):
            raise AccessError(
                self.env._("Only an administrator of the account may manage members.")
            )

    def b2b_portal_write(self, values):
        """Update a member from the portal: only account admins, only safe fields."""
        actor = self.env.user._b2b_member()
        for member in self:
            actor._check_admin_of(member.account_id)
        self._check_portal_values(values)
        if self == actor and values.get("role_admin") is False:
            raise ValidationError(self.env._("You cannot remove your own admin role."))
        # The caller's rights were checked above; members are not writable by
        # portal users through the ORM, so the write itself runs as superuser.
        return self.sudo().write(values)

    @api.model
    def _check_portal_values(self, values):
        unknown = set(values) - PORTAL_FIELDS
        if unknown:
            raise AccessError(
                self.env._(
                    "These fields cannot be changed: %s", ", ".join(sorted(unknown))
                )
            )

    @api.model
    def b2b_portal_invite(self, name, email, values):
        """Create a portal user of the admin's company and make it a member."""
        actor = self.env.user._b2b_member()
        actor._check_admin_of(actor.account_id)
        self._check_portal_values(values)
        name, email = (name or "").strip(), (email or "").strip().lower()
        if not name or "@" not in email:
            raise ValidationError(self.env._("Give the new member's name and e-mail."))
        env = self.sudo().env
        if (
            env["res.users"]
            .with_context(active_test=False)
            .search_count([("login", "=", email)])
        ):
            raise ValidationError(
                self.env._("A user with the e-mail %s already exists.", email)
            )
        account = actor.account_id.sudo()
        partner = env["res.partner"].create(
            {"name": name, "email": email, "parent_id": account.partner_id.id}
        )
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "partner_id": partner.id,
                    "login": email,
                    "company_id": account.company_id.id,
                    "company_ids": [fields.Command.set(account.company_id.ids)],
                    "groups_id": [fields.Command.set(env.ref("base.group_portal").ids)],
                }
            )
        )
        member = env["b2b.member"].create(
            {**values, "account_id": account.id, "user_id": user.id}
        )
        return member.sudo(False)
