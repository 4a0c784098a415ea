# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, mute_logger


class B2bChainMixin(models.AbstractModel):
    """Records the approval chain maintains: the fields it alone writes, row locks.

    A model lists in ``_b2b_chain_fields`` the fields that only the chain's own
    methods set (they write as superuser after checking their caller); any
    other create or write of these fields is refused, whoever calls. Decisions
    lock the rows they change so that two people acting at once end in one
    decision.
    """

    _name = "b2b.chain.mixin"
    _description = "B2B Approval Chain Record"

    _b2b_chain_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        self._b2b_check_chain_fields(
            {fname for vals in vals_list for fname in vals}
            | {
                key[len("default_") :]
                for key in self.env.context
                if key.startswith("default_")
            }
        )
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_chain_fields(vals)
        return super().write(vals)

    @api.model
    def _b2b_check_chain_fields(self, fnames):
        """Refuse, unless the chain itself writes, any value of its own fields."""
        if self.env.su:
            return
        forbidden = self._b2b_chain_fields.intersection(fnames)
        if forbidden:
            labels = sorted(
                self._fields[fname]._description_string(self.env) for fname in forbidden
            )
            raise AccessError(
                self.env._(
                    "Only the B2B approval chain sets %(fields)s of %(model)s: "
                    "submit, approve, reject or place the quote instead.",
                    fields=", ".join(labels),
                    model=self._description,
                )
            )

    def _b2b_lock(self):
        """Lock these rows until the transaction ends, or say someone else is acting.

        Reloads them afterwards, so that the caller decides on committed values.
        """
        if not self:
            return None
        try:
            # A refused lock is expected here and answered below: keep it out of
            # the error log.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Someone else is acting on quote %s right now; reload the page.",
                    ", ".join(self._b2b_lock_subjects()),
                )
            ) from None
        self.invalidate_recordset()
        return None

    def _b2b_lock_free(self):
        """Lock the rows nobody else holds and return them; skip the others.

        A row another transaction changed and committed after this one's
        snapshot cannot be locked under REPEATABLE READ (serialization
        failure): then nothing is returned, and the next run, which sees the
        committed change, decides.
        """
        if not self:
            return self
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    )
                )
                locked = {row[0] for row in self.env.cr.fetchall()}
        except psycopg2.errors.SerializationFailure:
            return self.browse()
        free = self.filtered(lambda record: record.id in locked)
        free.invalidate_recordset()
        return free

    def _b2b_lock_subjects(self):
        """Names of the quotes concerned, for the message of a refused lock."""
        return self.mapped("display_name")
