from . import test_phone
from . import test_channels
from . import test_sla
from . import test_follow_up
from . import test_asset
from . import test_access
from . import test_portal
from . import test_field_guard
