"""Stage 5: relations between entities and values, each fact with its provenance.

`observations` reads indicator values (地区生产总值增长5.5%左右) and `milestones` the stages
projects reach (比亚迪二期建成投产); both take a normalised document (milestones also its
entity mentions) and give `Fact`s.
"""

from kg.relations.common import Fact
from kg.relations.observations import extract_observations

__all__ = ["Fact", "extract_observations"]
