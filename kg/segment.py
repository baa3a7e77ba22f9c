"""Stage 3: word segmentation with spaCy's Chinese pipeline and the pkuseg segmenter.

The pkuseg `default` model comes from the `pkuseg` package installed by `make` (its sdist ships
the model), so nothing is downloaded when the tool runs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.lang.zh import Chinese


class SegmenterMissing(RuntimeError):
    """The pkuseg model is not installed; the message says how to install it."""


def pkuseg_model_dir() -> Path:
    """Directory of pkuseg's shipped `default` model (found without importing pkuseg)."""
    spec = importlib.util.find_spec("pkuseg")
    if spec is None or not spec.submodule_search_locations:
        raise SegmenterMissing(
            "the pkuseg model is not installed; run `make setup` "
            "(pip install --no-build-isolation pkuseg==0.0.25)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / "default"
    if not (path / "features.pkl").exists() and not (path / "features.msgpack").exists():
        raise SegmenterMissing(f"pkuseg model files missing in {path}; reinstall pkuseg")
    return path


def check_model() -> None:
    """Fail early (at setup) if the segmenter cannot be loaded offline."""
    nlp = blank_chinese()
    assert [t.text for t in nlp("常州市新北区")], "segmenter produced no tokens"


@lru_cache(maxsize=1)
def blank_chinese() -> Chinese:
    """A blank spaCy Chinese pipeline whose tokenizer is pkuseg with the shipped model."""
    from spacy.lang.zh import Chinese  # here: importing spaCy takes seconds

    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    load_segmenter(nlp)
    return nlp


_PKL_NOTICE = "WARNING: features.msgpack does not exist, try loading features.pkl"


def load_segmenter(nlp: Chinese) -> None:
    """Load the shipped pkuseg model into a Chinese pipeline's tokenizer.

    Why the capture: spacy-pkuseg prints a warning on every load of a model that ships its
    features as a pickle (as pkuseg's does); it is noise in each build's output, so that one
    line is dropped and anything else the loader prints still reaches stderr.
    """
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_model_dir()))
    rest = "".join(line for line in said.getvalue().splitlines(True) if _PKL_NOTICE not in line)
    if rest:
        sys.stderr.write(rest)
