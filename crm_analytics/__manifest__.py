# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "CRM Analytics",
    "summary": "Segments, customer value, churn, cross-sell, funnel",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM Analytics",
    "website": "https://github.com/crm-suite/crm-suite",
    "author": "CRM Suite contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "crm",
        "sale",
        "account",
        "utm",
        "crm_haier_css",
        "crm_receivables_aging",
    ],
    "data": [
        "security/crm_analytics_security.xml",
        "security/ir.model.access.csv",
        "views/crm_analytics_menus.xml",
    ],
}
