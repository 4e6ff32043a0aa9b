"""Photo files on disk, named by the hash of their content so the same photo is stored once."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.core.private_files import private_dir
from bot.photos.images import CleanPhoto


class MediaStore:
    """Files under MEDIA_DIR: <2 hex>/<sha256>.<ext> and <sha256>.preview.<ext>."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def save(self, photo: CleanPhoto) -> tuple[str, str]:
        """Write the cleaned photo and its preview; returns their names relative to the root."""
        full = f"{photo.sha256[:2]}/{photo.sha256}.{photo.extension}"
        preview = f"{photo.sha256[:2]}/{photo.sha256}.preview.{photo.extension}"
        self._write(full, photo.full)
        self._write(preview, photo.preview)
        return full, preview

    def path(self, name: str) -> Path | None:
        """The file for a stored name, or None if it is missing or outside the media folder."""
        path = (self.root / name).resolve()
        if self.root.resolve() not in path.parents or not path.is_file():
            return None
        return path

    def delete(self, name: str) -> None:
        path = self.path(name)
        if path is not None:
            path.unlink()

    def _write(self, name: str, data: bytes) -> None:
        target = self.root / name
        if target.exists():
            return
        private_dir(target.parent)  # photos of children: folders 0700, files 0600
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)  # atomic: a reader never sees half a file
