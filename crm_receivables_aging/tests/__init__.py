from . import test_aging_buckets
from . import test_aging_amounts
from . import test_aging_exports
from . import test_credit_hold
from . import test_reminders
from . import test_portal_statement
from . import test_backend_tour
from . import test_statistics
