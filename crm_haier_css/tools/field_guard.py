# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The one check behind "fields only the system sets" and "fields a portal
user may give": see ``css.field.guard.mixin``. A function, so that models
that cannot take the mixin (``res.partner``) share it too.
"""

from odoo.exceptions import AccessError


def check_field_access(
    records,
    vals_list,
    create=False,
    system_fields=frozenset(),
    portal_create_fields=None,
    portal_values=None,
    role_fields=(),
    create_only_fields=frozenset(),
):
    """Raise AccessError when the current user gives a value they may not set.

    The superuser (the system's own methods, which write with ``sudo()``)
    passes. Others may not give ``system_fields``. Portal users may give only
    ``portal_create_fields`` when creating, nothing when writing, with the
    values of ``portal_values`` ({field: allowed values}), and may link only
    records they can read. ``portal_create_fields=None`` leaves portal users
    to the access rights alone. ``role_fields`` lists ``(group xml id,
    fields)`` pairs, highest role first: the first group the user belongs to
    decides, and ``fields`` (``None``: any) are all that role may give (a
    technician sets the report of a visit, not its customer).
    ``create_only_fields`` may be given on create only (an external
    reference: changing it afterwards would break the idempotency of the
    sender's retries). On create, defaults given through the context count
    as given values.
    """
    env = records.env
    if env.su:
        return
    given = set().union(*vals_list)
    if create:
        given |= {
            key[8:]
            for key in env.context
            if key.startswith("default_") and key[8:] in records._fields
        }
    refused = given & system_fields
    if not create:
        refused |= given & create_only_fields
    portal = env.user.share and portal_create_fields is not None
    if portal:
        refused |= given - (portal_create_fields if create else frozenset())
    refused |= given - _role_allowed_fields(env, role_fields, given)
    if refused:
        raise AccessError(
            env._(
                "You may not set %(fields)s on %(model)s: these values are set "
                "by the service desk.",
                fields=", ".join(
                    sorted(
                        records._fields[name]._description_string(env)
                        for name in refused
                    )
                ),
                model=env["ir.model"].sudo()._get(records._name).name,
            )
        )
    if portal:
        _check_portal_values(records, vals_list, portal_values or {})


def _role_allowed_fields(env, role_fields, given):
    for group, allowed in role_fields:
        if env.user.has_group(group):
            return given if allowed is None else allowed
    return given


def _check_portal_values(records, vals_list, portal_values):
    env = records.env
    for vals in vals_list:
        for name, value in vals.items():
            allowed = portal_values.get(name)
            if allowed is not None and value not in allowed:
                raise AccessError(
                    env._(
                        "%(field)s cannot be %(value)s on a request from the portal.",
                        field=records._fields[name]._description_string(env),
                        value=value,
                    )
                )
            field = records._fields[name]
            if field.type == "many2one" and value:
                # The ORM does not check that a linked record is readable; a
                # portal user must not link (and so read the name of) another
                # customer's record.
                env[field.comodel_name].browse(value).check_access("read")
