"""Every window action and menu of the suite opens, for every role that sees it.

Opening means what the web client does: load the action's views (with
toolbar and filters), apply its domain, context and default search filters,
and read the first page of records (or the default grouping) as that user.
"""

from common import SUITE_ADDONS, SuiteCase, suite_groups, suite_records
from lxml import etree

from odoo.tests import new_test_user
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time


class TestSuiteActions(SuiteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {"administrator": cls.env.ref("base.user_admin")}
        portal = cls.env.ref("base.group_portal")
        for addon in SUITE_ADDONS:
            for group in suite_groups(cls.env, addon):
                if portal in group.trans_implied_ids:
                    continue  # a portal role: no back-office screens
                xmlid = group.get_external_id()[group.id]
                cls.users[group.full_name] = new_test_user(
                    cls.env,
                    login=f"suite_{xmlid.replace('.', '_')}",
                    groups=f"base.group_user,{xmlid}",
                )
        # The demo users as they are, roles combined (a dispatcher who also
        # takes calls): their first screens are the ones a visitor meets.
        roles = cls.env["res.groups"].union(
            *(suite_groups(cls.env, addon) for addon in SUITE_ADDONS)
        )
        for user in suite_records(cls.env, "res.users"):
            if not user.share and user.groups_id & roles:
                cls.users[f"demo {user.login}"] = user

    def _eval_context(self, env):
        today = datetime.date.today()
        return {
            "uid": env.uid,
            "user": env.user,
            "context_today": lambda: today,
            "current_date": today.strftime("%Y-%m-%d"),
            "datetime": datetime,
            "time": time,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "active_id": False,
            "active_ids": [],
            "allowed_company_ids": env.user.company_ids.ids,
            "context": dict(env.context),
        }

    def _default_search(self, search_arch, context, eval_context):
        """Domain and group-by of the filters the context turns on by default."""
        domain, groupby = [], []
        for node in etree.fromstring(search_arch).iter("filter"):
            if not context.get(f"search_default_{node.get('name')}"):
                continue
            if node.get("domain"):
                domain += safe_eval(node.get("domain"), eval_context)
            filter_context = safe_eval(node.get("context") or "{}", eval_context)
            if filter_context.get("group_by"):
                groupby.append(filter_context["group_by"])
        return domain, groupby

    def _open_action(self, action, user):
        env = self.env(user=user)
        eval_context = self._eval_context(env)
        context = safe_eval(action.context or "{}", eval_context)
        model = env[action.res_model].with_context(**context)
        views = [list(v) for v in action.views]
        views.append([action.search_view_id.id, "search"])
        result = model.get_views(views, {"toolbar": True, "load_filters": True})
        domain = safe_eval(action.domain or "[]", eval_context)
        more_domain, groupby = self._default_search(
            result["views"]["search"]["arch"], context, eval_context
        )
        domain += more_domain
        if groupby:
            model.web_read_group(domain, fields=[], groupby=groupby[:1], limit=80)
        if "kanban" in result["views"]:
            # On a phone the web client opens the kanban of a list action,
            # grouped as its arch says.
            kanban = etree.fromstring(result["views"]["kanban"]["arch"])
            if kanban.get("default_group_by"):
                model.web_read_group(
                    domain,
                    fields=[],
                    groupby=[kanban.get("default_group_by")],
                    limit=80,
                )
        fields = result["models"][action.res_model]["fields"]
        # The first page as the desktop's list and the phone's cards read it.
        for view_type in ("list", "kanban"):
            if view_type not in result["views"]:
                continue
            arch = etree.fromstring(result["views"][view_type]["arch"])
            spec = {"display_name": {}}
            for node in arch.iter("field"):
                name = node.get("name")
                if name in fields and fields[name]["type"] == "many2one":
                    spec[name] = {"fields": {"display_name": {}}}
                elif name in fields:
                    spec[name] = {}
            page = model.web_search_read(domain, spec, limit=action.limit or 80)
            self.assertIn("length", page)

    @staticmethod
    def _first_view(action, phone):
        """The view type the web client opens first for ``action``.

        As its action service does: the first view of the action, or on a
        phone the action's ``mobile_view_mode`` if the action has it.
        """
        types = [view_type for _view, view_type in action.views]
        if phone and action.mobile_view_mode in types:
            return action.mobile_view_mode
        return types[0]

    def test_menus_open_for_each_role(self):
        menus = suite_records(self.env, "ir.ui.menu")
        self.assertTrue(menus, "the suite defines no menu")
        for label, user in self.users.items():
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            # A menu shows when it and all its parents are visible.
            shown = menus.filtered(
                lambda m, ids=visible: all(
                    int(pid) in ids for pid in m.parent_path.split("/") if pid
                )
            )
            for menu in shown:
                action = menu.action
                if not action or action._name != "ir.actions.act_window":
                    continue
                with self.subTest(user=label, menu=menu.complete_name):
                    self._open_action(action, user)

    def test_app_tiles_open_a_screen(self):
        """An app tile opens a screen of its own, as every Odoo app does.

        The web client opens the app's action, or else that of its first
        (sub)menu with one; a dialog (``target="new"``) or nothing is not a
        screen: the menu bar would stay on the previous app.
        """
        apps = suite_records(self.env, "ir.ui.menu").filtered(
            lambda menu: not menu.parent_id
        )
        self.assertTrue(apps, "the suite defines no app")
        for label, user in self.users.items():
            web_menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
            for app in apps.filtered(lambda menu, shown=web_menus: menu.id in shown):
                tile = web_menus[app.id]
                with self.subTest(user=label, app=app.name):
                    self.assertTrue(tile["actionID"], "the tile opens nothing")
                    action = self.env[tile["actionModel"]].browse(tile["actionID"])
                    self.assertIn(
                        action._name, ("ir.actions.act_window", "ir.actions.client")
                    )
                    if action._name == "ir.actions.act_window":
                        self.assertNotEqual(
                            action.target, "new", "the tile opens a dialog"
                        )
                        self._open_action(action, user)

    def test_wide_lists_open_as_cards_on_a_phone(self):
        """Lists too wide for a phone (390 px) open as cards there, and still
        as the list (or the report) first on a desktop."""
        first_screens = {
            "crm_receivables_aging.action_aging_stat_pareto": "list",
            "crm_receivables_aging.action_aging_stat_over_limit": "list",
            "crm_haier_css.action_css_outlet_ranking": "list",
            "crm_haier_css.action_css_outlet_scorecard": "pivot",
            "crm_haier_css.action_css_service_center": "list",
            "crm_haier_css.action_css_certification": "list",
            "crm_haier_css.action_css_asset": "list",
            "crm_haier_css.action_css_contract": "list",
            "crm_analytics.action_crm_customer_score": "list",
            "crm_analytics.action_crm_retention": "list",
        }
        for xmlid, desktop in first_screens.items():
            action = self.env.ref(xmlid)
            with self.subTest(action=xmlid):
                self.assertEqual(self._first_view(action, phone=False), desktop)
                self.assertEqual(self._first_view(action, phone=True), "kanban")
                views = self.env[action.res_model].get_views([(False, "kanban")])
                kanban = etree.fromstring(views["views"]["kanban"]["arch"])
                self.assertIn("o_kanban_mobile", kanban.get("class", ""))

    def test_every_window_action_opens_for_admin(self):
        admin = self.users["administrator"]
        for action in suite_records(self.env, "ir.actions.act_window"):
            with self.subTest(action=action.xml_id):
                self._open_action(action, admin)

    def test_every_report_has_its_template(self):
        for report in suite_records(self.env, "ir.actions.report"):
            if report.report_type not in ("qweb-pdf", "qweb-html", "qweb-text"):
                continue
            with self.subTest(report=report.xml_id):
                self.assertTrue(
                    self.env["ir.ui.view"].search([("key", "=", report.report_name)]),
                    f"report {report.xml_id} has no template {report.report_name}",
                )
                self.assertIn(report.model, self.env)

    def test_settings_open_without_warning(self):
        """Opening a settings page of the suite runs the onchanges of every
        field, as the web client does: none may warn (a warning on opening
        says that saving would change something the user did not touch)."""
        actions = suite_records(self.env, "ir.actions.act_window").filtered(
            lambda action: action.res_model == "res.config.settings"
        )
        self.assertTrue(actions, "the suite has no settings page")
        admin = self.users["administrator"]
        for action in actions:
            with self.subTest(action=action.xml_id):
                env = self.env(user=admin)
                context = safe_eval(action.context or "{}", self._eval_context(env))
                settings = env["res.config.settings"].with_context(**context)
                views = settings.get_views([[action.view_id.id, "form"]])
                fields = views["models"]["res.config.settings"]["fields"]
                result = settings.onchange({}, [], {name: {} for name in fields})
                self.assertFalse(result.get("warning"), result.get("warning"))
