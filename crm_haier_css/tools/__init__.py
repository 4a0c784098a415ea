from . import field_guard
from . import phone
from . import portal_input
from . import csv_exchange
from . import sequence
