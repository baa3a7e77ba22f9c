"""Stage 4: entity extraction as spaCy pipeline components over the pkuseg-segmented text.

`components.py` registers the factories; `config.cfg` assembles them with their settings;
the rule and gazetteer data they read live in `kg/data/`.
"""

from kg.extract.pipeline import Candidate, extract_mentions, load_pipeline

__all__ = ["Candidate", "extract_mentions", "load_pipeline"]
