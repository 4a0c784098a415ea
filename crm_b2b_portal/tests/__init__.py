from . import test_approval_chain
from . import test_approval_rules
from . import test_backend
from . import test_concurrency
from . import test_cron
from . import test_portal
from . import test_tour
