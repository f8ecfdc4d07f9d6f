"""Generic check kinds. Importing this package registers every kind (see rule.check_kind)."""

# Every module that registers kinds is imported here (ruff keeps the list sorted).
from . import (
    catalog,  # noqa: F401
    cloud,  # noqa: F401
    consistency,  # noqa: F401
    documents,  # noqa: F401
    duplicate,  # noqa: F401
    fields,  # noqa: F401
    funding,  # noqa: F401
    goals,  # noqa: F401
    input,  # noqa: F401
    policy,  # noqa: F401
    sections,  # noqa: F401
    security,  # noqa: F401
    tables,  # noqa: F401
)
