from . import css_phone_intake
from . import css_exchange_import
