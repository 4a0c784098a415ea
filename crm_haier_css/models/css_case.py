# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, time, timedelta

import psycopg2.errors
import pytz
from markupsafe import Markup, escape
from psycopg2 import errorcodes

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from ..tools.portal_input import (
    PortalInputError,
    pending_attachments,
    to_int,
    upload_errors,
)
from ..tools.slot_plan import free_technicians
from ..tools.territory import best_territory
from .css_case_selections import CASE_TYPES, CHANNELS, PRIORITIES
from .css_sla_mixin import SLA_FIELDS
from .css_stage import CASE_STATES, DONE_STATES, OPEN_STATES


class IntakeMessageConflict(psycopg2.errors.SerializationFailure):
    """Another transaction created a case from the same e-mail meanwhile.

    Raised in place of the unique violation: Odoo retries the request
    (``odoo.service.model.retrying``), and the gateway then skips the e-mail
    as a known Message-Id.
    """

    pgcode = errorcodes.SERIALIZATION_FAILURE


# Hours of the preferred visit windows customers choose (outlet's time zone).
APPOINTMENT_HOURS = {"morning": (8, 12), "afternoon": (12, 17), "evening": (17, 20)}

PORTAL_CASE_TYPES = tuple(code for code, _label in CASE_TYPES if code != "complaint")


class CssCase(models.Model):
    _name = "css.case"
    _description = "Service Case"
    _inherit = [
        "portal.mixin",
        "rating.mixin",
        "mail.activity.mixin",
        "css.sla.mixin",
        "css.field.guard.mixin",
    ]
    _order = "priority desc, id desc"
    _check_company_auto = True
    _sql_constraints = [
        (
            "intake_message_id_unique",
            "unique(intake_message_id)",
            "This e-mail has already created a case.",
        ),
    ]
    _primary_email = "email_from"
    # Customers (portal followers) answer on the case they can read.
    _mail_post_access = "read"
    _rec_names_search = ["name", "subject", "partner_id.name", "partner_id.email"]
    # The SLA evidence that the service-quality reports read, and values
    # derived from other records: set by the case's own methods only.
    _css_system_fields = frozenset(
        {
            "first_response_date",
            "resolved_date",
            "closed_date",
            "reopen_count",
            "escalation_level",
            "escalation_date",
            "sla_start_date",
            "sla_status",
            *SLA_FIELDS,
            "response_hours",
            "resolution_hours",
            "state",
            "is_open",
            "commercial_partner_id",
            "product_categ_id",
            "rating_last_value",
        }
    )
    # What the portal's request form offers; the rest is derived.
    _css_portal_create_fields = frozenset(
        {
            "partner_id",
            "asset_id",
            "case_type",
            "subject",
            "description",
            "company_id",
            "channel",
        }
    )
    _css_portal_values = {"channel": ("portal",), "case_type": PORTAL_CASE_TYPES}

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        index="trigram",
        default="/",
    )
    subject = fields.Char(tracking=True)
    description = fields.Html(sanitize=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    # A new case has no rating yet: computed before the INSERT (no query), as
    # are the other stored fields a new case derives, instead of an UPDATE
    # of the row just inserted.
    rating_last_value = fields.Float(
        compute="_compute_rating_last_value", store=True, precompute=True
    )

    # Customer and intake
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        precompute=True,
    )
    customer_case_count = fields.Integer(
        related="commercial_partner_id.css_case_count", string="Customer Cases"
    )
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    email_from = fields.Char(
        string="Customer E-mail",
        compute="_compute_email_from",
        store=True,
        precompute=True,
        readonly=False,
        help="Address the case came from; kept when the sender is not a "
        "known customer.",
    )
    intake_message_id = fields.Char(
        string="Intake Message-Id",
        readonly=True,
        copy=False,
        help="Message-Id of the e-mail this case was created from: one case per "
        "e-mail, even when the mail server delivers it twice at once.",
    )
    channel = fields.Selection(
        CHANNELS, required=True, default="phone", tracking=True, index=True
    )
    case_type = fields.Selection(
        CASE_TYPES, string="Type", required=True, default="repair", tracking=True
    )
    priority = fields.Selection(PRIORITIES, default="0", index=True, tracking=True)
    reported_date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        help="When the customer reported the request (e.g. the date of a letter).",
    )

    # Product
    asset_id = fields.Many2one(
        "css.asset",
        string="Registered Product",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    product_id = fields.Many2one(
        "product.product",
        compute="_compute_product_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    product_categ_id = fields.Many2one(
        related="product_id.categ_id",
        store=True,
        precompute=True,
        string="Product Category",
    )
    under_warranty = fields.Boolean(related="asset_id.under_warranty")
    contract_id = fields.Many2one(
        "css.contract",
        compute="_compute_contract_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('state', '=', 'running')]",
    )
    fault_code_id = fields.Many2one("css.fault.code", tracking=True, index=True)
    solution_id = fields.Many2one(
        "css.solution", string="Applied Solution", tracking=True
    )
    suggested_solution_ids = fields.Many2many(
        "css.solution", compute="_compute_suggested_solution_ids"
    )

    # Workflow
    stage_id = fields.Many2one(
        "css.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
        ondelete="restrict",
    )
    state = fields.Selection(
        related="stage_id.state", store=True, index=True, precompute=True
    )
    is_open = fields.Boolean(
        compute="_compute_is_open", store=True, index=True, precompute=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "css.team",
        index=True,
        tracking=True,
        check_company=True,
    )
    service_center_id = fields.Many2one(
        "css.service.center",
        string="Outlet",
        index=True,
        tracking=True,
        check_company=True,
        help="The service outlet covering the customer's address, set by the routing.",
    )
    service_order_ids = fields.One2many("css.service.order", "case_id", string="Visits")
    service_order_count = fields.Integer(
        string="Visit Count", compute="_compute_service_order_count"
    )
    first_response_date = fields.Datetime(copy=False, readonly=True)
    resolved_date = fields.Datetime(copy=False, readonly=True)
    closed_date = fields.Datetime(copy=False, readonly=True)
    reopen_count = fields.Integer(copy=False, readonly=True)
    appointment_date = fields.Date(
        tracking=True, help="Day the customer would like the visit."
    )
    appointment_slot = fields.Selection(
        [
            ("morning", "Morning (8-12)"),
            ("afternoon", "Afternoon (12-17)"),
            ("evening", "Evening (17-20)"),
        ],
        tracking=True,
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    def _default_stage(self):
        return self.env["css.stage"].search([("state", "=", "new")], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    @api.depends("partner_id")
    def _compute_email_from(self):
        for case in self:
            if case.partner_id.email:
                case.email_from = case.partner_id.email
            elif not case.email_from:
                case.email_from = False

    @api.depends("asset_id")
    def _compute_product_id(self):
        for case in self:
            if case.asset_id:
                case.product_id = case.asset_id.product_id
            elif not case.product_id:
                case.product_id = False

    @api.depends("asset_id", "partner_id", "reported_date")
    def _compute_contract_id(self):
        todo = self.filtered(
            lambda case: not (case.state in DONE_STATES and case.contract_id)
        )
        # One search for the batch (an import creates hundreds at a time).
        running = self.env["css.contract"]._running_for(todo.partner_id)
        by_entity = running.grouped("commercial_partner_id")
        for case in todo:
            date = (case.reported_date or fields.Datetime.now()).date()
            entity = case.partner_id.commercial_partner_id
            contracts = by_entity.get(entity, running[:0])
            case.contract_id = contracts._pick_for(case.partner_id, case.asset_id, date)

    @api.depends("product_id", "fault_code_id")
    def _compute_suggested_solution_ids(self):
        solutions = self.env["css.solution"]
        for case in self:
            case.suggested_solution_ids = solutions._search_for(
                case.product_id, case.fault_code_id
            )

    @api.depends("state")
    def _compute_is_open(self):
        for case in self:
            case.is_open = case.state in OPEN_STATES

    @api.depends(
        "case_type",
        "priority",
        "partner_id",
        "contract_id",
        "contract_id.sla_policy_id",
        "company_id",
    )
    def _compute_sla_policy_id(self):
        policies = self.env["css.sla.policy"].search([])
        for case in self:
            if case.state in DONE_STATES and case.sla_policy_id:
                continue
            if case.contract_id.sla_policy_id:
                case.sla_policy_id = case.contract_id.sla_policy_id
                continue
            case.sla_policy_id = next(
                (policy for policy in policies if policy._matches(case)), False
            )

    def _compute_access_url(self):
        for case in self:
            case.access_url = f"/my/service/{case.id}"

    def _compute_service_order_count(self):
        counts = dict(
            self.env["css.service.order"]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
        )
        for case in self:
            case.service_order_count = counts.get(case, 0)

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for case in self:
            case.display_name = (
                f"{case.name} - {case.subject}" if case.subject else case.name
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._css_check_field_access(vals_list, create=True)
        sequence = self.env["ir.sequence"].sudo()
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("name", "/") in ("/", False):
                company_id = vals.get("company_id") or self.env.company.id
                vals["name"] = (
                    sequence.with_company(company_id).next_by_code("css.case") or "/"
                )
            vals.setdefault("sla_start_date", vals.get("reported_date") or now)
            if not vals.get("team_id"):
                vals["team_id"] = self._route_team(vals).id
        cases = super().create(vals_list)
        cases._subscribe_customers()
        return cases

    def write(self, vals):
        self._css_check_field_access([vals])
        if "stage_id" not in vals:
            return super().write(vals)
        new_state = self.env["css.stage"].browse(vals["stage_id"]).state
        changed = self.filtered(lambda case: case.state != new_state)
        reopened = changed.filtered(lambda case: case.state in DONE_STATES)
        result = super().write(vals)
        self.sudo().write(self._state_dates(new_state))
        if new_state in OPEN_STATES and reopened:
            reopened._restart_sla()
            reopened.sudo().service_order_ids._case_reopened()
        if new_state == "resolved" and changed:
            changed._schedule_follow_up()
        return result

    def _state_dates(self, state):
        now = fields.Datetime.now()
        if state == "resolved":
            return {"resolved_date": now, "closed_date": False}
        if state in ("closed", "cancelled"):
            return {"closed_date": now}
        return {"resolved_date": False, "closed_date": False}

    def _restart_sla(self):
        # Reopening restarts the resolution clock; an answer given before
        # still counts as the first response.
        now = fields.Datetime.now()
        for case in self.sudo():
            case.write(
                {
                    "sla_start_date": now,
                    "escalation_level": 0,
                    "escalation_date": False,
                    "reopen_count": case.reopen_count + 1,
                }
            )

    @api.model
    def _route_team(self, vals):
        """Return the team a new case goes to when none is given.

        The team of the assigned agent (or of the agent recording the case),
        else the company's first team. This is the
        routing hook: field service and distributors extend it to route a
        case to the outlet covering the customer's address. Teams are read as
        superuser because customers create cases from the portal.
        """
        company_id = vals.get("company_id") or self.env.company.id
        user_id = vals.get("user_id") or self.env.uid
        teams = self.env["css.team"].sudo()
        domain = [("company_id", "=", company_id)]
        team = teams.search(domain + [("member_ids", "in", user_id)], limit=1)
        return (team or teams.search(domain, limit=1)).sudo(False)

    def _subscribe_customers(self):
        """Make each new case's customer a follower of it.

        What ``message_subscribe`` does for one record, for the batch (a
        distributor's file creates cases by the hundred, the API one at a
        time): one lookup of the followers already there (the customer
        recording their own case follows it as its creator, and keeps that
        subscription) and one insert.
        """
        cases = self.filtered(lambda case: case.partner_id.active)
        if not cases:
            return
        Followers = self.env["mail.followers"].sudo()
        following = {
            (follower.res_id, follower.partner_id.id)
            for follower in Followers.search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", cases.ids),
                    ("partner_id", "in", cases.partner_id.ids),
                ],
                ["res_id", "partner_id"],
            )
        }
        case_ids_of = defaultdict(list)
        for case in cases:
            if (case.id, case.partner_id.id) not in following:
                case_ids_of[case.partner_id.id].append(case.id)
        customer_ids = cases.partner_id.filtered("partner_share").ids
        values = []
        for partner_id, case_ids in case_ids_of.items():
            new, _updates = Followers._add_default_followers(
                self._name,
                case_ids,
                [partner_id],
                customer_ids=customer_ids,
                check_existing=False,
            )
            values += [
                dict(vals, res_id=res_id)
                for res_id, vals_list in new.items()
                for vals in vals_list
            ]
        Followers.with_context(default_partner_id=False).create(values)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _stage_for(self, state):
        stage = self.env["css.stage"].search([("state", "=", state)], limit=1)
        if not stage:
            raise UserError(
                self.env._(
                    "Create a case stage for the state '%(state)s' first.",
                    state=dict(CASE_STATES)[state],
                )
            )
        return stage

    def _check_open(self, action):
        # The actions set SLA evidence as superuser: the caller must be
        # allowed to work on the cases (agents; not their customers).
        self.check_access("write")
        closed = self.filtered(lambda case: case.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Case %(cases)s is no longer open: reopen it to %(action)s.",
                    cases=", ".join(closed.mapped("name")),
                    action=action,
                )
            )

    def action_assign(self):
        """Assign the cases to the current user and start working on new ones."""
        self._check_open(self.env._("assign it"))
        team = self.env["css.team"].search(
            [("member_ids", "in", self.env.uid)], limit=1
        )
        for case in self:
            vals = {"user_id": self.env.uid}
            if team and self.env.user not in case.team_id.member_ids:
                vals["team_id"] = team.id
            if case.state == "new":
                vals["stage_id"] = self._stage_for("in_progress").id
            case.write(vals)
        return True

    def action_first_response(self):
        """Record that the customer has been answered (first response)."""
        self._check_open(self.env._("answer it"))
        self._set_first_response()
        return True

    def _set_first_response(self):
        pending = self.filtered(lambda case: not case.first_response_date)
        if not pending:
            return
        pending.sudo().write({"first_response_date": fields.Datetime.now()})
        new_cases = pending.filtered(lambda case: case.state == "new")
        if new_cases:
            new_cases.write({"stage_id": self._stage_for("in_progress").id})

    def action_wait(self):
        """Put the cases on hold until the customer answers."""
        self._check_open(self.env._("put it on hold"))
        self.write({"stage_id": self._stage_for("waiting").id})
        return True

    def action_resolve(self):
        """Resolve the cases: schedules the callback and asks for a rating."""
        self._check_open(self.env._("resolve it"))
        for case in self:
            if case.case_type in ("repair", "complaint") and not (
                case.solution_id or case.fault_code_id
            ):
                raise UserError(
                    self.env._(
                        "Case %(case)s: record the fault code or the applied "
                        "solution before resolving a %(type)s.",
                        case=case.name,
                        type=dict(CASE_TYPES)[case.case_type].lower(),
                    )
                )
        self._set_first_response()
        self.write({"stage_id": self._stage_for("resolved").id})
        return True

    def action_close(self):
        """Close resolved cases once the customer has been called back."""
        self.check_access("write")
        unresolved = self.filtered(lambda case: case.state != "resolved")
        if unresolved:
            raise UserError(
                self.env._(
                    "Resolve case %(cases)s before closing it.",
                    cases=", ".join(unresolved.mapped("name")),
                )
            )
        self.write({"stage_id": self._stage_for("closed").id})
        return True

    def action_cancel(self):
        """Cancel the cases (duplicate, request withdrawn)."""
        self._check_open(self.env._("cancel it"))
        self.write({"stage_id": self._stage_for("cancelled").id})
        return True

    def action_reopen(self):
        """Reopen resolved, closed or cancelled cases; the SLA clock restarts."""
        self.check_access("write")
        still_open = self.filtered(lambda case: case.state in OPEN_STATES)
        if still_open:
            raise UserError(
                self.env._(
                    "Case %(cases)s is still open.",
                    cases=", ".join(still_open.mapped("name")),
                )
            )
        self.write({"stage_id": self._stage_for("in_progress").id})
        return True

    def action_view_customer_cases(self):
        """Open every case of this case's customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_haier_css.action_css_case"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        return action

    # ------------------------------------------------------------------
    # Field service: routing to an outlet and a technician
    # ------------------------------------------------------------------

    def action_view_visits(self):
        """Open the case's visits."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_haier_css.action_css_service_order"
        )
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {
            "default_case_id": self.id,
            "default_service_center_id": self.service_center_id.id,
        }
        return action

    def action_route(self):
        """Route the open cases to an outlet and a technician, as draft visits.

        The outlet is the one whose territory covers the customer's address
        most precisely (longest postcode prefix, then state, then country);
        the technician holds a valid certification for every skill the visit
        needs, is free in the earliest window of the outlet's hours (within
        the customer's preferred day and time when given) and has the fewest
        hours booked that week. The reasoning goes to the chatter; a case
        that cannot be placed stays unrouted with an activity for the
        dispatcher saying why. Cases with a visit beyond draft are left
        alone. Everything is read once for all the cases, so that the number
        of queries does not grow with the number of cases.
        """
        self.check_access("write")
        cases = self.sudo().filtered("is_open")
        Visit = self.env["css.service.order"].sudo()
        drafts, busy = {}, set()
        for visit in Visit.search(
            [("case_id", "in", cases.ids), ("state", "!=", "cancelled")]
        ):
            if visit.state == "draft":
                drafts[visit.case_id.id] = visit
            else:
                busy.add(visit.case_id.id)
        cases = cases.filtered(lambda case: case.id not in busy)
        if not cases:
            return True
        router = _Router(self.env, cases, drafts)
        router.place_all()
        router.save()
        return True

    def _route_window(self, outlet, now):
        """The (start, end) the visit may take.

        The customer's preferred day and time when given, else the booking
        horizon from now.
        """
        self.ensure_one()
        if not self.appointment_date:
            return now, now + timedelta(days=self.company_id.css_slot_days or 14)
        tz = pytz.timezone(outlet.resource_calendar_id.tz or "UTC")
        hour_from, hour_to = APPOINTMENT_HOURS.get(self.appointment_slot, (0, 24))
        day = datetime.combine(self.appointment_date, time())
        start, end = (
            tz.localize(day + timedelta(hours=hour))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for hour in (hour_from, hour_to)
        )
        return max(start, now), end

    # ------------------------------------------------------------------
    # Portal: what a customer may do on their own cases
    # ------------------------------------------------------------------

    @api.model
    def _portal_create_request(self, form, uploads=()):
        """Create the service request a customer posts on the portal.

        Runs as the portal user: the customer, product and company follow
        from the user, the rest from the case's own rules.

        :param form: the posted strings (case_type, asset_id, subject,
            description)
        :param uploads: dicts with ``name``, ``mimetype``, ``size`` and
            ``data`` (a callable returning the content)
        :raise PortalInputError: one message per wrong field; nothing created
        """
        errors = {}
        description = (form.get("description") or "").strip()
        subject = (form.get("subject") or "").strip()
        case_type = form.get("case_type") or "repair"
        asset = self.env["css.asset"]
        if form.get("asset_id"):
            # Searched as the portal user: another customer's product is
            # simply not found.
            asset = asset.search([("id", "=", to_int(form["asset_id"]))])
            if not asset:
                errors["asset_id"] = self.env._(
                    "Choose one of your registered products."
                )
        if not description:
            errors["description"] = self.env._("Describe the problem.")
        if case_type not in PORTAL_CASE_TYPES:
            errors["case_type"] = self.env._("Choose the type of request.")
        errors.update(upload_errors(self.env, uploads))
        if errors:
            raise PortalInputError(errors)
        partner = self.env.user.partner_id
        case = self.create(
            {
                "partner_id": partner.id,
                "channel": "portal",
                "case_type": case_type,
                "asset_id": asset.id,
                "subject": subject or (asset.display_name if asset else False),
                "description": Markup("<p>%s</p>")
                % Markup("<br/>").join(escape(description).split("\n")),
                "company_id": (asset.company_id or partner.company_id).id
                or self.env.company.id,
            }
        )
        if uploads:
            case._portal_attach(uploads)
        return case

    def _portal_attach(self, uploads):
        """Attach the customer's photos and documents in one message."""
        self.ensure_one()
        attachments = pending_attachments(self.env, uploads)
        self.sudo().message_post(
            body=self.env._("Photos and documents from the customer."),
            author_id=self.env.user.partner_id.id,
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _portal_request_visit(self, day, slot):
        """Record the day and time window the customer would like a visit.

        :param day: the posted date string
        :param slot: a key of ``appointment_slot``
        :raise PortalInputError: for a closed case, a past day or no window
        """
        self.ensure_one()
        self.check_access("read")
        slots = dict(self._fields["appointment_slot"].selection)
        try:
            date = fields.Date.to_date(day) if day else None
        except ValueError:
            date = None
        if not self.is_open:
            error = self.env._("This case is closed: no visit can be booked.")
        elif not date or date < fields.Date.context_today(self):
            error = self.env._("Pick a day from today on.")
        elif slot not in slots:
            error = self.env._("Pick a time window.")
        else:
            error = None
        if error:
            raise PortalInputError({"appointment": error})
        # Customers do not write cases: only these two fields are written.
        case = self.sudo()
        case.write({"appointment_date": date, "appointment_slot": slot})
        case.message_post(
            body=self.env._(
                "Preferred visit: %(date)s, %(slot)s.",
                date=fields.Date.to_string(date),
                slot=slots[slot],
            ),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _portal_visit(self):
        """The case's visit the customer follows: the latest one not cancelled."""
        self.ensure_one()
        visits = self.sudo().service_order_ids.filtered(
            lambda visit: visit.state != "cancelled"
        )
        return visits.sorted("id")[-1:]

    def _portal_can_book(self):
        """Whether the customer may (re)book the visit window."""
        self.ensure_one()
        visit = self._portal_visit()
        outlet = visit.service_center_id or self.sudo().service_center_id
        return (
            self.is_open
            and bool(outlet)
            and (not visit or visit.state in ("draft", "scheduled"))
        )

    def _portal_slots(self):
        """The free windows offered to the customer for the case's visit."""
        self.ensure_one()
        if not self._portal_can_book():
            return []
        visit = self._portal_visit()
        case = self.sudo()
        outlet = visit.service_center_id or case.service_center_id
        skills = visit.skill_ids if visit else case._needed_skills()
        now = fields.Datetime.now()
        horizon = timedelta(days=case.company_id.css_slot_days or 14)
        return outlet._find_slots(now, now + horizon, skills)

    def _needed_skills(self):
        self.ensure_one()
        return (
            self.env["css.skill"]
            .sudo()
            .search([])
            ._needed_for(self.product_id.categ_id, self.case_type)
        )

    def _portal_book_slot(self, start):
        """Book the free window starting at ``start`` for the case's visit.

        The technician is the least booked one free then; a window taken a
        moment ago by someone else is refused. Booking the window already
        booked changes nothing.

        :param start: the posted start, as the naive UTC datetime string
        :raise PortalInputError: for a closed case, a visit under way, a
            window not offered or no longer free
        """
        self.ensure_one()
        self.check_access("read")
        try:
            start = fields.Datetime.to_datetime(start) if start else None
        except ValueError:
            start = None
        if not self._portal_can_book():
            raise PortalInputError(
                {
                    "slot": self.env._(
                        "The visit of this request can no longer be booked."
                    )
                }
            )
        if not start:
            raise PortalInputError(
                {"slot": self.env._("Pick one of the free windows.")}
            )
        visit = self._css_book_window(start)
        if not visit:
            return self._portal_visit()
        self.sudo().message_post(
            body=self.env._(
                "Visit booked by the customer: %(window)s with %(technician)s.",
                window=visit._format_window(),
                technician=visit.technician_id.name,
            ),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return visit

    def _css_book_window(self, start):
        """Book the free window starting at ``start`` for the case's visit.

        The technician is the least booked one free then. Shared by the
        customer's and the distributor's booking, which check the caller.

        :return: the scheduled visit, or an empty recordset when that window
            was already booked
        :raise PortalInputError: for a window not offered or no longer free
        """
        case = self.sudo()
        visit = self._portal_visit()
        if visit.state == "scheduled" and visit.appointment_start == start:
            return visit.browse()
        outlet = visit.service_center_id or case.service_center_id
        # One booking at a time per outlet: the second of two customers
        # picking the same window waits, then finds it taken.
        self.env.cr.execute(
            SQL("SELECT id FROM css_service_center WHERE id = %s FOR UPDATE", outlet.id)
        )
        skills = visit.skill_ids if visit else case._needed_skills()
        duration = outlet._visit_duration()
        slot = next(
            (
                slot
                for slot in outlet._find_slots(start, start + duration, skills)
                if slot["start"] == start
            ),
            None,
        )
        if not slot:
            raise PortalInputError(
                {
                    "slot": self.env._(
                        "This window was taken a moment ago. Please pick another one."
                    )
                }
            )
        values = {
            "service_center_id": outlet.id,
            "technician_id": slot["technician_ids"][0],
            "appointment_start": slot["start"],
            "appointment_end": slot["end"],
        }
        if visit:
            visit.write(values)
        else:
            visit = (
                self.env["css.service.order"]
                .sudo()
                .create({"case_id": case.id, **values})
            )
        if visit.state == "draft":
            visit.action_schedule()
        return visit

    def _portal_rating_pending(self):
        """Whether the customer may still rate this case."""
        self.ensure_one()
        if self.state not in ("resolved", "closed"):
            return False
        return not any(rating.consumed for rating in self.sudo().rating_ids)

    def _portal_rate(self, rate, feedback=None):
        """Rate the resolved case from 1 to 5 stars, once.

        :raise PortalInputError: when the case cannot be rated (again) or the
            rate is not 1 to 5
        """
        self.ensure_one()
        self.check_access("read")
        rate = to_int(rate)
        if not self._portal_rating_pending():
            raise PortalInputError(
                {"rating": self.env._("This case cannot be rated (again).")}
            )
        if not 1 <= rate <= 5:
            raise PortalInputError({"rating": self.env._("Choose from 1 to 5 stars.")})
        case = self.sudo()
        token = case._rating_get_access_token(self.env.user.partner_id)
        case.rating_apply(rate, token=token, feedback=feedback or "")

    # ------------------------------------------------------------------
    # Follow-up and satisfaction
    # ------------------------------------------------------------------

    def _schedule_follow_up(self):
        """Schedule the customer callback and send the satisfaction request."""
        today = fields.Date.context_today(self)
        template = self.env.ref(
            "crm_haier_css.mail_template_css_case_rating", raise_if_not_found=False
        )
        for case in self:
            delay = case.company_id.css_callback_days
            case.activity_schedule(
                "crm_haier_css.mail_activity_type_css_callback",
                date_deadline=today + timedelta(days=delay),
                summary=self.env._("Call the customer back"),
                user_id=(case.user_id or self.env.user).id,
            )
            if template and case.partner_id:
                case.rating_send_request(
                    template, lang=case.partner_id.lang, force_send=False
                )

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        case = self.browse(rating.res_id)
        if rate <= case.company_id.css_poor_rating_threshold:
            case._open_complaint(rating)
        return rating

    def _open_complaint(self, rating):
        """Reopen the case as a complaint and alert the supervisor."""
        self.ensure_one()
        vals = {"case_type": "complaint", "priority": "3"}
        if self.state not in OPEN_STATES:
            vals["stage_id"] = self._stage_for("in_progress").id
        self.write(vals)
        supervisor = self._escalation_user(1)
        body = Markup("<p>%s</p><p>%s</p>") % (
            self.env._(
                "Poor rating (%(rate)s/5): the case is reopened as a complaint.",
                rate=int(rating.rating),
            ),
            rating.feedback or "",
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        if supervisor:
            self.activity_schedule(
                "crm_haier_css.mail_activity_type_css_escalation",
                summary=self.env._("Dissatisfied customer: call back"),
                note=body,
                user_id=supervisor.id,
            )

    # ------------------------------------------------------------------
    # Mail gateway and chatter
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Create a case from an e-mail sent to the service alias."""
        self = self.with_context(default_user_id=False)
        subject = msg_dict.get("subject") or self.env._("No Subject")
        defaults = {
            "name": "/",
            "subject": subject,
            "description": msg_dict.get("body"),
            "channel": "email",
            "case_type": "inquiry",
            "email_from": msg_dict.get("email_from") or msg_dict.get("from"),
            "partner_id": msg_dict.get("author_id") or False,
            # The gateway skips a Message-Id it already has, but two deliveries
            # of one e-mail at once both pass that check: the unique constraint
            # then stops the second one, which is retried and skipped.
            "intake_message_id": msg_dict.get("message_id") or False,
        }
        defaults.update(custom_values or {})
        try:
            with self.env.cr.savepoint():
                return super().message_new(msg_dict, custom_values=defaults)
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != "css_case_intake_message_id_unique":
                raise
            raise IntakeMessageConflict(
                "css.case: the same e-mail was delivered twice at once; retry."
            ) from error

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type not in ("comment", "email", "email_outgoing"):
            return result
        author_users = message.author_id.sudo().user_ids
        if author_users and not all(author_users.mapped("share")):
            # An employee wrote to the customer (not an internal note): that
            # is the first response.
            if message.subtype_id and not message.subtype_id.internal:
                open_cases = self.filtered(lambda case: case.state in OPEN_STATES)
                open_cases._set_first_response()
        elif message.author_id and self.state == "waiting":
            # The customer answered: the case is back on the agent's desk.
            self.sudo().write({"stage_id": self._stage_for("in_progress").id})
        return result


class _Router:
    """Places many cases at once on data read once (see ``css.case.action_route``)."""

    def __init__(self, env, cases, drafts):
        self.env = env
        self.cases = cases
        self.drafts = drafts
        self.now = fields.Datetime.now().replace(second=0, microsecond=0)
        # case id: (outlet, technician id, start, end, skills, other free ids)
        self.placements = {}
        self.failures = {}  # case id: (outlet or None, reason)
        self.outlet_of = {}  # case id: (outlet, match)
        self.skills = env["css.skill"].sudo().search([])
        self._needed = {}
        # Outlets sharing opening hours share their appointment windows, and
        # the chatter notes their formatted text.
        self._grids = {}
        self._window_texts = {}
        self.technician_names = {}

    # -- reading ---------------------------------------------------------

    def needed_skills(self, case):
        key = (case.product_id.categ_id.id, case.case_type)
        if key not in self._needed:
            self._needed[key] = self.skills._needed_for(
                case.product_id.categ_id, case.case_type
            )
        return self._needed[key]

    def find_outlets(self):
        Outlet = self.env["css.service.center"].sudo()
        territories = defaultdict(list)
        for outlet in Outlet.search([("company_id", "in", self.cases.company_id.ids)]):
            territories[outlet.company_id.id] += outlet._territories()
        cache = {}
        for case in self.cases:
            partner = case.partner_id
            key = (
                case.company_id.id,
                partner.zip,
                partner.state_id.id,
                partner.country_id.id,
            )
            if key not in cache:
                cache[key] = best_territory(territories[key[0]], *key[1:])
            outlet, match = cache[key]
            if outlet:
                self.outlet_of[case.id] = (outlet, match)
            else:
                self.failures[case.id] = (
                    None,
                    self.env._(
                        "No outlet covers the customer's address (%(address)s). "
                        "Set the customer's postcode, province or country, or "
                        "extend an outlet's territory.",
                        address=", ".join(
                            filter(
                                None,
                                [
                                    partner.zip,
                                    partner.state_id.name,
                                    partner.country_id.name,
                                ],
                            )
                        )
                        or self.env._("no address"),
                    ),
                )

    # -- placing ---------------------------------------------------------

    def place_all(self):
        self.find_outlets()
        by_outlet = defaultdict(list)
        for case in self.cases:
            if case.id in self.outlet_of:
                by_outlet[self.outlet_of[case.id][0]].append(case)
        if not by_outlet:
            return
        windows = {
            case.id: case._route_window(outlet, self.now)
            for outlet, cases in by_outlet.items()
            for case in cases
        }
        technicians = self.env["res.users"].union(
            *(outlet.technician_ids for outlet in by_outlet)
        )
        Outlet = self.env["css.service.center"].sudo()
        date_from = min(start for start, _end in windows.values())
        date_to = max(end for _start, end in windows.values())
        self.bookings = Outlet._bookings(
            technicians,
            date_from,
            date_to,
            exclude_visits=[visit.id for visit in self.drafts.values()],
        )
        self.certifications = Outlet._certifications(technicians)
        self.technician_names = dict(
            zip(technicians.ids, technicians.mapped("name"), strict=True)
        )
        for outlet, cases in by_outlet.items():
            self.place_at(outlet, cases, windows)

    def place_at(self, outlet, cases, windows):
        """Place the outlet's cases: earliest window, least booked technician."""
        date_from = min(windows[case.id][0] for case in cases)
        date_to = max(windows[case.id][1] for case in cases)
        grid = self.windows_of(outlet, date_from, date_to)
        starts = [start for start, _end in grid]
        technician_ids = outlet.technician_ids.ids
        # Windows before this index are full for these skills: bookings only
        # add up while routing, so later cases need not look at them again.
        first_open = {}
        for case in cases:
            skills = self.needed_skills(case)
            win_start, win_end = windows[case.id]
            pointer_key = (tuple(skills.ids), win_start, win_end)
            index = max(bisect_left(starts, win_start), first_open.get(pointer_key, 0))
            found = None
            while index < len(grid) and grid[index][1] <= win_end:
                start, end = grid[index]
                free = free_technicians(
                    technician_ids,
                    start,
                    end,
                    skills.ids,
                    self.bookings,
                    self.certifications,
                )
                if free:
                    found = (start, end, free)
                    break
                index += 1
            first_open[pointer_key] = index
            if not found:
                self.failures[case.id] = (
                    outlet,
                    self.why_not(outlet, technician_ids, skills, win_start, win_end),
                )
                continue
            start, end, free = found
            self.bookings.book(free[0], start, end)
            self.placements[case.id] = (outlet, free[0], start, end, skills, free[1:4])

    def windows_of(self, outlet, date_from, date_to):
        """The outlet's appointment windows, computed once per opening hours."""
        key = (
            outlet.resource_calendar_id.id,
            outlet._visit_duration(),
            date_from,
            date_to,
        )
        if key not in self._grids:
            self._grids[key] = outlet._windows(date_from, date_to)
        return self._grids[key]

    def why_not(self, outlet, technician_ids, skills, win_start, win_end):
        if not technician_ids:
            return self.env._(
                "Outlet %(outlet)s has no technicians.", outlet=outlet.name
            )
        certified = [
            tech_id
            for tech_id in technician_ids
            if self.certifications.holds(tech_id, skills.ids, win_start.date())
        ]
        if not certified:
            return self.env._(
                "No technician of outlet %(outlet)s holds a valid certification "
                "for %(skills)s.",
                outlet=outlet.name,
                skills=", ".join(skills.mapped("name")),
            )
        tz = outlet.resource_calendar_id.tz
        return self.env._(
            "The technicians of outlet %(outlet)s who hold the skills needed are "
            "booked or off (or the outlet is closed) from %(start)s to %(end)s.",
            outlet=outlet.name,
            start=format_datetime(self.env, win_start, tz=tz, dt_format="short"),
            end=format_datetime(self.env, win_end, tz=tz, dt_format="short"),
        )

    # -- writing ---------------------------------------------------------

    def match_text(self, outlet, match):
        length, state, _country = match
        if length:
            return self.env._("postcode prefix, %(length)s digits", length=length)
        if state:
            return self.env._("province")
        return self.env._("country")

    def note(self, case, placement):
        outlet, technician_id, start, end, skills, others = placement
        tz = outlet.resource_calendar_id.tz
        if (tz, start, end) not in self._window_texts:
            self._window_texts[tz, start, end] = "{} - {}".format(
                format_datetime(self.env, start, tz=tz, dt_format="short"),
                format_datetime(self.env, end, tz=tz, dt_format="HH:mm"),
            )
        window = self._window_texts[tz, start, end]
        lines = [
            self.env._(
                "Routed to outlet %(outlet)s (territory: %(match)s).",
                outlet=outlet.name,
                match=self.match_text(outlet, self.outlet_of[case.id][1]),
            ),
            self.env._(
                "Skills needed: %(skills)s.",
                skills=", ".join(skills.mapped("name")) or self.env._("none"),
            ),
            self.env._(
                "Technician %(technician)s on %(window)s: certified, free, "
                "%(hours)s h booked that week before this visit.",
                technician=self.technician_names[technician_id],
                window=window,
                hours=round(
                    self.bookings.week_hours(technician_id, start)
                    - (end - start).total_seconds() / 3600,
                    1,
                ),
            ),
        ]
        if others:
            lines.append(
                self.env._(
                    "Also free then: %(others)s.",
                    others=", ".join(
                        f"{self.technician_names[tech_id]} "
                        f"({round(self.bookings.week_hours(tech_id, start), 1)} h)"
                        for tech_id in others
                    ),
                )
            )
        return Markup("<br/>").join(lines)

    def save(self):
        Visit = self.env["css.service.order"].sudo().with_context(tracking_disable=True)
        creates, bodies = [], {}
        for case in self.cases:
            placement = self.placements.get(case.id)
            if not placement:
                continue
            outlet, technician_id, start, end, skills, _others = placement
            values = {
                "service_center_id": outlet.id,
                "technician_id": technician_id,
                "appointment_start": start,
                "appointment_end": end,
                "skill_ids": [Command.set(skills.ids)],
            }
            if case.id in self.drafts:
                self.drafts[case.id].with_context(tracking_disable=True).write(values)
            else:
                creates.append({"case_id": case.id, **values})
            bodies[case.id] = self.note(case, placement)
        Visit.create(creates)
        by_outlet = defaultdict(list)
        for case in self.cases:
            outlet = self.outlet_of.get(case.id, (None,))[0]
            if outlet and case.service_center_id != outlet:
                by_outlet[outlet].append(case.id)
        self.set_outlets(by_outlet)
        for case_id, (_outlet, reason) in self.failures.items():
            bodies[case_id] = Markup("%s<br/>%s") % (
                self.env._("Not routed."),
                reason,
            )
        if bodies:
            self.cases.browse(list(bodies))._message_log_batch(
                bodies, author_id=self.env.user.partner_id.id
            )
        self.notify_dispatcher()

    def set_outlets(self, by_outlet):
        """Set the cases' outlet in one UPDATE, whatever the number of cases.

        The ORM would write them 100 rows a statement; what depends on the
        outlet is still recomputed through ``modified``.
        """
        if not by_outlet:
            return
        cases = self.env["css.case"].browse(
            [case_id for case_ids in by_outlet.values() for case_id in case_ids]
        )
        cases.flush_recordset(["service_center_id"])
        cases.modified(["service_center_id"], before=True)
        self.env.cr.execute(
            SQL(
                """
                UPDATE css_case
                   SET service_center_id = routed.outlet_id,
                       write_date = %s, write_uid = %s
                  FROM unnest(%s::int[], %s::int[]) AS routed(case_id, outlet_id)
                 WHERE css_case.id = routed.case_id
                """,
                self.env.cr.now(),
                self.env.uid,
                [case_id for case_ids in by_outlet.values() for case_id in case_ids],
                [
                    outlet.id
                    for outlet, case_ids in by_outlet.items()
                    for _case_id in case_ids
                ],
            )
        )
        cases.invalidate_recordset(["service_center_id", "write_date", "write_uid"])
        cases.modified(["service_center_id"])

    def notify_dispatcher(self):
        """One activity per unrouted case for the dispatcher, unless one is open."""
        if not self.failures:
            return
        activity_type = self.env.ref("crm_haier_css.mail_activity_type_css_dispatch")
        Activity = self.env["mail.activity"].sudo()
        pending = set(
            Activity.search(
                [
                    ("res_model", "=", "css.case"),
                    ("res_id", "in", list(self.failures)),
                    ("activity_type_id", "=", activity_type.id),
                ]
            ).mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id("css.case")
        cases = self.cases.browse([cid for cid in self.failures if cid not in pending])
        Activity.create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": case.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._("Route this case by hand"),
                    "note": self.failures[case.id][1],
                    "user_id": (case.company_id._css_dispatcher() or self.env.user).id,
                }
                for case in cases
            ]
        )
