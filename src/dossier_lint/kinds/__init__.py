"""Generic check kinds. Importing this package registers every kind (see rule.check_kind)."""

# One import line per module; keep alphabetical.
