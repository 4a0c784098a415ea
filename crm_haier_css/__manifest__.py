# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "CRM Customer Service (Haier CSS)",
    "summary": "Service desk: cases from every channel, SLA, installed base",
    "version": "18.0.1.0.0",
    "category": "Customer Service",
    "website": "https://github.com/crm-suite/crm-suite",
    "author": "CRM Suite contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "portal",
        "rating",
        "resource",
        "product",
        "account",
        "stock",
    ],
    "data": [
        "security/crm_haier_css_security.xml",
        "security/ir.model.access.csv",
        "data/css_case_data.xml",
        "data/mail_template_data.xml",
        "views/css_case_views.xml",
        "views/css_config_views.xml",
        "views/css_asset_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/css_portal_templates.xml",
        "wizard/css_phone_intake_views.xml",
        "report/css_case_report.xml",
        "views/crm_haier_css_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_haier_css/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/css_demo.xml",
    ],
}
