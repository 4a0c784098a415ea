from . import field_guard
from . import phone
