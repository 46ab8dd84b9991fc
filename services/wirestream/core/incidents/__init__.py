"""Incidents, the pure part: event records of many articles grouped into real-world happenings.

Plain functions and dataclasses over the contracts' models; nothing here imports faust or Kafka.

- :mod:`.members`: an article's event records summarised for clustering (``IncidentMember``);
- :mod:`.compat`: whether two members can report one happening (time, place, counts, people);
- :mod:`.cluster`: members grouped into incidents under deterministic ids;
- :mod:`.reconcile`: an incident's record (place, date, participants, reconciled counts, sources);
- :mod:`.state`: one partition key's state, updated by members and retractions, and what to
  publish after each change (updates, merges, dissolutions).
"""

from wirestream.core.incidents.cluster import cluster, incident_id
from wirestream.core.incidents.compat import DEFAULT_POLICY, Policy, compatible
from wirestream.core.incidents.members import members_of_article, partition_key
from wirestream.core.incidents.reconcile import build_incident, reconcile
from wirestream.core.incidents.state import KeyState

__all__ = [
    "DEFAULT_POLICY",
    "KeyState",
    "Policy",
    "build_incident",
    "cluster",
    "compatible",
    "incident_id",
    "members_of_article",
    "partition_key",
    "reconcile",
]
