from . import aging_credit_hold_override
from . import aging_reminder_wizard
