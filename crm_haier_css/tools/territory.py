# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Which outlet covers an address: the most precise territory wins."""


def parse_prefixes(text):
    """The postcode prefixes of a comma-separated text."""
    return [prefix.strip() for prefix in (text or "").split(",") if prefix.strip()]


def territory_match(territory, postcode, state_id, country_id):
    """How precisely a territory covers an address.

    :param territory: (prefixes, state ids, country ids)
    :return: (matched prefix length, state matches, country matches), to
        compare as a tuple (longest prefix, then state, then country); None
        when nothing matches
    """
    prefixes, state_ids, country_ids = territory
    postcode = (postcode or "").replace(" ", "")
    length = max(
        (len(prefix) for prefix in prefixes if postcode.startswith(prefix)), default=0
    )
    state = bool(state_id) and state_id in state_ids
    country = bool(country_id) and country_id in country_ids
    if not (length or state or country):
        return None
    return (length, state, country)


def best_territory(territories, postcode, state_id, country_id):
    """The key of the territory covering the address most precisely, and its match.

    :param territories: (key, territory) pairs in order of preference for ties
    :return: (key, match) or (None, None)
    """
    best, best_match = None, None
    for key, territory in territories:
        match = territory_match(territory, postcode, state_id, country_id)
        if match and (best_match is None or match > best_match):
            best, best_match = key, match
    return best, best_match
