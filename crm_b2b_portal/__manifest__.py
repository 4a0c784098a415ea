# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "CRM B2B Procurement Portal (Premier)",
    "summary": "Customer catalogues, portal quotes and approval chains",
    "version": "18.0.1.0.0",
    "category": "Sales/B2B Portal",
    "website": "https://github.com/crm-suite/crm-suite",
    "author": "CRM Suite contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "portal",
        "sale_management",
        "product",
        "mail",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/crm_b2b_portal_security.xml",
        "security/ir.model.access.csv",
        "data/b2b_cron.xml",
        "views/b2b_account_views.xml",
        "views/b2b_member_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/crm_b2b_portal_menus.xml",
    ],
    "demo": ["demo/b2b_demo.xml"],
    "assets": {
        "web.assets_tests": ["crm_b2b_portal/static/tests/tours/**/*"],
    },
}
