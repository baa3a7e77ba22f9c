"""Stage 3: word segmentation with spaCy's Chinese pipeline and the pkuseg segmenter.

The pkuseg `default` model comes from the `pkuseg` package installed by `make` (its sdist ships
the model), so nothing is downloaded when the tool runs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.lang.zh import Chinese


class SegmenterMissing(RuntimeError):
    """The pkuseg model is not installed; the message says how to install it."""


def pkuseg_model_dir() -> Path:
    """Directory of pkuseg's shipped `default` model."""
    try:
        import pkuseg
    except ImportError as exc:
        raise SegmenterMissing(
            "the pkuseg model is not installed; run `make setup` "
            "(pip install --no-build-isolation pkuseg==0.0.25)"
        ) from exc
    path = Path(pkuseg.__file__).parent / "models" / "default"
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
    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_model_dir()))
    return nlp
