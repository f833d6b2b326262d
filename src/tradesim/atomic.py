"""Atomic file writes: a temporary file in the same folder, flushed, then ``os.replace``d over the target.

A reader (or an interrupted writer) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tradesim.errors import InputError


def check_destination(path: Path, option: str = "--output", suffixes: tuple[str, ...] = ()) -> None:
    """Bad input unless ``path`` can be written: its suffix one of ``suffixes`` (any case; any suffix when
    empty) and its folder existing. Best called before the work, so a bad path costs nothing."""
    if suffixes and path.suffix.lower() not in suffixes:
        raise InputError(f"{option} must end in {' or '.join(suffixes)}, got {path.name!r}")
    if not path.parent.is_dir():
        raise InputError(f"{option}: folder {path.parent} does not exist")


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; the folder must exist."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | os.PathLike[str], content: bytes) -> None:
    """Replace ``path`` with ``content`` atomically; the folder must exist."""
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(temporary, _mode_for(target))  # mkstemp makes 0600; a user's file should not change mode
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    """The target's current permission bits, or for a new file what the umask allows (0644 usually)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
