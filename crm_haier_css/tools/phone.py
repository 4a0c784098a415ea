# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Phone number normalisation shared by storage and caller lookup.

A deliberately small normaliser (no ``phonenumbers`` dependency): the same
function turns the number stored on a partner and the number a telephony
system sends into one canonical string, so that an indexed equality lookup
finds the caller whatever the input format.
"""

import re

_EXTENSION = re.compile(r"(?i)\s*(?:ext\.?|extension|x|#)\s*\d+\s*$")
_NON_DIGIT = re.compile(r"\D")


def normalize_phone(number, country_code=None):
    """Return the canonical form of ``number`` or ``False`` when it has no digits.

    Rules: only digits are kept; a leading ``+`` (or the international prefix
    ``00``) marks an international number; a ``(0)`` written after the
    country code and a national trunk ``0`` are dropped; a national number
    is prefixed with ``+<country_code>`` when the country calling code is
    known, so that ``0532 8893 8888`` and ``+86 532 8893 8888`` match.
    """
    if not number:
        return False
    number = _EXTENSION.sub("", str(number).strip())
    # "+44 (0)20 ..." carries an optional trunk prefix that is never dialled
    # from abroad: drop it before the digits are extracted.
    number = number.replace("(0)", "")
    international = number.startswith("+")
    digits = _NON_DIGIT.sub("", number)
    if not international and digits.startswith("00"):
        international = True
        digits = digits[2:]
    # Country codes never start with 0, and a national trunk 0 is never
    # part of the subscriber number.
    digits = digits.lstrip("0")
    if not digits:
        return False
    if international:
        return "+" + digits
    if country_code:
        return f"+{country_code}{digits}"
    return digits
