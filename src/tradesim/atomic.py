"""Writing an output: atomically for a file, straight through for a device, a pipe or a terminal.

A regular file is written to a temporary file in the same folder (``.NAME.PID.XXXX.tmp``), flushed, then
``os.replace``d over the target: a reader (or an interrupted writer) sees the old file or the new one, never half
of one. A temporary that a killed run left behind (``kill -9`` skips every clean-up) is removed by the next
write of the same target, once the process that made it is gone. A character device (``/dev/null``,
``/dev/stdout``), a FIFO or a socket is written straight through: renaming over it would replace the device
with a file. Whatever cannot be written (a folder, a missing or read-only folder, a full disk) is an
:class:`~tradesim.errors.InputError` naming the path, never a traceback.

A symbolic link is written through: the file it points to is replaced atomically and the link stays a link
(renaming over the link would leave its target stale). An output that is one of the run's own inputs — a file
of the data folder, a scenario file, the file being imported, by any name or link — is refused: writing it would
destroy what the run read (:func:`reading` records them as they are read).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from tradesim.errors import InputError

STALE_SECONDS = (
    60  # an output is written in milliseconds: a temporary this old, without a process id, was left
)
_INPUTS: dict[str, str] = {}  # the real path of each file this process has read as input → what it is


def reading(path: str | os.PathLike[str], what: str) -> None:
    """Record that this run reads ``path`` (``what`` it is, for the message if an output would overwrite it)."""
    _INPUTS.setdefault(os.path.realpath(path), what)


def forget_inputs() -> None:
    """Start a new run's record of its inputs."""
    _INPUTS.clear()


def check_not_input(path: Path, option: str = "--output") -> None:
    """Bad input when ``path`` (by any name or link) is a file this run has read as input."""
    what = _INPUTS.get(os.path.realpath(path))
    if what is not None:
        raise InputError(
            f"{option}: {path} is {what} this run reads; writing the output there would overwrite it: name "
            "another file"
        )


def check_destination(path: Path, option: str = "--output", suffixes: tuple[str, ...] = ()) -> None:
    """Bad input unless ``path`` can be written: its suffix one of ``suffixes`` (any case; any suffix when
    empty), not a folder, and its folder existing. Best called before the work, so a bad path costs nothing."""
    if not str(path) or str(path) in (".", ".."):
        raise InputError(f"{option}: give a file name, got {str(path)!r}")
    if path.is_dir():
        raise InputError(f"{option}: {path} is a folder; name a file in it")
    if _streams(path):
        return
    check_not_input(path, option)
    if suffixes and path.suffix.lower() not in suffixes:
        raise InputError(f"{option} must end in {' or '.join(suffixes)}, got {path.name!r}")
    if not path.parent.is_dir():
        raise InputError(f"{option}: folder {path.parent} does not exist")


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; the folder must exist."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | os.PathLike[str], content: bytes) -> None:
    """Replace ``path`` with ``content`` atomically (a device or a pipe: written through); the folder must
    exist."""
    target = Path(path)
    try:
        if _streams(target):
            with target.open("wb") as handle:
                handle.write(content)
            return
        if target.is_dir():
            raise InputError(f"{target} is a folder; name a file in it")
        check_not_input(target)
        if target.is_symlink():  # through the link, at the file it points to: the link stays
            target = Path(os.path.realpath(target))
            if target.is_dir():
                raise InputError(f"{path} links to a folder ({target}); name a file")
        sweep_temporaries(target)
        _replace(target, content)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None


def _replace(target: Path, content: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
    )
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


def _streams(path: Path) -> bool:
    """Whether ``path`` is a character device, a FIFO or a socket (written through, never renamed over)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def sweep_temporaries(target: Path) -> None:
    """Remove the temporaries of ``target`` that killed writes left: those of a process that no longer
    runs, and (an older version's, without a process id) those older than :data:`STALE_SECONDS`. Only this
    module's own pattern, ``.NAME.*.tmp``; anything that cannot be removed is left."""
    if not target.parent.is_dir():
        return
    now = time.time()
    prefix = "." + target.name + "."
    for stale in target.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        found = re.fullmatch(r"(\d+)\..+\.tmp", stale.name[len(prefix) :])
        with contextlib.suppress(OSError):  # gone already, or not ours to remove: leave it
            if found is not None:
                if int(found.group(1)) != os.getpid() and not _running(int(found.group(1))):
                    stale.unlink()
            elif now - stale.stat().st_mtime > STALE_SECONDS:
                stale.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or no such number: leave its file
    return True


def _mode_for(target: Path) -> int:
    """The target's current permission bits, or for a new file what the umask allows (0644 usually)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
