# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Claim records for a batch job that may run on several nodes at once."""

import psycopg2.errors

from odoo.tools import SQL, mute_logger


def claim_free(records):
    """Lock the rows of ``records`` no other transaction holds; return those.

    ``FOR UPDATE SKIP LOCKED`` passes over the rows another node is working
    on. A row another node changed and committed after this transaction's
    snapshot cannot be locked at all under REPEATABLE READ (serialization
    failure): then nothing is claimed and the batch is left to the next run,
    which sees the committed work. The records are read again afterwards, so
    that the caller decides on committed values.
    """
    if not records:
        return records
    cr = records.env.cr
    try:
        with mute_logger("odoo.sql_db"), cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                )
            )
            locked = {row[0] for row in cr.fetchall()}
    except psycopg2.errors.SerializationFailure:
        return records.browse()
    claimed = records.filtered(lambda record: record.id in locked)
    claimed.invalidate_recordset()
    return claimed
