from . import controllers
from . import models
from . import tools
from . import wizard

from odoo.exceptions import UserError

ALIAS_NAMES = ("service", "service-desk", "customer-service")


def post_init_hook(env):
    """Name the service e-mail alias without clashing with an existing one.

    The addon drops into databases that may already use "service"; the first
    free name is taken, and the alias stays unnamed (to be set in Settings)
    when none is.
    """
    alias = env.ref("crm_haier_css.mail_alias_css_case", raise_if_not_found=False)
    if not alias or alias.alias_name:
        return
    Alias = env["mail.alias"].with_context(active_test=False)
    for name in ALIAS_NAMES:
        if Alias.search_count([("alias_name", "=", name)]):
            continue
        try:
            with env.cr.savepoint():
                alias.alias_name = name
        except UserError:
            continue
        return
