# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from ..tools.field_guard import check_field_access


class CssFieldGuardMixin(models.AbstractModel):
    """Who may set which field, checked on the server whoever calls.

    A model lists the fields that only the system sets (SLA evidence,
    counters, values derived from other records) and the fields a portal user
    may give when creating a record, with the values allowed for some of
    them, and the fields a back-office role is limited to. Its ``create``
    and ``write`` call :meth:`_css_check_field_access`
    (``tools.field_guard.check_field_access``) before anything else, so that
    the rule holds for the screens, the portal and RPC alike. The system sets
    its own fields as superuser (``sudo()``), which no RPC caller can do; a
    flag in the context would not do, since callers choose their context.
    """

    _name = "css.field.guard.mixin"
    _description = "Service Field Write Guard"

    # Fields set only by the system.
    _css_system_fields = frozenset()
    # Fields a portal user may give on create; portal users write nothing.
    # None leaves portal users to the model's access rights alone.
    _css_portal_create_fields = None
    # {field: allowed values} for portal users.
    _css_portal_values = {}
    # ((group xml id, fields it may give or None for any), ...), highest
    # role first: the first group the user has decides.
    _css_role_fields = ()
    # Fields given when creating a record and never changed afterwards
    # (but by the system).
    _css_create_only_fields = frozenset()

    def _css_check_field_access(self, vals_list, create=False):
        """Refuse values the current user may not set, before anything is written.

        :param vals_list: the values given by the caller (create or write)
        :param create: whether the values create records, so that defaults
            given through the context count as given values too
        :raise AccessError: naming the refused fields
        """
        check_field_access(
            self,
            vals_list,
            create=create,
            system_fields=self._css_system_fields,
            portal_create_fields=self._css_portal_create_fields,
            portal_values=self._css_portal_values,
            role_fields=self._css_role_fields,
            create_only_fields=self._css_create_only_fields,
        )
