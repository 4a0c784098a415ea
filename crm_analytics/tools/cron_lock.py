# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A recomputation that two nodes must not run at the same time."""

from odoo.tools import SQL


def try_cron_lock(env, name):
    """Whether this transaction holds the lock named ``name``, now taken.

    A transaction-level advisory lock, released at commit or rollback: the
    recomputations rebuild whole tables (delete and insert, upserts of every
    customer), which two nodes running the same cron would do twice and, at
    best, fail on each other's rows. The node that does not get the lock
    leaves the work to the one that has it.
    """
    env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", name))
    return env.cr.fetchone()[0]
