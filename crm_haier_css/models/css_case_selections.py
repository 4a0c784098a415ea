# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Selections shared by cases, SLA policies and the intake screen."""

CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("web", "Web"),
    ("portal", "Portal"),
    ("fax", "Fax"),
    ("letter", "Letter"),
    ("sales_rep", "Sales Representative"),
    ("distributor", "Distributor"),
    ("api", "API"),
]
CASE_TYPES = [
    ("installation", "Installation"),
    ("repair", "Repair"),
    ("maintenance", "Maintenance"),
    ("complaint", "Complaint"),
    ("inquiry", "Inquiry"),
    ("suggestion", "Suggestion"),
]
PRIORITIES = [
    ("0", "Normal"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Urgent"),
]
SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
