# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


def post_init_hook(env):
    """Give every existing company its default buckets and reminder policy."""
    env["res.company"].search([])._aging_create_defaults()
