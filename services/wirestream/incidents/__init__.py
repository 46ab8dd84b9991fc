"""The incident stage: event records of many articles grouped into real-world happenings.

``wirestream worker incidents`` runs it (:mod:`wirestream.incidents.app`); the clustering itself is
pure (:mod:`wirestream.core.incidents`).
"""
