def neutralise_formula(value: object) -> object:
    """Keep spreadsheet programs from running text that starts like a formula."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value
