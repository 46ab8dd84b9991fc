"""Wirestream: wire reports in, entity, quote and event records with exact offsets out."""

__version__ = "0.1.0"
