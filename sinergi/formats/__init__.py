"""Dates, times and numbers per interface language, as Sinergi's readers write them.

Day before month everywhere (31/12/2025), a 24-hour clock (21:56; Indonesian 21.56), and the
language's own separators: English 10,602.5, Indonesian and Vietnamese 10.602,5. Date inputs show
and accept the first input format of the language; ISO dates (2025-12-31) are accepted too.
"""
