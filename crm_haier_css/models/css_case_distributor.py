# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.portal_input import PortalInputError
from .css_stage import OPEN_STATES


class CssCase(models.Model):
    """Cases of distributors: their reference, their outlet's answer."""

    _name = "css.case"
    _inherit = ["css.case", "css.external.ref.mixin"]
    # The sender's reference and the distributor it belongs to are given
    # when the case is created (API, import); changing them afterwards would
    # make the sender's retry create a duplicate.
    _css_create_only_fields = frozenset({"external_ref", "distributor_id"})

    distributor_id = fields.Many2one(
        "res.partner",
        compute="_compute_distributor_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('is_distributor', '=', True)]",
        help="The distributor the case belongs to: the one whose system sent "
        "it (its external reference is in that distributor's numbering), "
        "else the one running the outlet the case is routed to.",
    )
    distributor_acceptance = fields.Selection(
        [("pending", "To Accept"), ("accepted", "Accepted")],
        compute="_compute_distributor_acceptance",
        store=True,
        precompute=True,
        readonly=False,
        copy=False,
        tracking=True,
        help="A case routed to a distributor's outlet waits for the "
        "distributor to accept it; a declined case goes back to routing.",
    )
    declined_service_center_ids = fields.Many2many(
        "css.service.center",
        "css_case_declined_outlet_rel",
        "case_id",
        "service_center_id",
        string="Declined by Outlets",
        copy=False,
        readonly=True,
        help="Outlets of distributors that declined the case: routing passes "
        "them over.",
    )

    @api.depends("service_center_id.distributor_id")
    def _compute_distributor_id(self):
        for case in self:
            # A reference stays in the numbering of the distributor it came with.
            if not case.external_ref:
                case.distributor_id = case.service_center_id.distributor_id

    @api.depends("service_center_id")
    def _compute_distributor_acceptance(self):
        for case in self:
            case.distributor_acceptance = (
                "pending" if case.service_center_id.distributor_id else False
            )

    @api.model
    def _css_distributor_of_vals(self, vals):
        distributor_id = super()._css_distributor_of_vals(vals)
        if not distributor_id and vals.get("service_center_id"):
            outlet = (
                self.env["css.service.center"].sudo().browse(vals["service_center_id"])
            )
            distributor_id = outlet.distributor_id.id
        return distributor_id

    @api.model_create_multi
    def create(self, vals_list):
        return self._css_create_once(vals_list, super().create)

    # ------------------------------------------------------------------
    # The distributor's answer
    # ------------------------------------------------------------------

    def _css_check_distributor_case(self, action):
        """Check that the cases are open, routed to a distributor and the caller's.

        Record rules decide whose they are: a distributor user may write the
        cases routed to his distributor's outlets only.
        """
        self.check_access("write")
        for case in self:
            distributor = case.sudo().service_center_id.distributor_id
            if (
                self.env.user.share
                and distributor != self.env.user.commercial_partner_id
            ):
                # A distributor who is also the customer of a case routed
                # to another distributor reads it, and may not answer it.
                raise AccessError(
                    self.env._(
                        "Case %(case)s is not routed to your outlets.", case=case.name
                    )
                )
            if not distributor:
                raise UserError(
                    self.env._(
                        "Case %(case)s is not routed to a distributor's outlet: "
                        "it cannot be %(action)s.",
                        case=case.name,
                        action=action,
                    )
                )
            if case.state not in OPEN_STATES:
                raise UserError(
                    self.env._(
                        "Case %(case)s is no longer open: it cannot be %(action)s.",
                        case=case.name,
                        action=action,
                    )
                )

    def _css_distributor_note(self, body):
        for case in self.sudo():
            case.message_post(
                body=body,
                author_id=self.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def action_distributor_accept(self):
        """Accept the cases routed to the distributor's outlet; once."""
        self._css_check_distributor_case(self.env._("accepted"))
        todo = self.filtered(lambda case: case.distributor_acceptance != "accepted")
        if not todo:
            return True
        cases = todo.sudo()
        cases.write({"distributor_acceptance": "accepted"})
        new = cases.filtered(lambda case: case.state == "new")
        if new:
            new.write({"stage_id": self._stage_for("in_progress").id})
        for case in todo:
            case._css_distributor_note(
                self.env._(
                    "Accepted by %(distributor)s for outlet %(outlet)s.",
                    distributor=self.env.user.commercial_partner_id.name,
                    outlet=case.sudo().service_center_id.name,
                )
            )
        return True

    def action_distributor_decline(self, reason):
        """Decline the cases: they go back to routing, without the declining outlet.

        :param reason: why the distributor declines; required
        :raise UserError: without a reason
        """
        reason = (reason or "").strip()
        if not reason:
            raise PortalInputError(
                {"reason": self.env._("Say why you decline the case.")}
            )
        self._css_check_distributor_case(self.env._("declined"))
        for case in self.sudo():
            outlet = case.service_center_id
            case.service_order_ids.filtered(
                lambda visit: visit.state not in ("done", "cancelled")
            ).action_cancel()
            case.write(
                {
                    "service_center_id": False,
                    "declined_service_center_ids": [Command.link(outlet.id)],
                }
            )
            case.sudo(False)._css_distributor_note(
                Markup("%s<br/>%s")
                % (
                    self.env._(
                        "Declined by %(distributor)s (outlet %(outlet)s):",
                        distributor=outlet.distributor_id.name,
                        outlet=outlet.name,
                    ),
                    reason,
                )
            )
            case.action_route()
        return True

    def action_route(self):
        # Outlets that declined a case are passed over for that case: such
        # cases (few) are routed one by one without them.
        declined = self.filtered("declined_service_center_ids")
        others = self - declined
        if others:
            super(CssCase, others).action_route()
        for case in declined:
            super(
                CssCase,
                case.with_context(
                    css_exclude_service_center_ids=case.declined_service_center_ids.ids
                ),
            ).action_route()
        return True

    def _distributor_book_slot(self, start):
        """Book a free window of the outlet for the case's visit, as the distributor.

        :param start: the posted start, as the naive UTC datetime string
        :raise PortalInputError: for a case not accepted, a visit under way,
            a window not offered or no longer free
        """
        self.ensure_one()
        self._css_check_distributor_case(self.env._("scheduled"))
        try:
            start = fields.Datetime.to_datetime(start) if start else None
        except ValueError:
            start = None
        if self.distributor_acceptance != "accepted":
            raise PortalInputError(
                {"slot": self.env._("Accept the case before scheduling its visit.")}
            )
        if not self._portal_can_book():
            raise PortalInputError(
                {"slot": self.env._("The visit of this case can no longer be moved.")}
            )
        if not start:
            raise PortalInputError(
                {"slot": self.env._("Pick one of the free windows.")}
            )
        visit = self._css_book_window(start) or self._portal_visit()
        self._css_distributor_note(
            self.env._(
                "Visit scheduled by the distributor: %(window)s with %(technician)s.",
                window=visit._format_window(),
                technician=visit.technician_id.name,
            )
        )
        return visit

    def _distributor_complete(self, report, hours, parts, uploads):
        """Report the case's visit done, see the visit's ``_distributor_complete``."""
        self.ensure_one()
        self._css_check_distributor_case(self.env._("completed"))
        visit = self._portal_visit()
        if not visit:
            raise PortalInputError(
                {"form": self.env._("Schedule the visit before completing it.")}
            )
        return visit.sudo(False)._distributor_complete(report, hours, parts, uploads)
