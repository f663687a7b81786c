"""Shuffle volume per stage of a scan, read from Spark's event log.

Run the scan with `--event-log DIR` (spark.eventLog.enabled): each of its stages (read,
dense-block, ..., edit-burst) runs its Spark jobs in a job group named after it. Then
`python -m fraudscan_spark shuffle DIR/APP-ID` sums, per job group, the shuffle bytes and
records written by the Spark stages of its jobs (the event log's
`internal.metrics.shuffle.write.*` accumulables of each completed stage).
"""

import json
import os
import subprocess
from dataclasses import dataclass, field
from typing import Iterator

WRITTEN = "internal.metrics.shuffle.write.bytesWritten"
RECORDS = "internal.metrics.shuffle.write.recordsWritten"


@dataclass
class StageShuffle:
    """The Spark jobs and stages of one scan stage and the shuffle they wrote."""

    jobs: int = 0
    stages: int = 0
    bytes_written: int = 0
    records_written: int = 0
    stage_ids: set = field(default_factory=set)


def _lines(path: str) -> Iterator[str]:
    """The event lines of a log file or of a rolling log's directory (events_1_..., events_2_...,
    in order); a `.zstd` file (Spark's default compression) through the `zstd` command, which
    also reads a log still being written up to its last complete frame."""
    if os.path.isdir(path):
        parts = [p for p in os.listdir(path) if p.startswith("events_")]
        files = [os.path.join(path, p) for p in sorted(parts, key=lambda p: int(p.split("_")[1]))]
    else:
        files = [path]
    for file in files:
        if file.endswith(".zstd"):
            out = subprocess.run(["zstd", "-dc", file], capture_output=True)
            text = out.stdout.decode("utf-8", "replace")
        else:
            with open(file, encoding="utf-8") as f:
                text = f.read()
        for line in text.splitlines():
            if line.startswith("{") and line.endswith("}"):
                yield line


def read(path: str) -> dict[str, StageShuffle]:
    """Per job group (scan stage), in order of first appearance, what its stages wrote."""
    groups: dict[str, StageShuffle] = {}
    group_of_stage: dict[int, str] = {}
    written: dict[int, tuple[int, int]] = {}
    for line in _lines(path):
        event = json.loads(line)
        kind = event.get("Event")
        if kind == "SparkListenerJobStart":
            group = (event.get("Properties") or {}).get("spark.jobGroup.id") or "(no group)"
            g = groups.setdefault(group, StageShuffle())
            g.jobs += 1
            for s in event.get("Stage IDs", []):
                group_of_stage[s] = group
        elif kind == "SparkListenerStageCompleted":
            info = event["Stage Info"]
            values = {a.get("Name"): a.get("Value") for a in info.get("Accumulables", [])}
            written[info["Stage ID"]] = (int(values.get(WRITTEN) or 0), int(values.get(RECORDS) or 0))
    for stage, (b, r) in written.items():
        g = groups.setdefault(group_of_stage.get(stage, "(no group)"), StageShuffle())
        g.stages += 1
        g.bytes_written += b
        g.records_written += r
        g.stage_ids.add(stage)
    return groups


def table(groups: dict[str, StageShuffle]) -> str:
    """A Markdown table: stage, Spark jobs, Spark stages run, shuffle MB and records written."""
    lines = ["| stage | Spark jobs | Spark stages run | shuffle written (MB) | records |", "|---|---|---|---|---|"]
    total_b = total_r = 0
    for name, g in groups.items():
        lines.append(f"| {name} | {g.jobs} | {g.stages} | {g.bytes_written / 1e6:.1f} | {g.records_written:,} |")
        total_b += g.bytes_written
        total_r += g.records_written
    lines.append(f"| total | | | {total_b / 1e6:.1f} | {total_r:,} |")
    return "\n".join(lines)
