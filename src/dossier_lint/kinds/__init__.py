"""Generic check kinds. Importing this package registers every kind (see rule.check_kind)."""

# One import line per module; keep alphabetical.
from . import catalog  # noqa: F401
from . import cloud  # noqa: F401
from . import consistency  # noqa: F401
from . import documents  # noqa: F401
from . import duplicate  # noqa: F401
from . import fields  # noqa: F401
from . import funding  # noqa: F401
from . import goals  # noqa: F401
from . import input  # noqa: F401
from . import policy  # noqa: F401
from . import sections  # noqa: F401
from . import security  # noqa: F401
from . import tables  # noqa: F401
