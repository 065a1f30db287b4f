"""Built-in criterion types; importing this package registers them all."""

from scorecards.criteria import (  # noqa: F401
    classifier,
    composite,
    metadata,
    metrics,
    ordered,
    phrase,
    sensitive,
    sentiment,
)
