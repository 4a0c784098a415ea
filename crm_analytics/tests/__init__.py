from . import test_scores
from . import test_segments
from . import test_affinity
from . import test_funnel
from . import test_export
from . import test_service_quality
from . import test_access_rules
from . import test_exposure_agreement
