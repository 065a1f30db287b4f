"""Built-in criterion types; importing this package registers them all."""

from scorecards.criteria import (  # noqa: F401
    composite,
    metadata,
    metrics,
    ordered,
    phrase,
    sensitive,
    sentiment,
)
