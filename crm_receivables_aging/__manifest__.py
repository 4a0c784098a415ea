# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "CRM Receivables Aging and Collections",
    "summary": "Aging as of any date, reminders, credit hold",
    "version": "18.0.1.0.0",
    "category": "Accounting/Collections",
    "website": "https://github.com/crm-suite/crm-suite",
    "author": "CRM Suite contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "account",
        "mail",
        "portal",
        "sale",
    ],
    "data": [
        "security/crm_receivables_aging_security.xml",
        "security/ir.model.access.csv",
        "views/crm_receivables_aging_menus.xml",
    ],
}
