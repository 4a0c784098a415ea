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
        "views/crm_haier_css_menus.xml",
    ],
}
