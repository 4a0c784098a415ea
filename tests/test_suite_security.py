"""Suite-level checks of installation and security that stay true as features land."""

from common import SUITE_ADDONS, SuiteCase, suite_groups, suite_models, suite_records


class TestSuiteSecurity(SuiteCase):
    def test_all_addons_installed(self):
        modules = self.env["ir.module.module"].search([("name", "in", SUITE_ADDONS)])
        self.assertEqual(
            {m.name: m.state for m in modules},
            dict.fromkeys(SUITE_ADDONS, "installed"),
        )

    def test_every_addon_has_groups_in_own_category(self):
        """Each addon's access levels sit in categories of its own.

        An addon may have more than one application category (the service
        desk and field service, say), but never shares one with another
        addon or with Odoo.
        """
        owners = {}
        for addon in SUITE_ADDONS:
            groups = suite_groups(self.env, addon)
            self.assertGreaterEqual(len(groups), 2, f"{addon} defines no access levels")
            for category in groups.category_id:
                self.assertIn(category, suite_records(self.env, "ir.module.category"))
                self.assertEqual(
                    owners.setdefault(category, addon),
                    addon,
                    f"{addon} shares the category {category.name}",
                )
                others = (
                    self.env["res.groups"].search([("category_id", "=", category.id)])
                    - groups
                )
                self.assertFalse(others, f"{category.name} holds {others.ids}")

    def test_every_model_has_access_rules(self):
        """Each model is readable by every group of its addon, and has rules at all."""
        Access = self.env["ir.model.access"]
        portal = self.env.ref("base.group_portal")
        for model_name, addon in suite_models(self.env).items():
            with self.subTest(model=model_name):
                acls = Access.search([("model_id.model", "=", model_name)])
                self.assertTrue(acls, f"{model_name} ({addon}) has no access rules")
                model = self.env[model_name]
                groups = suite_groups(self.env, addon)
                if model._transient:
                    # Wizards may be meant for the higher levels only.
                    groups = groups[-1:]
                for group in groups:
                    if portal in group.trans_implied_ids:
                        continue  # a portal role reads what its rules give it
                    allowed = group | group.trans_implied_ids
                    readers = acls.filtered(
                        lambda a, allowed=allowed: (
                            a.perm_read and (not a.group_id or a.group_id in allowed)
                        )
                    )
                    self.assertTrue(
                        readers,
                        f"{model_name} ({addon}): group '{group.full_name}' "
                        "cannot read it",
                    )

    def test_company_dependent_models_have_company_rules(self):
        """A model with a company has a multi-company record rule."""
        for model_name, addon in suite_models(self.env).items():
            model = self.env[model_name]
            field = model._fields.get("company_id")
            if model._transient or not field or not field.store:
                continue
            with self.subTest(model=model_name):
                rules = self.env["ir.rule"].search(
                    [("model_id.model", "=", model_name), ("global", "=", True)]
                )
                self.assertTrue(
                    rules.filtered(lambda r: "company_ids" in (r.domain_force or "")),
                    f"{model_name} ({addon}) has no multi-company record rule",
                )

    def test_every_view_validates(self):
        views = suite_records(self.env, "ir.ui.view")
        self.assertTrue(views)
        for view in views:
            with self.subTest(view=view.xml_id):
                view._check_xml()
