# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, format_datetime, is_html_empty

from ..tools.portal_input import PortalInputError
from ..tools.sequence import next_names

VISIT_STATES = [
    ("draft", "Draft"),
    ("scheduled", "Scheduled"),
    ("dispatched", "Dispatched"),
    ("on_site", "On Site"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# What a technician may set on his own visits: the rest is the dispatcher's.
TECHNICIAN_FIELDS = frozenset(
    {"work_report", "time_spent", "signature", "signed_by", "line_ids"}
)
FIRST_TIME_FIX_DAYS = 30
WINDOW_FIELDS = ("technician_id", "appointment_start", "appointment_end")


class CssServiceOrder(models.Model):
    """A technician's visit to a customer for a case."""

    _name = "css.service.order"
    _description = "Service Visit"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "css.field.guard.mixin",
    ]
    _order = "appointment_start desc, id desc"
    _check_company_auto = True
    _css_system_fields = frozenset(
        {
            "state",
            "date_start",
            "date_done",
            "date_reopened",
            "first_time_fix",
            "invoice_id",
            "picking_id",
            "contract_id",
            "signed_on",
            "company_id",
            "commercial_partner_id",
            "amount_total",
            "amount_covered",
            "amount_charged",
            "parts_forced",
        }
    )
    # Portal users read their visits; they sign and book on the portal pages.
    _css_portal_create_fields = frozenset()
    _css_role_fields = (
        ("crm_haier_css.group_css_outlet_manager", None),
        ("crm_haier_css.group_css_agent", None),
        ("crm_haier_css.group_css_technician", TECHNICIAN_FIELDS),
    )

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        index="trigram",
        default="/",
    )
    case_id = fields.Many2one(
        "css.case",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_from_case",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        precompute=True,
    )
    asset_id = fields.Many2one(
        "css.asset",
        string="Registered Product",
        compute="_compute_from_case",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
    )
    product_id = fields.Many2one(related="case_id.product_id", string="Product")
    contract_id = fields.Many2one(
        "css.contract",
        compute="_compute_contract_id",
        store=True,
        precompute=True,
        help="The customer's contract the case falls under.",
    )

    # Dispatch
    service_center_id = fields.Many2one(
        "css.service.center",
        string="Outlet",
        index=True,
        tracking=True,
        check_company=True,
    )
    technician_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    skill_ids = fields.Many2many(
        "css.skill",
        string="Skills Needed",
        compute="_compute_skill_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    appointment_start = fields.Datetime(index=True, tracking=True, copy=False)
    appointment_end = fields.Datetime(tracking=True, copy=False)
    duration = fields.Float(
        string="Booked Hours",
        compute="_compute_duration",
        store=True,
        precompute=True,
        aggregator="sum",
    )
    state = fields.Selection(
        VISIT_STATES,
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    color = fields.Integer(related="service_center_id.color")
    can_plan = fields.Boolean(
        compute="_compute_can_plan",
        help="Whether the current user plans visits (outlet manager, dispatcher, "
        "agent) rather than only working on his own.",
    )

    # Work
    line_ids = fields.One2many(
        "css.service.order.line", "order_id", string="Parts and Labour", copy=True
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The delivery in which the parts used left the outlet's location.",
    )
    move_ids = fields.One2many(
        "stock.move", "css_service_order_id", string="Stock Moves", readonly=True
    )
    invoice_id = fields.Many2one("account.move", readonly=True, copy=False, index=True)
    # Related fields read as the system: shown to those without accounting access.
    invoice_name = fields.Char(related="invoice_id.name", string="Invoice Number")
    invoice_payment_state = fields.Selection(
        related="invoice_id.payment_state", string="Payment"
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True
    )
    # Precomputed: routing creates visits by the thousand without a second
    # UPDATE of each.
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True, precompute=True
    )
    amount_covered = fields.Monetary(
        string="Covered", compute="_compute_amounts", store=True, precompute=True
    )
    amount_charged = fields.Monetary(
        string="Charged to Customer",
        compute="_compute_amounts",
        store=True,
        precompute=True,
        help="What the customer pays: the lines neither the warranty nor a "
        "contract covers, at the outlet's pricelist.",
    )
    parts_forced = fields.Boolean(
        readonly=True,
        copy=False,
        help="A dispatcher completed the visit with parts the outlet's "
        "location did not hold.",
    )
    work_report = fields.Html(sanitize=True)
    time_spent = fields.Float(string="Time Spent (h)")
    date_start = fields.Datetime(string="Arrived", readonly=True, copy=False)
    date_done = fields.Datetime(
        string="Completed", readonly=True, copy=False, index=True
    )
    date_reopened = fields.Datetime(
        string="Case Reopened",
        readonly=True,
        copy=False,
        help="When the case was first reopened after this visit was done.",
    )

    # Sign-off
    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024
    )
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False, readonly=True)

    first_time_fix = fields.Boolean(
        compute="_compute_first_time_fix",
        store=True,
        precompute=True,
        index=True,
        help="The case was resolved with this visit, and within "
        f"{FIRST_TIME_FIX_DAYS} days of it neither reopened, nor visited "
        "again, nor followed by a new case on the same product.",
    )

    _sql_constraints = [
        (
            "window_order",
            "CHECK(appointment_end IS NULL OR appointment_start IS NULL "
            "OR appointment_end > appointment_start)",
            "A visit ends after it starts.",
        ),
        (
            "time_spent_positive",
            "CHECK(time_spent >= 0)",
            "The time spent cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_can_plan(self):
        user = self.env.user
        can_plan = user.has_group("crm_haier_css.group_css_outlet_manager") or (
            user.has_group("crm_haier_css.group_css_agent")
        )
        self.can_plan = can_plan

    @api.depends("case_id")
    def _compute_from_case(self):
        for visit in self:
            visit.partner_id = visit.case_id.partner_id
            visit.asset_id = visit.case_id.asset_id

    @api.depends("case_id.contract_id")
    def _compute_contract_id(self):
        for visit in self:
            if visit.state != "done" or not visit.contract_id:
                visit.contract_id = visit.case_id.contract_id

    @api.depends("case_id.product_id", "case_id.case_type")
    def _compute_skill_ids(self):
        skills = self.env["css.skill"].sudo().search([])
        for visit in self:
            visit.skill_ids = skills._needed_for(
                visit.case_id.product_id.categ_id, visit.case_id.case_type
            ).sudo(False)

    @api.depends("appointment_start", "appointment_end")
    def _compute_duration(self):
        for visit in self:
            if visit.appointment_start and visit.appointment_end:
                delta = visit.appointment_end - visit.appointment_start
                visit.duration = delta.total_seconds() / 3600
            else:
                visit.duration = 0.0

    @api.depends("service_center_id.pricelist_id", "company_id")
    def _compute_currency_id(self):
        for visit in self:
            visit.currency_id = (
                visit.service_center_id.pricelist_id.currency_id
                or visit.company_id.currency_id
                or self.env.company.currency_id
            )

    @api.depends("line_ids.amount_total", "line_ids.amount_charged")
    def _compute_amounts(self):
        for visit in self:
            total = sum(visit.line_ids.mapped("amount_total"))
            charged = sum(visit.line_ids.mapped("amount_charged"))
            visit.amount_total = total
            visit.amount_charged = charged
            visit.amount_covered = total - charged

    @api.depends(
        "state",
        "date_done",
        "date_reopened",
        "case_id.state",
        "case_id.service_order_ids.state",
        "case_id.service_order_ids.date_done",
        "asset_id.case_ids.reported_date",
    )
    def _compute_first_time_fix(self):
        for visit in self:
            visit.first_time_fix = visit._is_first_time_fix()

    def _is_first_time_fix(self):
        """Whether nothing within the repeat window shows the fix did not hold.

        Only what happens within ``FIRST_TIME_FIX_DAYS`` of the visit counts:
        a reopening of the case, another done visit of the case (before or
        after: either one is a repeat), a new case on the same product. A
        case reopened later is a new problem and leaves the fix standing.
        """
        self.ensure_one()
        if self.state != "done" or not self.date_done:
            return False
        window = timedelta(days=FIRST_TIME_FIX_DAYS)
        until = self.date_done + window
        if self.date_reopened:
            if self.date_reopened <= until:
                return False
        elif self.case_id.state not in ("resolved", "closed"):
            return False
        if any(
            other != self
            and other.state == "done"
            and other.date_done
            and abs(other.date_done - self.date_done) <= window
            for other in self.case_id.service_order_ids
        ):
            return False
        return not any(
            other != self.case_id and self.date_done < other.reported_date <= until
            for other in self.asset_id.case_ids
        )

    def _case_reopened(self):
        """Record on the done visits that their case is reopened, the first time."""
        self.filtered(
            lambda visit: visit.state == "done" and not visit.date_reopened
        ).write({"date_reopened": fields.Datetime.now()})

    def _compute_access_url(self):
        for visit in self:
            visit.access_url = f"/my/service/{visit.case_id.id}"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._css_check_field_access(vals_list, create=True)
        unnamed = [vals for vals in vals_list if vals.get("name", "/") in ("/", False)]
        for vals, name in zip(unnamed, self._next_names(len(unnamed)), strict=True):
            vals["name"] = name
        return super().create(vals_list)

    def write(self, vals):
        self._css_check_field_access([vals])
        result = super().write(vals)
        if vals.get("signature"):
            # The time of the sign-off is the system's to record.
            for visit in self.sudo():
                visit.write(
                    {
                        "signed_on": fields.Datetime.now(),
                        "signed_by": visit.signed_by or visit.partner_id.name,
                    }
                )
        if any(name in vals for name in WINDOW_FIELDS + ("service_center_id",)):
            self.filtered(
                lambda visit: visit.state in ("scheduled", "dispatched")
            )._check_schedulable()
        return result

    @api.model
    def _next_names(self, count):
        """``count`` references from the visit sequence, in one query."""
        return next_names(self.env, "css.service.order", count)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _lock_for_update(self):
        """Lock the visits so that two clicks or two users do not both act."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM css_service_order WHERE id = ANY(%s) FOR UPDATE",
                list(self.ids),
            )
        )
        self.invalidate_recordset(["state"])

    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda visit: visit.state not in allowed)
        if wrong:
            states = dict(VISIT_STATES)
            raise UserError(
                self.env._(
                    "Visit %(visit)s is %(state)s: it cannot be %(action)s.",
                    visit=wrong[0].name,
                    state=states[wrong[0].state].lower(),
                    action=action,
                )
            )

    def _format_window(self):
        self.ensure_one()
        tz = self.service_center_id.resource_calendar_id.tz or self.env.user.tz
        return "{} - {}".format(
            format_datetime(self.env, self.appointment_start, tz=tz, dt_format="short"),
            format_datetime(self.env, self.appointment_end, tz=tz, dt_format="HH:mm"),
        )

    def _check_schedulable(self):
        """Refuse a window outside the outlet's hours, overlapping another
        visit of the technician, or a technician without a valid certification."""
        Outlet = self.env["css.service.center"]
        for visit in self.sudo():
            if not (
                visit.service_center_id
                and visit.technician_id
                and visit.appointment_start
                and visit.appointment_end
            ):
                raise UserError(
                    self.env._(
                        "Visit %(visit)s: choose the outlet, the technician and "
                        "the appointment window first.",
                        visit=visit.name,
                    )
                )
            outlet = visit.service_center_id
            if visit.technician_id not in outlet.technician_ids:
                raise UserError(
                    self.env._(
                        "%(technician)s is not a technician of outlet %(outlet)s.",
                        technician=visit.technician_id.name,
                        outlet=outlet.name,
                    )
                )
            if not outlet._covers_window(
                visit.appointment_start, visit.appointment_end
            ):
                raise UserError(
                    self.env._(
                        "Visit %(visit)s: %(window)s is outside the opening hours "
                        "of outlet %(outlet)s (%(hours)s). Pick a window within them.",
                        visit=visit.name,
                        window=visit._format_window(),
                        outlet=outlet.name,
                        hours=outlet.resource_calendar_id.name,
                    )
                )
            overlapping = visit.search(
                [
                    ("id", "!=", visit.id),
                    ("technician_id", "=", visit.technician_id.id),
                    ("state", "!=", "cancelled"),
                    ("appointment_start", "<", visit.appointment_end),
                    ("appointment_end", ">", visit.appointment_start),
                ],
                limit=1,
            )
            if overlapping:
                raise UserError(
                    self.env._(
                        "%(technician)s already has visit %(other)s at "
                        "%(window)s. Pick another window or technician.",
                        technician=visit.technician_id.name,
                        other=overlapping.name,
                        window=overlapping._format_window(),
                    )
                )
            time_off = Outlet._time_off(
                visit.technician_id, visit.appointment_start, visit.appointment_end
            )
            if time_off:
                tz = outlet.resource_calendar_id.tz or self.env.user.tz
                raise UserError(
                    self.env._(
                        "%(technician)s is off from %(start)s to %(end)s. Pick "
                        "another window or technician.",
                        technician=visit.technician_id.name,
                        start=format_datetime(
                            self.env, time_off[0][1], tz=tz, dt_format="short"
                        ),
                        end=format_datetime(
                            self.env, time_off[0][2], tz=tz, dt_format="short"
                        ),
                    )
                )
            certifications = Outlet._certifications(visit.technician_id)
            missing = certifications.missing(
                visit.technician_id.id,
                visit.skill_ids.ids,
                visit.appointment_start.date(),
            )
            if missing:
                raise UserError(
                    self.env._(
                        "%(technician)s holds no valid certification for "
                        "%(skills)s on %(date)s.",
                        technician=visit.technician_id.name,
                        skills=", ".join(
                            self.env["css.skill"].browse(missing).mapped("name")
                        ),
                        date=fields.Date.to_string(visit.appointment_start.date()),
                    )
                )

    def _check_parts_available(self):
        """Refuse parts the outlet's location does not hold."""
        Quant = self.env["stock.quant"].sudo()
        for visit in self:
            needed = defaultdict(float)
            for line in visit.line_ids._stock_lines():
                needed[line.product_id] += line.quantity
            if needed and not visit.service_center_id.location_id:
                raise UserError(
                    self.env._(
                        "Set the spare parts location of outlet %(outlet)s first.",
                        outlet=visit.service_center_id.name,
                    )
                )
            location = visit.service_center_id.location_id
            for product, quantity in needed.items():
                if not product.is_storable:
                    continue
                available = Quant._get_available_quantity(product, location)
                if (
                    float_compare(
                        available, quantity, precision_rounding=product.uom_id.rounding
                    )
                    < 0
                ):
                    raise UserError(
                        self.env._(
                            "Outlet %(outlet)s holds %(available)s %(uom)s of "
                            "%(product)s, the visit uses %(quantity)s. Restock the "
                            "location %(location)s, or ask a dispatcher to force "
                            "the completion.",
                            outlet=visit.service_center_id.name,
                            available=available,
                            uom=product.uom_id.name,
                            product=product.display_name,
                            quantity=quantity,
                            location=location.display_name,
                        )
                    )

    def _check_completion(self):
        for visit in self:
            if is_html_empty(visit.work_report) or not visit.time_spent:
                raise UserError(
                    self.env._(
                        "Visit %(visit)s: write the work report and the time "
                        "spent before completing it.",
                        visit=visit.name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _start_action(self, target, allowed, action):
        """Lock, check the caller and the states; return the visits still to do."""
        self.check_access("write")
        self._lock_for_update()
        todo = self.filtered(lambda visit: visit.state != target)
        todo._check_state(allowed, action)
        return todo

    def action_schedule(self):
        """Book the window: within the outlet's hours, free, technician certified."""
        todo = self._start_action("scheduled", ("draft",), self.env._("scheduled"))
        todo._check_schedulable()
        todo.sudo().write({"state": "scheduled"})
        for visit in todo:
            visit.message_post(
                body=self.env._(
                    "Scheduled with %(technician)s, %(window)s.",
                    technician=visit.technician_id.name,
                    window=visit._format_window(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_dispatch(self):
        """Send the technician: he follows the visit from now on."""
        todo = self._start_action(
            "dispatched", ("scheduled",), self.env._("dispatched")
        )
        todo._check_schedulable()
        todo.sudo().write({"state": "dispatched"})
        for visit in todo.sudo():
            visit.message_subscribe(partner_ids=visit.technician_id.partner_id.ids)
        return True

    def action_start(self):
        """The technician is at the customer's."""
        todo = self._start_action("on_site", ("dispatched",), self.env._("started"))
        todo.sudo().write({"state": "on_site", "date_start": fields.Datetime.now()})
        return True

    def action_done(self):
        """Complete the visits: parts leave the outlet, charged lines are invoiced."""
        todo = self._start_action("done", ("on_site",), self.env._("completed"))
        todo._check_completion()
        todo._check_parts_available()
        todo._complete()
        return True

    def action_force_done(self):
        """Complete the visits although the outlet may lack the parts (dispatchers)."""
        if not self.env.user.has_group("crm_haier_css.group_css_dispatcher"):
            raise AccessError(
                self.env._(
                    "Only a dispatcher may complete a visit without the parts in stock."
                )
            )
        todo = self._start_action("done", ("on_site",), self.env._("completed"))
        todo._check_completion()
        for visit in todo:
            visit.message_post(
                body=self.env._(
                    "Completed by %(user)s without checking the parts in the "
                    "outlet's location.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        todo.sudo().parts_forced = True
        todo._complete()
        return True

    def action_cancel(self):
        """Cancel the visits that are not done."""
        todo = self._start_action(
            "cancelled",
            ("draft", "scheduled", "dispatched", "on_site"),
            self.env._("cancelled"),
        )
        todo.sudo().write({"state": "cancelled"})
        return True

    def action_view_invoice(self):
        """Open the visit's invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            {"res_id": self.invoice_id.id, "views": [(False, "form")], "domain": []}
        )
        return action

    # ------------------------------------------------------------------
    # Completion
    # ------------------------------------------------------------------

    def _complete(self):
        visits = self.sudo()
        visits._create_stock_moves()
        visits._create_invoices()
        visits.write({"state": "done", "date_done": fields.Datetime.now()})
        for visit in visits:
            amount = f"{visit.amount_charged:.2f} {visit.currency_id.name}"
            body = Markup("<p>%s</p>") % self.env._(
                "Visit completed: %(hours)s h, charged %(amount)s.",
                hours=visit.time_spent,
                amount=amount,
            )
            visit.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _delivery_type(self):
        """The delivery operation type of the warehouse holding the outlet's parts."""
        self.ensure_one()
        location = self.service_center_id.location_id
        picking_type = location.warehouse_id.out_type_id
        if not picking_type:
            picking_type = self.env["stock.picking.type"].search(
                [
                    ("code", "=", "outgoing"),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        if not picking_type:
            raise UserError(
                self.env._(
                    "Company %(company)s has no delivery operation type for the "
                    "parts of outlet %(outlet)s: set up its warehouse first.",
                    company=self.company_id.name,
                    outlet=self.service_center_id.name,
                )
            )
        return picking_type

    def _create_stock_moves(self):
        """Parts leave the outlet's location for the customer's, in one done
        delivery per visit (``picking_id``) of the outlet warehouse's type."""
        customers = self.env.ref("stock.stock_location_customers")
        Picking = self.env["stock.picking"]
        pickings = Picking
        for visit in self:
            lines = visit.line_ids._stock_lines()
            if not lines:
                continue
            destination = (
                visit.partner_id.with_company(visit.company_id).property_stock_customer
                or customers
            )
            source = visit.service_center_id.location_id
            picking = Picking.with_company(visit.company_id).create(
                {
                    "picking_type_id": visit._delivery_type().id,
                    "partner_id": visit.partner_id.id,
                    "origin": visit.name,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": visit.company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": f"{visit.name}: {line.product_id.display_name}",
                                "origin": visit.name,
                                "product_id": line.product_id.id,
                                "product_uom_qty": line.quantity,
                                "product_uom": line.product_id.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                                "company_id": visit.company_id.id,
                                "partner_id": visit.partner_id.id,
                                "css_service_order_id": visit.id,
                            }
                        )
                        for line in lines
                    ],
                }
            )
            visit.picking_id = picking
            pickings |= picking
        if not pickings:
            return
        moves = pickings.move_ids
        moves._action_confirm()
        moves._action_assign()
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        pickings._action_done()

    def _create_invoices(self):
        """An invoice per visit for its charged lines; none when all is covered."""
        for visit in self:
            currency = visit.currency_id
            charged = visit.line_ids.filtered(
                lambda line, currency=currency: (
                    currency.compare_amounts(line.amount_charged, 0) > 0
                )
            )
            if not charged:
                continue
            invoice = (
                self.env["account.move"]
                .with_company(visit.company_id)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": visit.partner_id.id,
                        "currency_id": visit.currency_id.id,
                        "invoice_origin": visit.name,
                        "ref": visit.case_id.name,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": line.product_id.id,
                                    "name": line.name or line.product_id.display_name,
                                    "quantity": line.quantity,
                                    "price_unit": line.price_unit,
                                }
                            )
                            for line in charged
                        ],
                    }
                )
            )
            invoice.action_post()
            visit.invoice_id = invoice

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _portal_sign(self, name, signature):
        """Record the customer's sign-off of the work report, once.

        :raise PortalInputError: when the visit is not done, already signed,
            or the name or signature is missing
        """
        self.ensure_one()
        self.check_access("read")
        if self.state != "done":
            raise PortalInputError(
                {"signature": self.env._("The visit is not completed yet.")}
            )
        if self.signed_on:
            raise PortalInputError(
                {"signature": self.env._("This report is already signed.")}
            )
        if not (name or "").strip() or not signature:
            raise PortalInputError(
                {"signature": self.env._("Sign and give your name.")}
            )
        visit = self.sudo()
        visit.write({"signature": signature, "signed_by": name.strip()})
        visit.message_post(
            body=self.env._("Work report signed by %(name)s.", name=name.strip()),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _check_lines_editable(self):
        if self.env.su:
            return
        locked = self.filtered(lambda visit: visit.state in ("done", "cancelled"))
        if locked:
            raise UserError(
                self.env._(
                    "Visit %(visit)s is %(state)s: its parts and labour can no "
                    "longer change.",
                    visit=locked[0].name,
                    state=dict(VISIT_STATES)[locked[0].state].lower(),
                )
            )
