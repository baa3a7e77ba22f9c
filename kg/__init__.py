"""zhgov-kg: Chinese government work reports to a linked-data knowledge graph.

The pipeline stages live in one module each, in the order data flows:
ingest → normalize → segment → extract → resolve → rdf → export / query / views.
"""

__version__ = "0.1.0"
