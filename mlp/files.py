"""Writing files so that a crash never leaves a half-written one (used by io, cache, idx, web).

The bytes go to a temporary file in the target's folder, which is renamed over the target only
once it is complete: ``os.replace`` is atomic, so readers see the old file or the new one.
"""
import os
import tempfile
from pathlib import Path


def atomic_write(path, data):
    """Write ``data`` (bytes, or str as UTF-8) to ``path``; returns the Path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp's 0o600 would hide the file from a web server or a group
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
