"""Phone numbers for the benchmark populations: valid mobile numbers, as phones hold."""

from __future__ import annotations

import phonenumbers

__all__ = ["mobile_number"]


def mobile_number(country_code: str, draw: int, dialled: set[str]) -> str:
    """A valid mobile number of the country, unique, made from ``draw`` alone (so that the
    population's other draws stay as they were): the country's example mobile number with
    its last digits taken from the draw, changed until the number is valid and unused."""
    region = phonenumbers.region_code_for_country_code(int(country_code))
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        raise ValueError(f"no example mobile number for +{country_code}")
    national = str(example.national_number)
    kept, free = national[:3], len(national) - 3
    attempt = 0
    while True:
        digits = str((draw + attempt * 7_919) % 10**free).zfill(free)
        attempt += 1
        number = f"+{country_code}{kept}{digits}"
        if number in dialled:
            continue
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            dialled.add(number)
            return number
