"""Shared helpers of the suite-level tests: what belongs to the suite."""

from odoo.tests import TransactionCase, tagged

SUITE_ADDONS = (
    "crm_haier_css",
    "crm_receivables_aging",
    "crm_b2b_portal",
    "crm_analytics",
)


def suite_records(env, model):
    """Records of ``model`` whose XML id belongs to one of the suite's addons."""
    data = env["ir.model.data"].search(
        [("module", "in", SUITE_ADDONS), ("model", "=", model)]
    )
    return env[model].browse(data.mapped("res_id")).exists()


def suite_models(env):
    """Map each model the suite defines (not merely extends) to its addon."""
    return {
        name: model._original_module
        for name, model in env.registry.items()
        if model._original_module in SUITE_ADDONS and not model._abstract
    }


def suite_groups(env, addon):
    """The security groups an addon defines, lowest level first."""
    groups = env["res.groups"].browse(
        env["ir.model.data"]
        .search([("module", "=", addon), ("model", "=", "res.groups")])
        .mapped("res_id")
    )
    return groups.sorted(lambda g: len(g.trans_implied_ids))


@tagged("standard", "post_install", "-at_install")
class SuiteCase(TransactionCase):
    """Base of the suite-level tests, which live outside any addon."""

    test_module = "crm_suite"
