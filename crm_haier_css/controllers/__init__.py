from . import main
from . import portal
from . import distributor_portal
