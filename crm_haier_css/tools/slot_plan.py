# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Free appointment windows, computed in memory from data read once.

The outlet (``css.service.center``) reads its opening hours, its
technicians' visits and certifications once per call; routing many cases
and listing free windows then work on these plain structures, so that the
number of queries does not grow with the number of cases or windows.
All datetimes are naive UTC, as Odoo stores them.
"""

from bisect import bisect_left, insort
from collections import defaultdict
from datetime import timedelta


def grid(intervals, duration):
    """Cut working intervals into consecutive windows of ``duration``.

    :param intervals: sorted (start, end) pairs
    :param duration: a timedelta
    :return: sorted (start, end) windows lying inside the intervals
    """
    windows = []
    for start, end in intervals:
        cursor = start
        while cursor + duration <= end:
            windows.append((cursor, cursor + duration))
            cursor += duration
    return windows


def week_of(moment):
    """The ISO (year, week) a moment falls in."""
    return moment.isocalendar()[:2]


class Bookings:
    """Booked windows and time off of technicians, and their booked hours per week."""

    def __init__(self, visits=(), time_off=()):
        """:param visits: (technician id, start, end) triples
        :param time_off: (technician id, start, end) triples of leaves
        """
        self._booked = defaultdict(list)
        self._week_hours = defaultdict(float)
        # Leaves may last days and overlap visits: kept apart from the visits,
        # whose bisection relies on their not overlapping each other.
        self._time_off = defaultdict(list)
        for technician_id, start, end in visits:
            self.book(technician_id, start, end)
        for technician_id, start, end in time_off:
            self._time_off[technician_id].append((start, end))

    def book(self, technician_id, start, end):
        """Record a visit of the technician."""
        insort(self._booked[technician_id], (start, end))
        self._week_hours[technician_id, week_of(start)] += (
            end - start
        ).total_seconds() / 3600

    def on_leave(self, technician_id, start, end):
        """Whether time off of the technician overlaps [start, end)."""
        return any(
            leave_start < end and start < leave_end
            for leave_start, leave_end in self._time_off.get(technician_id, ())
        )

    def is_free(self, technician_id, start, end):
        """Whether the technician has neither a visit nor time off in [start, end)."""
        if self.on_leave(technician_id, start, end):
            return False
        booked = self._booked.get(technician_id)
        if not booked:
            return True
        index = bisect_left(booked, (start, start))
        # The visit starting before ``start`` may run into the window, the
        # first one starting at or after it may begin before its end.
        if index and booked[index - 1][1] > start:
            return False
        return not (index < len(booked) and booked[index][0] < end)

    def week_hours(self, technician_id, moment):
        """Hours booked for the technician in the week of ``moment``."""
        return self._week_hours.get((technician_id, week_of(moment)), 0.0)


class Certifications:
    """Which technician holds which skill on which day."""

    def __init__(self, rows):
        """:param rows: (technician id, skill id, date obtained, date expiry)"""
        self._held = defaultdict(list)
        for technician_id, skill_id, obtained, expiry in rows:
            self._held[technician_id, skill_id].append((obtained, expiry))

    def holds(self, technician_id, skill_ids, day):
        """Whether the technician holds every skill on ``day``."""
        return all(
            any(
                obtained <= day and (not expiry or expiry >= day)
                for obtained, expiry in self._held.get((technician_id, skill_id), ())
            )
            for skill_id in skill_ids
        )

    def missing(self, technician_id, skill_ids, day):
        """The skills the technician does not hold on ``day``."""
        return [
            skill_id
            for skill_id in skill_ids
            if not self.holds(technician_id, [skill_id], day)
        ]


def free_technicians(technician_ids, start, end, skill_ids, bookings, certifications):
    """The technicians holding the skills on that day and free, least booked first."""
    day = start.date()
    free = [
        technician_id
        for technician_id in technician_ids
        if certifications.holds(technician_id, skill_ids, day)
        and bookings.is_free(technician_id, start, end)
    ]
    return sorted(
        free,
        key=lambda technician_id: (
            bookings.week_hours(technician_id, start),
            technician_id,
        ),
    )


def week_bounds(date_from, date_to):
    """Monday 00:00 of ``date_from``'s week and the Monday after ``date_to``'s."""
    start = (date_from - timedelta(days=date_from.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    end = (date_to - timedelta(days=date_to.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) + timedelta(days=7)
    return start, end
