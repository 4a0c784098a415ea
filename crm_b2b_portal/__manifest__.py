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
    "data": [
        "security/crm_b2b_portal_security.xml",
        "security/ir.model.access.csv",
        "views/crm_b2b_portal_menus.xml",
    ],
}
