"""Odd numbers in every URL, query string and form that takes a number: never a 500.

A security probe found 22 server errors at 9 places: `str.isdigit()` takes "²", int()
refuses more than 4,300 digits, and the database refuses numbers over 2**63. Here every
view that reads a number from a request gets such numbers, and must answer without a
server error and without changing anything.

`table.py` names, for every URL of the project, what it reads; `test_every_url_is_in_the_table`
walks the URL resolver, so a new URL fails until it is added there. `values.py` holds the
odd numbers, `world.py` a space with one of everything a number can name, `test_paths.py`
the tests of ids in paths and `test_fields.py` those of numbers in forms and query strings.
"""
