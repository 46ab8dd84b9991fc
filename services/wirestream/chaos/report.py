"""The chaos report: a table per run for people, one JSON document for tools (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wirestream.chaos.results import FaultOutcome, RunResult

MAX_LISTED = 20
"""Lost messages and duplicates listed in the text report per run (the JSON has all)."""


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def fault_line(outcome: FaultOutcome) -> str:
    recovery = "never (stalled)" if outcome.recovery is None else f"{outcome.recovery:.1f} s"
    parts = [f"t={_seconds(outcome.started)}s {outcome.fault.describe()}"]
    if outcome.error:
        parts.append(outcome.error)
    else:
        parts.append(f"recovered in {recovery}")
    if outcome.exit_code is not None:
        parts.append(f"exit code {outcome.exit_code}")
    if outcome.restarted is not None:
        parts.append(f"started again t={outcome.restarted:.1f}s")
    return "; ".join(parts)


def run_text(result: RunResult, exactly_once: bool) -> list[str]:
    rec = result.reconciliation
    verdict = "FAIL" if result.failed(exactly_once) else "ok"
    stages = ", ".join(f"{k} {v}" for k, v in rec.dead_letters_by_stage.items()) or "none"
    partition, stall = result.stall
    lines = [
        f"run {result.number}: {verdict}  seed {result.seed}  prefix {result.prefix}",
        f"  raw {rec.raw}, accounted {rec.accounted}, LOST {len(rec.lost)}, "
        f"duplicated-visible {len(rec.duplicates)} (byte-identical {rec.identical_duplicates}, "
        f"differing {rec.differing_duplicates}), duplicate dead letters {rec.duplicate_dead_letters}",
        f"  dead letters by stage: {stages}",
        f"  all accounted after {_seconds(result.completed_after)} s (publishing took "
        f"{result.publish_seconds:.0f} s); longest stall: {stall:.1f} s"
        + (f" on partition {partition}" if partition is not None else ""),
    ]
    lines.extend(f"  fault: {fault_line(o)}" for o in result.faults)
    skipped = {(m.partition, m.offset) for m in result.skipped()}
    if rec.lost:
        lines.append(
            f"  of the lost: {len(skipped)} committed past by the group (skipped for good), "
            f"{len(rec.lost) - len(skipped)} at or after its committed offset (stalled)"
        )
    for message in rec.lost[:MAX_LISTED]:
        how = "skipped" if (message.partition, message.offset) in skipped else "stalled"
        lines.append(
            f"  lost ({how}): partition {message.partition} offset {message.offset}: {message.what}"
        )
    for dup in rec.duplicates[:MAX_LISTED]:
        how = "byte-identical" if dup.identical else "DIFFERING"
        lines.append(f"  duplicate: {dup.record_id} x{dup.copies} ({how})")
    if len(rec.lost) > MAX_LISTED or len(rec.duplicates) > MAX_LISTED:
        lines.append("  (more in --json)")
    poison = result.poison()
    if poison:
        lines.append("  poison: " + ", ".join(f"{k} -> {v}" for k, v in poison.items()))
    for name, seconds in result.health.items():
        if seconds["unhealthy"] or seconds["unreachable"]:
            lines.append(
                f"  {name}: non-200 {seconds['unhealthy']:.1f} s, no answer {seconds['unreachable']:.1f} s"
            )
    stuck = {k: v for k, v in result.shutdown.items() if v not in (0, None)}
    if stuck:
        lines.append(f"  final SIGTERM: exit codes {stuck} (-9: killed after 30 s)")
    lines.extend(f"  note: {note}" for note in result.notes)
    lines.append(f"  logs: {result.work_dir}")
    lines.append(f"  replay: {result.replay}")
    return lines


def summary_table(results: Sequence[RunResult], exactly_once: bool) -> list[str]:
    header = [
        "run",
        "seed",
        "raw",
        "accounted",
        "lost",
        "dup identical",
        "dup differing",
        "worst recovery s",
        "verdict",
    ]
    rows = [header, ["---"] * len(header)]
    for r in results:
        recoveries = [o.recovery for o in r.faults if o.started is not None and not o.error]
        worst = (
            "never"
            if None in recoveries
            else _seconds(max((x for x in recoveries if x is not None), default=None))
        )
        rec = r.reconciliation
        rows.append(
            [
                str(r.number),
                str(r.seed),
                str(rec.raw),
                str(rec.accounted),
                str(len(rec.lost)),
                str(rec.identical_duplicates),
                str(rec.differing_duplicates),
                worst,
                "FAIL" if r.failed(exactly_once) else "ok",
            ]
        )
    return ["| " + " | ".join(row) + " |" for row in rows]


def render(results: Sequence[RunResult], exactly_once: bool) -> str:
    lines: list[str] = []
    for result in results:
        lines.extend(run_text(result, exactly_once))
        lines.append("")
    lines.extend(summary_table(results, exactly_once))
    return "\n".join(lines)


def to_json(results: Sequence[RunResult], *, exactly_once: bool, command: str) -> dict[str, Any]:
    return {
        "command": command,
        "exactly_once": exactly_once,
        "failed": any(r.failed(exactly_once) for r in results),
        "runs": [run_json(r, exactly_once) for r in results],
    }


def run_json(result: RunResult, exactly_once: bool) -> dict[str, Any]:
    rec = result.reconciliation
    return {
        "run": result.number,
        "seed": result.seed,
        "replay": result.replay,
        "topic_prefix": result.prefix,
        "work_dir": str(result.work_dir),
        "failed": result.failed(exactly_once),
        "raw": rec.raw,
        "accounted": rec.accounted,
        "lost": [m.as_dict() for m in rec.lost],
        "lost_committed_past": [m.as_dict() for m in result.skipped()],
        "final_committed_offsets": {str(p): o for p, o in sorted(result.committed.items())},
        "duplicates": [d.__dict__ for d in rec.duplicates],
        "duplicate_dead_letters": rec.duplicate_dead_letters,
        "dead_letters_by_stage": rec.dead_letters_by_stage,
        "unreadable_outputs": rec.unreadable_outputs,
        "poison": result.poison(),
        "completed_after_s": result.completed_after,
        "publish_s": round(result.publish_seconds, 1),
        "longest_stall": {"partition": result.stall[0], "seconds": round(result.stall[1], 1)},
        "faults": [fault_json(o) for o in result.faults],
        "health_seconds": result.health,
        "health_transitions": [t.as_dict() for t in result.transitions],
        "final_sigterm_exit_codes": result.shutdown,
        "notes": result.notes,
    }


def fault_json(outcome: FaultOutcome) -> dict[str, Any]:
    return {
        "kind": outcome.fault.kind,
        "planned_at": round(outcome.fault.at, 2),
        "describe": outcome.fault.describe(),
        "started": outcome.started,
        "effective": outcome.effective,
        "restarted": outcome.restarted,
        "exit_code": outcome.exit_code,
        "error": outcome.error,
        "recovery_s": outcome.recovery,
    }
