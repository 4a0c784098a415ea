# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo import models

# Context key: a dict in which inline templates compiled for a batch are kept.
COMPILED_CONTEXT_KEY = "aging_qweb_compiled"


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Compile an inline template once per batch of records.

        Mail renders a template through ``_render_field`` record by record and
        compiles an inline (etree) template again for each record, which costs
        more than rendering it. Under the context key ``aging_qweb_compiled`` (a
        dict, set by the reminder sender for one batch), the compiled functions
        are reused for the next records with the same source, user and context:
        the context holds the language and mail's restricted-rendering option
        (``raise_on_forbidden_code_for_model``), which are checked at compile
        time, so a restricted rendering never reuses an unrestricted compilation.
        """
        compiled = self.env.context.get(COMPILED_CONTEXT_KEY)
        if compiled is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        context = {
            key: value
            for key, value in self.env.context.items()
            if key != COMPILED_CONTEXT_KEY
        }
        cache_key = (
            etree.tostring(template),
            self.env.uid,
            self.env.su,
            repr(sorted(context.items())),
        )
        if cache_key not in compiled:
            compiled[cache_key] = super()._compile(template)
        return compiled[cache_key]
