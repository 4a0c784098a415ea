# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import AccessError


class CssFieldGuardMixin(models.AbstractModel):
    """Who may set which field, checked on the server whoever calls.

    A model lists the fields that only the system sets (SLA evidence,
    counters, values derived from other records) and the fields a portal user
    may give when creating a record, with the values allowed for some of
    them. Its ``create`` and ``write`` call :meth:`_css_check_field_access`
    before anything else, so that the rule holds for the screens, the portal
    and RPC alike. The system sets its own fields as superuser (``sudo()``),
    which no RPC caller can do; a flag in the context would not do, since
    callers choose their context.
    """

    _name = "css.field.guard.mixin"
    _description = "Service Field Write Guard"

    # Fields set only by the system.
    _css_system_fields = frozenset()
    # Fields a portal user may give on create; portal users write nothing.
    _css_portal_create_fields = frozenset()
    # {field: allowed values} for portal users.
    _css_portal_values = {}

    def _css_check_field_access(self, vals_list, create=False):
        """Refuse values the current user may not set, before anything is written.

        :param vals_list: the values given by the caller (create or write)
        :param create: whether the values create records, so that defaults
            given through the context count as given values too
        :raise AccessError: naming the refused fields
        """
        if self.env.su:
            return
        given = set().union(*vals_list)
        if create:
            given |= {
                key[8:]
                for key in self.env.context
                if key.startswith("default_") and key[8:] in self._fields
            }
        refused = given & self._css_system_fields
        if self.env.user.share:
            allowed = self._css_portal_create_fields if create else frozenset()
            refused |= given - allowed
        if refused:
            raise AccessError(
                self.env._(
                    "You may not set %(fields)s on %(model)s: these values are "
                    "set by the service desk.",
                    fields=", ".join(
                        sorted(self._fields[name].string for name in refused)
                    ),
                    model=self._description,
                )
            )
        if self.env.user.share:
            self._css_check_portal_values(vals_list)

    def _css_check_portal_values(self, vals_list):
        for vals in vals_list:
            for name, value in vals.items():
                allowed = self._css_portal_values.get(name)
                if allowed is not None and value not in allowed:
                    raise AccessError(
                        self.env._(
                            "%(field)s cannot be %(value)s on a request from the "
                            "portal.",
                            field=self._fields[name].string,
                            value=value,
                        )
                    )
                field = self._fields[name]
                if field.type == "many2one" and value:
                    # The ORM does not check that a linked record is readable;
                    # a portal user must not link (and so read the name of)
                    # another customer's record.
                    self.env[field.comodel_name].browse(value).check_access("read")
