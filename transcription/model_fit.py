"""Which Whisper models are known to be weak for which language, so the app can say so.

Evidence: the bundled multilingual *base* model on real Persian speech has a character error
rate around 0.5 (issue 12's held-out clips); Whisper's own paper ranks Persian among its weakest
languages below the `small` size, and `tiny` is weak for Russian too. A local model folder is
judged by its folder name (`faster-whisper-base`, `whisper-small-ct2`, ...); a name callqa
cannot read a size from is not flagged.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from transcription.model_store import BUNDLED_MODEL

WEAK_SIZES: dict[str, frozenset[str]] = {
    "fa": frozenset({"tiny", "base"}),
    "ru": frozenset({"tiny"}),
}
_SIZE = re.compile(r"(?:^|[-_/.])(tiny|base|small|medium|large|turbo)(?:$|[-_/.])")


def model_size(model: str) -> str | None:
    """ "base" for `bundled-base`, `base`, `Systran/faster-whisper-base`, `/models/whisper-base`."""
    if model == BUNDLED_MODEL:
        return "base"
    match = _SIZE.search(PurePath(model).name.lower())
    return match.group(1) if match else None


def is_weak_for(model: str, language: str) -> bool:
    """True when calls in `language` transcribed with `model` are known to be poor."""
    return model_size(model) in WEAK_SIZES.get(language, frozenset())
