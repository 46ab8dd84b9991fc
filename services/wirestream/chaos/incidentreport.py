"""The incident campaign's report: a block per run and a table for people, one JSON document for
tools (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wirestream.chaos.incidentcheck import IncidentCheck
from wirestream.chaos.report import MAX_LISTED, fault_json, fault_line
from wirestream.chaos.results import IncidentRunResult

PROBLEMS = (
    ("lost", "lost member"),
    ("in_two", "member in two incidents"),
    ("resurrected", "retracted member back"),
    ("wrong", "wrong incident"),
    ("missing", "missing incident"),
    ("duplicate", "duplicate incidents for happening"),
)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def check_lines(check: IncidentCheck, indent: str = "  ") -> list[str]:
    lines = [
        f"{indent}members published {check.published}, standing {check.standing}; incidents "
        f"expected {check.expected}, active {check.active}; lost members {len(check.lost)}, "
        f"in two incidents {len(check.in_two)}, retracted back {len(check.resurrected)}, wrong "
        f"incidents {len(check.wrong)}, missing {len(check.missing)}, duplicate "
        f"{len(check.duplicate)}"
    ]
    for name, label in PROBLEMS:
        items = getattr(check, name)
        lines.extend(f"{indent}{label}: {item}" for item in items[:MAX_LISTED])
        if len(items) > MAX_LISTED:
            lines.append(f"{indent}({len(items) - MAX_LISTED} more {label}s in --json)")
    return lines


def run_text(result: IncidentRunResult) -> list[str]:
    verdict = "FAIL" if result.failed() else "ok"
    partition, stall = result.stall
    lines = [f"run {result.number}: {verdict}  seed {result.seed}  prefix {result.prefix}"]
    lines.extend(check_lines(result.check))
    if result.converged_at is None:
        converged = "never converged (timeout)"
    elif result.last_fault_end is None:
        converged = f"converged at t={result.converged_at:.1f}s (no fault)"
    else:
        converged = (
            f"converged {_seconds(result.converge_after_last_fault)} s after the last fault "
            f"(t={result.last_fault_end:.1f}s)"
        )
    lines.append(
        f"  {converged}; publishing took {result.publish_seconds:.0f} s; longest members-topic "
        f"stall {stall:.1f} s" + (f" on partition {partition}" if partition is not None else "")
    )
    lines.extend(f"  fault: {fault_line(o)}" for o in result.faults)
    behind = {
        p: (result.committed.get(p, 0), end)
        for p, end in result.ends.items()
        if result.committed.get(p, 0) < end
    }
    if behind:
        lines.append(
            "  members partitions committed short of their end: "
            + ", ".join(f"{p}: {o} of {e}" for p, (o, e) in sorted(behind.items()))
        )
    if result.replay_check is None:
        lines.append("  replay: not run")
    else:
        same = "same ids and contents" if not result.replay_differences else "DIFFERS"
        lines.append(
            f"  replay (no fault): {same}; converged after "
            f"{_seconds(result.replay_converged_after)} s"
        )
        lines.extend(check_lines(result.replay_check, "    "))
        lines.extend(f"    {d}" for d in result.replay_differences[:MAX_LISTED])
    for name, seconds in result.health.items():
        if seconds["unhealthy"] or seconds["unreachable"]:
            lines.append(
                f"  {name}: non-200 {seconds['unhealthy']:.1f} s, "
                f"no answer {seconds['unreachable']:.1f} s"
            )
    stuck = {k: v for k, v in result.shutdown.items() if v not in (0, None)}
    if stuck:
        lines.append(f"  final SIGTERM: exit codes {stuck} (-9: killed after 30 s)")
    lines.extend(f"  note: {note}" for note in result.notes)
    lines.append(f"  logs: {result.work_dir}")
    lines.append(f"  replay this run: {result.replay}")
    return lines


def summary_table(results: Sequence[IncidentRunResult]) -> list[str]:
    header = [
        "run",
        "seed",
        "faults",
        "members",
        "lost",
        "in two",
        "wrong/missing/dup incidents",
        "converge s after last fault",
        "replay same",
        "verdict",
    ]
    rows = [header, ["---"] * len(header)]
    for r in results:
        c = r.check
        rows.append(
            [
                str(r.number),
                str(r.seed),
                ", ".join(o.fault.kind for o in r.faults) or "none",
                str(c.published),
                str(len(c.lost)),
                str(len(c.in_two)),
                f"{len(c.wrong)}/{len(c.missing)}/{len(c.duplicate)}",
                _seconds(r.converge_after_last_fault) if r.converged_at is not None else "never",
                "yes"
                if r.replay_check and r.replay_check.ok and not r.replay_differences
                else "NO",
                "FAIL" if r.failed() else "ok",
            ]
        )
    return ["| " + " | ".join(row) + " |" for row in rows]


def render(results: Sequence[IncidentRunResult]) -> str:
    lines: list[str] = []
    for result in results:
        lines.extend(run_text(result))
        lines.append("")
    lines.extend(summary_table(results))
    return "\n".join(lines)


def to_json(results: Sequence[IncidentRunResult], *, command: str) -> dict[str, Any]:
    return {
        "command": command,
        "stage": "incidents",
        "failed": any(r.failed() for r in results),
        "runs": [run_json(r) for r in results],
    }


def run_json(result: IncidentRunResult) -> dict[str, Any]:
    return {
        "run": result.number,
        "seed": result.seed,
        "replay_command": result.replay,
        "topic_prefix": result.prefix,
        "work_dir": str(result.work_dir),
        "failed": result.failed(),
        **result.check.as_dict(),
        "publish_s": round(result.publish_seconds, 1),
        "last_fault_end_s": result.last_fault_end,
        "converged_at_s": result.converged_at,
        "converged_after_last_fault_s": result.converge_after_last_fault,
        "longest_stall": {"partition": result.stall[0], "seconds": round(result.stall[1], 1)},
        "final_committed_offsets": {str(p): o for p, o in sorted(result.committed.items())},
        "final_end_offsets": {str(p): o for p, o in sorted(result.ends.items())},
        "commits": result.commits,
        "faults": [fault_json(o) for o in result.faults],
        "replay": None
        if result.replay_check is None
        else {
            **result.replay_check.as_dict(),
            "converged_after_s": result.replay_converged_after,
            "differences": result.replay_differences,
        },
        "health_seconds": result.health,
        "final_sigterm_exit_codes": result.shutdown,
        "notes": result.notes,
    }
