# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError


class AgingWriteGuard(models.AbstractModel):
    """Fields that only a given role, or only the system, may change.

    Record rules and access rights work per model; some fields of a model need
    more than its write right (who may lift a credit hold, who may silence the
    reminders, which fields only the server computes). Inheriting models list
    them in ``_write_guarded_fields``; create and write refuse a change of those
    fields by anyone else, whoever calls (form, import, RPC). Server code that
    sets them on its own authority runs in superuser mode (``sudo()``, crons).
    """

    _name = "aging.write.guard"
    _description = "Fields Written Only by a Given Role"

    def _write_guarded_fields(self):
        """{field name: xml id of the group that may change it, or False when
        only the system may}."""
        return {}

    @api.model_create_multi
    def create(self, vals_list):
        guarded = self._write_guarded_fields()
        # A field left empty at creation is no change.
        self._check_guarded_fields(
            {name for vals in vals_list for name in guarded.keys() & vals if vals[name]}
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_guarded_fields(self._guarded_fields_changed(vals))
        return super().write(vals)

    def _guarded_fields_changed(self, vals):
        """The guarded fields that ``vals`` would change on some of these records:
        writing back the value a field already holds (a form saved whole, an
        import) is no change."""
        if self.env.su:
            return set()
        changed = set()
        for name in self._write_guarded_fields().keys() & vals:
            field = self._fields[name]
            value = field.convert_to_cache(vals[name], self)
            value = field.convert_to_record(value, self)
            if any(record[name] != value for record in self.sudo()):
                changed.add(name)
        return changed

    def _check_guarded_fields(self, names):
        """Raise unless the current user may change the guarded fields ``names``."""
        if self.env.su or not names:
            return
        guarded = self._write_guarded_fields()
        for name in sorted(names):
            group = guarded[name]
            if group and self.env.user.has_group(group):
                continue
            label = self._fields[name]._description_string(self.env)
            if not group:
                raise AccessError(
                    self.env._(
                        "%(field)s is set by the application only: it cannot be "
                        "changed by hand.",
                        field=label,
                    )
                )
            raise AccessError(
                self.env._(
                    "Only the %(group)s access level may change %(field)s: ask one "
                    "of its members.",
                    group=self.env.ref(group).sudo().full_name,
                    field=label,
                )
            )
