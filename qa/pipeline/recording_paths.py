"""Where a manifest row's recording is: always inside the batch folder, never outside it.

A manifest comes from outside (a telephony export, an upload), so its `audio_file` is untrusted:
an absolute path, `..` or a symlink out of the folder could make callqa copy any file it can
read (its own database, say) into the audio store and serve it in the player. Only a relative
path that stays inside the folder once every link is followed is accepted.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from qa.errors import QAError
from qa.i18n import _


class RecordingOutsideFolder(QAError):
    """A row's audio_file points outside the folder the manifest describes."""


def resolve_recording(folder: Path, audio_file: str) -> Path:
    """The recording a row names, resolved inside `folder`; RecordingOutsideFolder otherwise."""
    relative = audio_file.replace("\\", "/")
    if PurePosixPath(relative).is_absolute() or PureWindowsPath(audio_file).anchor:
        raise RecordingOutsideFolder(
            _("audio_file {path} is an absolute path: name a file inside the folder").format(
                path=audio_file
            )
        )
    if ".." in PurePosixPath(relative).parts:
        raise RecordingOutsideFolder(
            _("audio_file {path} leaves the folder (..): name a file inside it").format(
                path=audio_file
            )
        )
    root = folder.resolve()
    resolved = (root / relative).resolve()
    if not resolved.is_relative_to(root):
        raise RecordingOutsideFolder(
            _("audio_file {path} is a link to a file outside the folder; copy it in").format(
                path=audio_file
            )
        )
    return resolved


def inside_folder(folder: Path, path: Path) -> Path | None:
    """`path` resolved, when it lies inside `folder` (links followed); None otherwise."""
    resolved = path.resolve()
    return resolved if resolved.is_relative_to(folder.resolve()) else None
