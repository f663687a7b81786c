"""The shuffle volume per scan stage, read from an event log (no Spark needed)."""

import json

from fraudscan_spark import eventlog


def event_log(path):
    def job(job_id, group, stages):
        return {"Event": "SparkListenerJobStart", "Job ID": job_id, "Stage IDs": stages,
                "Properties": {"spark.jobGroup.id": group}}

    def done(stage, written, records):
        return {"Event": "SparkListenerStageCompleted", "Stage Info": {"Stage ID": stage, "Accumulables": [
            {"Name": eventlog.WRITTEN, "Value": written}, {"Name": eventlog.RECORDS, "Value": records},
            {"Name": "internal.metrics.shuffle.read.remoteBytesRead", "Value": 999}]}}

    events = [{"Event": "SparkListenerLogStart"}, job(0, "read", [0, 1]), done(0, 100, 10), done(1, 50, 5),
              job(1, "dense-block", [2, 3]), done(2, 7_000_000, 70), job(2, "read", [4])]  # stage 3 skipped, 4 running
    path.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    return str(path)


def test_shuffle_bytes_are_summed_per_job_group(tmp_path):
    groups = eventlog.read(event_log(tmp_path / "log"))
    assert list(groups) == ["read", "dense-block"]
    assert (groups["read"].jobs, groups["read"].stages, groups["read"].bytes_written) == (2, 2, 150)
    assert (groups["dense-block"].stages, groups["dense-block"].records_written) == (1, 70)
    text = eventlog.table(groups)
    assert "| dense-block | 1 | 1 | 7.0 | 70 |" in text and "| total | | | 7.0 | 85 |" in text


def test_a_rolling_log_directory_is_read_in_order(tmp_path):
    log = tmp_path / "eventlog_v2_app"
    log.mkdir()
    lines = open(event_log(tmp_path / "whole")).read().splitlines()
    (log / "events_2_app").write_text("\n".join(lines[4:]) + "\n")
    (log / "events_1_app").write_text("\n".join(lines[:4]) + "\n")
    assert eventlog.table(eventlog.read(str(log))) == eventlog.table(eventlog.read(str(tmp_path / "whole")))
