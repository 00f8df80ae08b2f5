"""
Where the open-data files are kept and how they are replaced without a reader
ever getting half of one.

Each build writes into a folder of its own (``open-data/<generation>/``), named
after the time it started, so it never writes over a file a reader is
downloading. On a storage with local paths (FileSystemStorage, the production
volume) every file is first written under a temporary name in its folder and
then renamed (``os.replace``: one step on one file system); the manifest, the
one file whose name never changes, is replaced the same way, after every file
it names is complete. On other storages a file is saved under its final name
in the new folder (nobody knows the name before the manifest says it), and the
manifest is deleted and saved again: a reader in between finds no manifest for
an instant, never a partial one.

The folders of the current and the previous build are kept (a download begun
just before the switch finishes); older ones are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage

FOLDER = "open-data"
MANIFEST = f"{FOLDER}/manifest.json"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileEntry:
    """One file of a build, as the manifest lists it."""

    name: str  # what readers ask for: comments.csv
    path: str  # where it is in the storage: open-data/<generation>/comments.csv
    size: int  # bytes
    sha256: str
    generated_at: str  # ISO 8601
    media_type: str
    records: int  # rows, lines or documents


@dataclass(frozen=True)
class Manifest:
    generation: str
    generated_at: str
    files: list[FileEntry]

    def entry(self, name: str) -> FileEntry | None:
        return next((f for f in self.files if f.name == name), None)

    def to_json(self) -> bytes:
        body = {
            "generation": self.generation,
            "generated_at": self.generated_at,
            "files": [asdict(f) for f in self.files],
        }
        return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def _local_path(storage: Storage, name: str) -> str | None:
    # Only a file system storage keeps its files where path() says (the
    # in-memory storage answers a path too, and keeps nothing there).
    if isinstance(storage, FileSystemStorage):
        return storage.path(name)
    return None


def read_manifest(storage: Storage | None = None) -> Manifest | None:
    """The manifest of the last complete build, or None before the first."""
    storage = storage or default_storage
    try:
        with storage.open(MANIFEST, "rb") as handle:
            body = json.loads(handle.read().decode("utf-8"))
        return Manifest(
            generation=body["generation"],
            generated_at=body["generated_at"],
            files=[FileEntry(**f) for f in body["files"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        # None yet, or one this version cannot read: as if never built.
        return None


def _digest(path: str) -> tuple[int, str]:
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def _replace_locally(source: str, target: str) -> None:
    """Move the finished ``source`` to ``target`` in one step, readable by all."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.chmod(source, 0o644)
    os.replace(source, target)


class Writer:
    """
    Write the files of one build (``open-data/<generation>/``).

    ``with writer.open(name) as handle:`` gives a binary file to write; when
    the block ends the file is hashed and put in place, and its entry added to
    :attr:`entries`. Nothing is visible to readers before :meth:`publish`.
    """

    def __init__(self, generation: str, storage: Storage | None = None) -> None:
        self.storage = storage or default_storage
        self.generation = generation
        self.folder = f"{FOLDER}/{generation}"
        self.entries: list[FileEntry] = []

    @contextlib.contextmanager
    def open(
        self, name: str, *, media_type: str, generated_at: str
    ) -> Iterator[tuple[IO[bytes], list[int]]]:
        """
        Yield a binary file and a one-item list for the count of records the
        caller writes; a failure inside the block leaves nothing behind.
        """
        target = f"{self.folder}/{name}"
        local = _local_path(self.storage, target)
        directory = os.path.dirname(local) if local else None
        if directory:
            os.makedirs(directory, exist_ok=True)
        # Beside the target when the storage is local (the rename is then one
        # step), in the system's temporary folder otherwise.
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".part")
        records = [0]
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle, records
                handle.flush()
                os.fsync(handle.fileno())
            size, sha256 = _digest(temporary)
            if local:
                _replace_locally(temporary, local)
            else:
                with open(temporary, "rb") as handle:
                    self.storage.save(target, File(handle, name=name))
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self.entries.append(
            FileEntry(
                name=name,
                path=target,
                size=size,
                sha256=sha256,
                generated_at=generated_at,
                media_type=media_type,
                records=records[0],
            )
        )

    def publish(self, generated_at: str) -> Manifest:
        """
        Replace the manifest with this build's, then remove the folders of
        builds older than the one it replaces.
        """
        previous = read_manifest(self.storage)
        manifest = Manifest(
            generation=self.generation, generated_at=generated_at, files=self.entries
        )
        body = manifest.to_json()
        local = _local_path(self.storage, MANIFEST)
        if local:
            fd, temporary = tempfile.mkstemp(
                dir=os.path.dirname(local), prefix=".", suffix=".part"
            )
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
            _replace_locally(temporary, local)
        else:
            self.storage.delete(MANIFEST)
            self.storage.save(MANIFEST, ContentFile(body))
        kept = {self.generation} | ({previous.generation} if previous else set())
        self._remove_older_than(min(kept), kept)
        return manifest

    def _remove_older_than(self, oldest_kept: str, kept: set[str]) -> None:
        # Only folders older than every kept one: a build started after this
        # one (a hand-run beside the nightly) may be writing a newer folder.
        try:
            folders, _files = self.storage.listdir(FOLDER)
        except (FileNotFoundError, NotImplementedError):
            return
        for folder in folders:
            if folder in kept or folder >= oldest_kept:
                continue
            self._remove_folder(f"{FOLDER}/{folder}")

    def _remove_folder(self, folder: str) -> None:
        subfolders, files = self.storage.listdir(folder)
        for name in files:
            self.storage.delete(f"{folder}/{name}")
        for sub in subfolders:
            self._remove_folder(f"{folder}/{sub}")
        # The folder itself (file system and in-memory storages delete an
        # empty folder; object stores have none to delete).
        with contextlib.suppress(OSError):
            self.storage.delete(folder)


def describe(manifest: Manifest | None) -> dict[str, Any]:
    """The manifest as the page and the API show it (no storage paths)."""
    if manifest is None:
        return {"generated_at": None, "files": []}
    return {
        "generated_at": manifest.generated_at,
        "files": [
            {k: v for k, v in asdict(f).items() if k != "path"} for f in manifest.files
        ],
    }
