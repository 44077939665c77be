"""Writing reports: atomically, one file or several as one, so that readers never see half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from provenance.errors import UsageError


def write_atomic(path: Path, data: str) -> None:
    """Write a report so that readers see the old content or the new, never half of it.

    A symbolic link is followed (its target is replaced); a device or a pipe (`/dev/stdout`)
    is written to directly, since it cannot be replaced.
    """
    write_all_atomic({Path(path): data})


def write_all_atomic(files: dict[Path, str]) -> None:
    """Write several reports as one: every file is written to a temporary file beside it first, and
    only when all are written are they moved into place. A failure or an interruption before that
    leaves every old report as it was."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            tmp = _stage(Path(path), data)
            if tmp is not None:
                staged.append(tmp)
        while staged:
            tmp_name, target = staged[0]
            try:
                os.replace(tmp_name, target)
            except OSError as exc:
                raise UsageError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
            staged.pop(0)
    finally:
        for tmp_name, _ in staged:
            _remove(tmp_name)


def _stage(path: Path, data: str) -> tuple[str, Path] | None:
    """Write `data` to a temporary file beside `path`; a device is written directly (None)."""
    require_unicode(path, data)
    if path.exists() and not path.is_file() and not path.is_dir():
        try:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(data)
        except OSError as exc:
            raise UsageError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
        return None
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # replace the file the link points to, not the link
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write {str(path)!r}: no directory {str(directory)!r}")
    if path.is_dir():
        raise UsageError(f"cannot write {str(path)!r}: it is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise UsageError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file private; give the report the mode a new file would have.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        _remove(tmp)
        raise UsageError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise
    return tmp, path


def require_unicode(path: Path | str, data: str) -> None:
    """Refuse, before anything is written, text that UTF-8 cannot encode (a lone surrogate: the
    undecodable byte of a file name), which would otherwise stop the writing half-way."""
    try:
        data.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError(f"cannot write {str(path)!r}: the report holds text that is not valid Unicode "
                         f"(U+{ord(data[exc.start]):04X} at character {exc.start:,})") from None


def _remove(tmp: str) -> None:
    """Delete a temporary file, if it is still there."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _umask() -> int:
    """The process's file-creation mask (reading it means setting it, so it is set back at once)."""
    current = os.umask(0)
    os.umask(current)
    return current


__all__ = ["require_unicode", "write_all_atomic", "write_atomic"]
