# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Keep registered products readable on the portal after the upgrade.

Before 18.0.1.1.0 portal users read the whole product catalogue. Now they
read the products flagged "Registrable on the Portal" and those they own;
the products customers have already registered get the flag, the rest of
the catalogue becomes private until an administrator flags it.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE product_template t
           SET css_portal_registrable = TRUE
         WHERE EXISTS (SELECT 1
                         FROM css_asset a
                         JOIN product_product p ON p.id = a.product_id
                        WHERE p.product_tmpl_id = t.id)
        """
    )
