# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.slot_plan import (
    Bookings,
    Certifications,
    free_technicians,
    grid,
    week_bounds,
)
from ..tools.territory import best_territory, parse_prefixes

# Two stretches of opening hours this close meet (a day's end, 23:59:59.999999,
# and the next day's 0:00).
MEET = timedelta(seconds=1)


def _aware(moment):
    return pytz.utc.localize(moment) if moment.tzinfo is None else moment


def _naive(moment):
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


class CssServiceCenter(models.Model):
    """A service outlet: its territory, technicians, spare parts and hours."""

    _name = "css.service.center"
    _description = "Service Outlet"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Address", help="Where the outlet is."
    )
    distributor_id = fields.Many2one(
        "res.partner",
        string="Run by Distributor",
        index=True,
        tracking=True,
        help="The distributor running this outlet; empty for an own outlet.",
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Outlet Manager",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Sees and plans the visits of this outlet.",
    )

    # Territory
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="States / Provinces")
    zip_prefixes = fields.Char(
        string="Postcode Prefixes",
        help="Comma-separated beginnings of the postcodes served, e.g. 2660, 2661.",
    )

    # Resources
    technician_ids = fields.Many2many(
        "res.users",
        "css_service_center_technician_rel",
        "service_center_id",
        "user_id",
        string="Technicians",
        domain="[('share', '=', False)]",
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Spare Parts Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Internal location holding the outlet's spare parts; parts used "
        "on a visit leave it.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening Hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Prices of the parts and labour charged to customers; the "
        "products' sales price when empty.",
    )

    service_order_ids = fields.One2many("css.service.order", "service_center_id")
    open_visit_count = fields.Integer(compute="_compute_open_visit_count")

    @api.constrains("zip_prefixes")
    def _check_zip_prefixes(self):
        for outlet in self:
            if any(" " in prefix for prefix in outlet._zip_prefix_list()):
                raise ValidationError(
                    self.env._(
                        "Separate the postcode prefixes with commas, e.g. 2660, 2661."
                    )
                )

    def _compute_open_visit_count(self):
        counts = dict(
            self.env["css.service.order"]._read_group(
                [
                    ("service_center_id", "in", self.ids),
                    ("state", "not in", ("done", "cancelled")),
                ],
                ["service_center_id"],
                ["__count"],
            )
        )
        for outlet in self:
            outlet.open_visit_count = counts.get(outlet, 0)

    def action_view_visits(self):
        """Open the outlet's visits."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_haier_css.action_css_service_order"
        )
        action["domain"] = [("service_center_id", "=", self.id)]
        action["context"] = {"default_service_center_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Territory
    # ------------------------------------------------------------------

    def _zip_prefix_list(self):
        self.ensure_one()
        return parse_prefixes(self.zip_prefixes)

    def _territories(self):
        """(outlet, (prefixes, state ids, country ids)) of the outlets, read once."""
        return [
            (
                outlet,
                (
                    outlet._zip_prefix_list(),
                    set(outlet.state_ids.ids),
                    set(outlet.country_ids.ids),
                ),
            )
            for outlet in self
        ]

    def _best_for(self, partner):
        """Return the outlet among ``self`` covering ``partner`` most precisely.

        Longest postcode prefix first, then the state, then the country; the
        outlets' order breaks ties.
        """
        outlet, _match = best_territory(
            self._territories(),
            partner.zip,
            partner.state_id.id,
            partner.country_id.id,
        )
        return outlet or self.browse()

    # ------------------------------------------------------------------
    # Free appointment windows
    # ------------------------------------------------------------------

    def _visit_duration(self):
        self.ensure_one()
        return timedelta(hours=self.company_id.css_visit_hours or 2.0)

    def _working_intervals(self, date_from, date_to):
        """The outlet's opening hours between two naive UTC datetimes."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        intervals = calendar._work_intervals_batch(_aware(date_from), _aware(date_to))[
            False
        ]
        return [(_naive(start), _naive(stop)) for start, stop, _meta in intervals]

    def _windows(self, date_from, date_to):
        """Appointment windows of the outlet's visit length within its hours.

        The windows are cut from the beginning of each stretch of opening
        hours (9:00, 11:00, ...), and those starting from ``date_from`` on
        and ending by ``date_to`` are kept.
        """
        day_before = date_from.replace(
            hour=0, minute=0, second=0, microsecond=0
        ) - timedelta(days=1)
        return [
            (start, end)
            for start, end in grid(
                self._working_intervals(day_before, date_to), self._visit_duration()
            )
            if start >= date_from and end <= date_to
        ]

    def _covers_window(self, start, end):
        """Whether [start, end] lies within one stretch of opening hours.

        Stretches that meet count as one: an outlet open around the clock
        (or until midnight and from midnight) takes a visit across midnight,
        although its calendar ends each day at 23:59:59.999999.
        """
        stretches = []
        for begin, stop in self._working_intervals(start, end + MEET):
            if stretches and begin - stretches[-1][1] <= MEET:
                stretches[-1] = (stretches[-1][0], max(stop, stretches[-1][1]))
            else:
                stretches.append((begin, stop))
        return any(begin <= start and end <= stop + MEET for begin, stop in stretches)

    @api.model
    def _bookings(self, technicians, date_from, date_to, exclude_visits=()):
        """The technicians' visits and time off in the weeks around a period.

        Read as the system: a technician is busy whichever outlet or company
        his other visits belong to, even where the caller cannot read them.
        """
        week_start, week_end = week_bounds(date_from, date_to)
        Visit = self.env["css.service.order"]
        Visit.flush_model(
            ["technician_id", "appointment_start", "appointment_end", "state"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT technician_id, appointment_start, appointment_end
                  FROM css_service_order
                 WHERE technician_id = ANY(%s)
                   AND state != 'cancelled'
                   AND appointment_start < %s
                   AND appointment_end > %s
                   AND NOT id = ANY(%s)
                """,
                list(technicians.ids),
                week_end,
                week_start,
                list(exclude_visits),
            )
        )
        visits = self.env.cr.fetchall()
        return Bookings(visits, self._time_off(technicians, week_start, week_end))

    @api.model
    def _time_off(self, technicians, date_from, date_to):
        """(technician id, start, end) of the technicians' time off, in one query.

        Time off is what Odoo's resource module stores for the technician's
        resource (``resource.calendar.leaves`` of type time off; approved
        leaves of an employee land there too); the outlet's closing days are
        in its opening hours.
        """
        self.env["resource.calendar.leaves"].flush_model(
            ["resource_id", "date_from", "date_to", "time_type"]
        )
        self.env["resource.resource"].flush_model(["user_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT res.user_id, time_off.date_from, time_off.date_to
                  FROM resource_calendar_leaves time_off
                  JOIN resource_resource res ON res.id = time_off.resource_id
                 WHERE res.user_id = ANY(%s)
                   AND time_off.time_type = 'leave'
                   AND time_off.date_from < %s
                   AND time_off.date_to > %s
                 ORDER BY time_off.date_from
                """,
                list(technicians.ids),
                date_to,
                date_from,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _certifications(self, technicians):
        """The technicians' certifications, in one query."""
        rows = (
            self.env["css.certification"]
            .sudo()
            .search_fetch(
                [("user_id", "in", technicians.ids)],
                ["user_id", "skill_id", "date_obtained", "date_expiry"],
            )
        )
        return Certifications(
            (row.user_id.id, row.skill_id.id, row.date_obtained, row.date_expiry)
            for row in rows
        )

    def _find_slots(self, date_from, date_to, skills):
        """Return the free appointment windows of the outlet between two datetimes.

        A window is free when a technician of the outlet holding every skill
        of ``skills`` has no other visit in it; windows follow the outlet's
        opening hours and visit length and start from now on.

        :param date_from: naive UTC datetime
        :param date_to: naive UTC datetime
        :param skills: ``css.skill`` records the visit needs
        :return: list of dicts ``start``, ``end`` (naive UTC) and
            ``technician_ids`` (free ones, least booked that week first)
        """
        self.ensure_one()
        date_from = max(date_from, fields.Datetime.now())
        if date_to <= date_from:
            return []
        outlet = self.sudo()
        technicians = outlet.technician_ids
        bookings = self._bookings(technicians, date_from, date_to)
        certifications = self._certifications(technicians)
        slots = []
        for start, end in outlet._windows(date_from, date_to):
            free = free_technicians(
                technicians.ids, start, end, skills.ids, bookings, certifications
            )
            if free:
                slots.append({"start": start, "end": end, "technician_ids": free})
        return slots
