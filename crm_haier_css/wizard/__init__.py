from . import css_phone_intake
