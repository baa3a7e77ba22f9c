"""The build cache: per-document results, and the SHACL report of each report's graph.

Why: a researcher adds one report a year to a corpus of thousands; rebuilding should redo only
that report and the graph-level steps. A document entry is keyed by the file's name and bytes,
the manifest row and names file that shape its result, and the pipeline version: the hash of
every file of the installed `kg` package (code, rule data, gazetteers, models), the pkuseg
model's files and the versions of the libraries the stages use. Changing any of them
invalidates every entry, so a cached result is always the result a fresh run would give.
A SHACL entry is keyed by the exact N-Triples validated plus the shapes, the ontology and the
validator's version: a report graph that did not change is not validated again.

Layout: `DIR/<version>/<key[:2]>/<key>.pickle` and `DIR/<version>/shacl/<key[:2]>/<key>.json`,
each written atomically; a build prunes the directories of other versions. Document entries
are pickles: keep the cache directory private.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import sys
import tempfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.extract.user_names import UserNames
    from kg.pipeline import DocResult

CACHE_FORMAT = 1
# Libraries whose behaviour shapes a document's result (decoding, normalising, segmenting).
_LIBRARIES = ("spacy", "spacy-pkuseg", "opencc", "charset-normalizer", "ftfy", "lxml",
              "pdfminer.six", "numpy")  # fmt: skip
_VERSION_DIR = re.compile(r"^v\d+-[0-9a-f]{24}$")  # only such directories are ever pruned


def _digest_tree(h: hashlib._Hash, root: Path) -> None:
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        with f.open("rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of everything that decides a document's result besides its own inputs."""
    import kg
    from kg.segment import pkuseg_model_dir

    h = hashlib.sha256(f"kg-cache {CACHE_FORMAT} {kg.__version__} {sys.version_info[:2]}".encode())
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib}=={version(lib)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{lib} absent\0".encode())
    _digest_tree(h, Path(kg.__file__).parent)
    _digest_tree(h, pkuseg_model_dir())
    return h.hexdigest()


@lru_cache(maxsize=1)
def shapes_version() -> str:
    """A hash of what decides a SHACL report besides the data: shapes, ontology, validator."""
    from kg.ontology import ONTOLOGY_FILE, SHAPES_FILE

    h = hashlib.sha256(pipeline_version().encode())
    for lib in ("pyshacl", "rdflib"):
        h.update(f"{lib}=={version(lib)}\0".encode())
    for f in (ONTOLOGY_FILE, SHAPES_FILE):
        h.update(f.read_bytes())
    return h.hexdigest()


def names_fingerprint(names: UserNames | None) -> str:
    """A stable text standing for a names file's content (empty without one)."""
    if names is None:
        return ""
    return json.dumps(
        [names.source, sorted(names.add.items()),
         sorted((k, sorted(v)) for k, v in names.suppress.items()), sorted(names.retype.items())],
        ensure_ascii=False,
    )  # fmt: skip


class BuildCache:
    """Cached `DocResult`s and SHACL reports under one directory; a damaged or unreadable
    entry is a miss."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.dir = self.root / f"v{CACHE_FORMAT}-{pipeline_version()[:24]}"
        self.doc_hits = 0  # entries reused by this build, for its summary
        self.check_hits = 0

    def doc_key(
        self, name: str, data: bytes, manifest_row: dict[str, str] | None, names_fp: str
    ) -> str:
        h = hashlib.sha256()
        for part in (name, json.dumps(manifest_row or {}, sort_keys=True, ensure_ascii=False),
                     names_fp):  # fmt: skip
            h.update(part.encode("utf-8") + b"\0")
        h.update(hashlib.sha256(data).digest())
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pickle"

    def get_doc(self, key: str) -> DocResult | None:
        from kg.pipeline import DocResult

        try:
            with self._path(key).open("rb") as fh:
                result = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                ValueError, TypeError, IndexError):  # fmt: skip
            return None
        if not isinstance(result, DocResult):
            return None
        self.doc_hits += 1
        return result

    def put_doc(self, key: str, result: DocResult) -> None:
        """Write an entry atomically; a cache that cannot be written only costs speed."""
        _write_atomic(self._path(key), pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))

    def check_key(self, ntriples: bytes) -> str:
        return hashlib.sha256(shapes_version().encode() + b"\0" + ntriples).hexdigest()

    def get_check(self, key: str) -> dict[str, object] | None:
        try:
            report = json.loads((self.dir / "shacl" / key[:2] / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(report, dict):
            return None
        self.check_hits += 1
        return report

    def put_check(self, key: str, report: dict[str, object]) -> None:
        data = json.dumps(report, ensure_ascii=False, sort_keys=True).encode("utf-8")
        _write_atomic(self.dir / "shacl" / key[:2] / f"{key}.json", data)

    def prune(self) -> None:
        """Remove the entries of other pipeline versions (they can never be hit again)."""
        if not self.root.is_dir():
            return
        for d in self.root.iterdir():
            if d.is_dir() and d != self.dir and _VERSION_DIR.match(d.name):
                shutil.rmtree(d, ignore_errors=True)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a cache entry whole or not at all; a cache that cannot be written costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
