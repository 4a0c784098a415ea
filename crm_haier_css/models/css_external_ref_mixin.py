# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2.errors
from psycopg2 import errorcodes

from odoo import api, fields, models
from odoo.tools import SQL


class ExternalRefConflict(psycopg2.errors.SerializationFailure):
    """Another transaction created the same external reference meanwhile.

    Raised in place of the unique violation: it is a serialisation failure
    for Odoo (``odoo.service.model.retrying``), which rolls the request back
    and runs it again; the second run finds the record the other transaction
    created and returns it.
    """

    pgcode = errorcodes.SERIALIZATION_FAILURE


class CssExternalRefMixin(models.AbstractModel):
    """An external reference, unique per distributor, that makes creating idempotent.

    Distributor systems send their own numbers and retry (an API call whose
    answer was lost, a file sent twice). A record keeps the reference it came
    with in ``external_ref``; ``(distributor_id, external_ref)`` is unique,
    records without a distributor being unique among themselves. Creating a
    record whose reference is known returns the known record instead, and a
    concurrent create of the same reference becomes a retried serialisation
    failure instead of an integrity error.

    The model defines ``distributor_id`` (a ``res.partner``) and calls
    :meth:`_css_create_once` from its ``create``.
    """

    _name = "css.external.ref.mixin"
    _description = "External Reference of a Distributor System"

    external_ref = fields.Char(
        string="External Reference",
        copy=False,
        help="The record's number in the system of the distributor that sent "
        "it; unique per distributor. Sending a known reference again returns "
        "the existing record.",
    )

    def _css_external_ref_index(self):
        return f"{self._table}_external_ref_distributor_uniq"

    def init(self):
        super().init()
        if self._abstract:
            return
        # The reference first: the lookup of a batch searches by reference.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s "
                "(external_ref, COALESCE(distributor_id, 0)) "
                "WHERE external_ref IS NOT NULL",
                SQL.identifier(self._css_external_ref_index()),
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _css_distributor_of_vals(self, vals):
        """Return the id of the distributor (or False) ``vals`` would create under."""
        return vals.get(
            "distributor_id", self.env.context.get("default_distributor_id") or False
        )

    @api.model
    def _css_external_key(self, vals):
        ref = (vals.get("external_ref") or "").strip()
        if not ref:
            return None
        return (self._css_distributor_of_vals(vals) or False, ref)

    @api.model
    def _css_find_external(self, keys):
        """Return {(distributor id or False, reference): id} of the known keys."""
        refs = {ref for _distributor, ref in keys}
        if not refs:
            return {}
        known = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("external_ref", "in", list(refs))], ["external_ref", "distributor_id"]
            )
        )
        found = {
            (record.distributor_id.id or False, record.external_ref): record.id
            for record in known
        }
        return {key: found[key] for key in keys if key in found}

    @api.model
    def _css_create_once(self, vals_list, create):
        """Create the records of ``vals_list`` whose external reference is new.

        A known ``(distributor, external_ref)`` gives the known record, and a
        reference repeated within ``vals_list`` gives the record created for
        its first occurrence; the result has one record per values, in order.

        :param create: the model's create (``super().create``), called once
            with the values to create
        :raise ExternalRefConflict: another transaction created one of the
            references meanwhile (the caller's request is retried)
        """
        keys = [self._css_external_key(vals) for vals in vals_list]
        if not any(keys):
            return create(vals_list)
        # Who may not create may not learn what exists either.
        self._css_check_field_access(vals_list, create=True)
        known = self._css_find_external([key for key in keys if key])
        to_create, position_of, order = [], {}, []
        for vals, key in zip(vals_list, keys, strict=True):
            if key in known:
                order.append(known[key])
                continue
            if key not in position_of:
                position = len(to_create)
                if key:
                    position_of[key] = position
                    vals = {**vals, "external_ref": key[1], "distributor_id": key[0]}
                to_create.append(vals)
            else:
                position = position_of[key]
            # New records are placed once created: their positions for now.
            order.append(-1 - position)
        created = self.browse()
        try:
            if to_create:
                with self.env.cr.savepoint():
                    created = create(to_create)
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != self._css_external_ref_index():
                raise
            raise ExternalRefConflict(
                f"{self._name}: an external reference was created by another "
                "transaction meanwhile; retry."
            ) from error
        return self.browse(
            [created[-1 - item].id if item < 0 else item for item in order]
        )
