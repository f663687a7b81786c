"""`python -m fraudscan_spark scan INPUT --out REPORT.json`."""

import argparse
import os
import shutil
import sys
import time

from .report import report_json, rank

# The single-process scan's detector order (Scanner.standard).
ORDER = ["dense-block", "lockstep", "spectral", "contested-reputation", "circular-payment", "gather-scatter", "structured-flow",
         "rare-shared-values", "near-duplicate-text", "edit-burst"]


def parser():
    p = argparse.ArgumentParser(prog="fraudscan_spark", description="fraudscan's batch scan on Apache Spark")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scan", help="scan a signal set and write the contract's report JSON")
    s.add_argument("input", help="signal-set directory: any path Spark reads (file:, hdfs://, s3a://)")
    s.add_argument("--out", required=True, help="the report JSON (a local path on the driver; '-' for standard output)")
    s.add_argument("--input-format", choices=["auto", "csv", "parquet"], default="auto",
                   help="read NAME.parquet or NAME.csv (auto: Parquet when present)")
    s.add_argument("--master", default=None, help="Spark master when not given by spark-submit (default local[2])")
    s.add_argument("--fraudscan-bin", default=None,
                   help="the fraudscan binary run on executors for payments (default: fraudscan on PATH, else .build/release "
                        "or .build/debug); with --archives, the path inside the unpacked archive, e.g. fraudscan.tgz/fraudscan")
    s.add_argument("--partition-payments", type=int, default=2_000_000,
                   help="most payments handed to one fraudscan run (components are packed, larger ones cut in time windows)")
    s.add_argument("--window-days", type=float, default=180, help="time window of an oversized payment component")
    s.add_argument("--overlap-days", type=float, default=60, help="overlap of consecutive windows (structured-flow links 60 days)")
    s.add_argument("--config", default=None,
                   help="a settings file as `fraudscan scan --config` reads (JSON, or TOML by its .toml name); "
                        "`fraudscan config --defaults` prints every setting")
    s.add_argument("--endorsements", default=None,
                   help="interaction kinds that endorse (default: the settings' endorsements.kinds, follow,like)")
    s.add_argument("--max-blocks", type=int, default=20, help="D-Cube blocks peeled at most (a region above 2 M edges)")
    s.add_argument("--patience", type=int, default=5, help="failed D-Cube blocks in a row after which peeling stops")
    s.add_argument("--skip", default="", help="comma-separated detectors not to run (e.g. near-duplicate-text)")
    s.add_argument("--top", type=int, default=0, help="keep only the top N clusters (0: all)")
    s.add_argument("--event-log", default=None, metavar="DIR",
                   help="write Spark's event log into DIR (each scan stage a job group; see the shuffle command)")
    s.add_argument("--quiet", action="store_true")
    sh = sub.add_parser("shuffle", help="shuffle bytes written per scan stage, from an event log of --event-log")
    sh.add_argument("eventlog", help="the event log: a file, or a rolling log's directory (DIR/eventlog_v2_APP-ID)")
    return p


def session(master=None, event_log=None):
    """The Spark session: spark-submit's master, else `master` (default local[2]); with
    `event_log`, Spark's event log is written into that directory."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("fraudscan-scan").config("spark.sql.session.timeZone", "UTC")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if event_log:
        os.makedirs(event_log, exist_ok=True)
        builder = builder.config("spark.eventLog.enabled", "true").config("spark.eventLog.dir", event_log)
        builder = builder.config("spark.eventLog.compress", "false").config("spark.eventLog.rolling.enabled", "false")
    # Under spark-submit (which starts this driver with PYSPARK_GATEWAY_PORT set) the master
    # and every setting come from its command line; --master here still wins when given.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if master or not submitted:
        m = master or "local[2]"
        builder = builder.master(m).config("spark.ui.enabled", "false")
        # Small local runs: few shuffle partitions (a cluster run keeps its own settings).
        builder = builder.config("spark.sql.shuffle.partitions", "4").config("spark.default.parallelism", "2")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    ship_package(spark)
    return spark


def ship_package(spark):
    """Executors unpickle this package's functions (UDFs, the payment partitions' runner):
    zip it and add it to the context, so that neither `--py-files` nor an install on the
    executors is needed."""
    import atexit
    import tempfile
    import zipfile

    here = os.path.dirname(os.path.abspath(__file__))
    directory = tempfile.mkdtemp(prefix="fraudscan-spark-")
    # The driver serves the zip from this path for the session's whole life:
    # removed when the process ends, not before.
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    path = os.path.join(directory, "fraudscan_spark.zip")
    with zipfile.ZipFile(path, "w") as z:
        for name in sorted(os.listdir(here)):
            if name.endswith(".py"):
                z.write(os.path.join(here, name), f"fraudscan_spark/{name}")
    spark.sparkContext.addPyFile(path)


def read_settings(args):
    """The settings of `--config` (the defaults without it), checked before Spark starts."""
    from . import payments, settings

    binary = payments.find_binary(args.fraudscan_bin)
    return settings.load(args.config, binary if os.access(binary, os.X_OK) else shutil.which(binary))


def scan(args):
    args.settings = read_settings(args)
    spark = session(args.master, args.event_log)
    try:
        text = run_scan(spark, args)
    finally:
        spark.stop()
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


def run_scan(spark, args):
    """The report JSON (text) of scanning `args.input` on `spark`."""
    import warnings as pywarnings

    from . import contested, edit_burst, engagement, fake_profiles, payments, settings, signals

    pywarnings.filterwarnings("ignore", message="Arrow optimization failed")
    log = (lambda m: None) if args.quiet else (lambda m: print(f"fraudscan_spark: {m}", file=sys.stderr, flush=True))
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = time.time()
    timings = {}

    def group(name):
        spark.sparkContext.setJobGroup(name, name)

    def timed(name, fn):
        group(name)
        t = time.time()
        out = fn()
        timings[name] = time.time() - t
        log(f"{name}: {len(out[0]) if isinstance(out, tuple) else len(out)} finding(s) in {timings[name]:.1f} s")
        return out

    binary = payments.find_binary(args.fraudscan_bin)
    conf = getattr(args, "settings", None) or read_settings(args)
    endorse = conf["endorsements"]
    kinds = [k.strip() for k in args.endorsements.split(",") if k.strip()] if args.endorsements else endorse["kinds"]
    engagement.configure_block_test(conf["engagement-block-test"])
    group("read")
    s = signals.load(spark, args.input, args.input_format)
    node_count = s.accounts.count()
    log(f"read {s.signals} signals, {node_count} accounts in {time.time() - started:.1f} s")
    findings, warnings, ran = [], [], []

    group("endorsement graph")
    pairs = engagement.endorsements(s.interactions, kinds)
    summary = engagement.summarise(pairs, s.interactions, node_count) if pairs.limit(1).count() else None
    if "dense-block" not in skip:
        ran.append("dense-block")
        if summary:
            d = conf["dense-block"]
            findings += timed("dense-block", lambda: engagement.dense_blocks(
                spark, pairs, summary, s.accounts, minimum_density=d["minimum_density"], max_blocks=args.max_blocks,
                patience=args.patience, driver_max_blocks=d["maximum_blocks"], driver_patience=d["patience"], log=log))
    if "lockstep" not in skip:
        ran.append("lockstep")
        if summary:
            t = conf["lockstep"]
            findings += timed("lockstep", lambda: engagement.lockstep(
                spark, pairs, summary, s.accounts, window=t["window"], minimum_endorsers=t["minimum_endorsers"],
                minimum_targets=t["minimum_targets"], burst_alpha=t["burst_alpha"], fresh_seconds=t["fresh_account_seconds"]))
    if "spectral" not in skip:
        ran.append("spectral")
        if summary:
            t = conf["spectral"]
            findings += timed("spectral", lambda: engagement.spectral(
                spark, pairs, summary, s.accounts, rank=t["rank"], explained_share=t["explained_share"],
                unexplained_percentile=t["unexplained_percentile"], spoke_share=t["spoke_share"],
                max_spoke_accounts=t["max_spoke_accounts"],
                minimum_density=conf["dense-block"]["minimum_density"], log=log))
    if "contested-reputation" not in skip:
        ran.append("contested-reputation")
        t = conf["contested-reputation"]
        findings += timed("contested-reputation", lambda: contested.contested_reputation(
            spark, s.interactions, lambda ids: signals.account_order(s, ids), kinds, endorse["disapproval_kinds"],
            minimum_negatives=t["minimum_negatives"], minimum_fairness=t["minimum_fairness"],
            false_discovery_rate=t["false_discovery_rate"], log=log))
    if not set(payments.PAYMENT_DETECTORS) <= skip:
        pf, pw = timed("payments", lambda: payments.scan_payments(
            s, binary, args.partition_payments, int(args.window_days * 86400), int(args.overlap_days * 86400),
            spark.sparkContext.defaultParallelism, log=log, settings_json=settings.as_json(conf)))
        findings += pf
        warnings += pw
        ran += payments.PAYMENT_DETECTORS
    group("profile value statistics")
    if s.profile_edits.limit(1).count() > 0:
        n_active, stats = fake_profiles.value_statistics(s.profile_edits)
    else:
        n_active, stats = 0, None
    if "rare-shared-values" not in skip:
        ran.append("rare-shared-values")
        if stats is not None:
            t = conf["rare-shared-values"]
            findings += timed("rare-shared-values", lambda: fake_profiles.rare_shared_values(
                s.profile_edits, stats, min_shared=t["min_shared_values"], min_accounts=t["min_accounts"]))
    if "near-duplicate-text" not in skip:
        ran.append("near-duplicate-text")
        if stats is not None:
            t = conf["near-duplicate-text"]
            ix = t["index"]
            findings += timed("near-duplicate-text", lambda: fake_profiles.near_duplicate_text(
                spark, s.profile_edits, stats, n_active, threshold=t["threshold"], min_accounts=t["min_accounts"],
                min_text_bytes=t["min_text_bytes"], window=t["window"], shingle_length=ix["shingle_length"],
                bands=ix["bands"], rows_per_band=ix["rows_per_band"], max_bucket=ix["max_bucket"]))
    if "edit-burst" not in skip:
        ran.append("edit-burst")
        if stats is not None:
            t = conf["edit-burst"]
            findings += timed("edit-burst", lambda: edit_burst.edit_bursts(
                spark, s.profile_edits, stats, n_active, s.interactions, s.payments, window=t["window"],
                min_burst_accounts=t["min_burst_accounts"]))
    clusters = rank(findings)
    if args.top > 0:
        clusters = clusters[: args.top]
    detectors = [d for d in ORDER if d in ran]
    text = report_json(clusters, detectors, s.signals, warnings)
    log(f"{len(clusters)} cluster(s) in {time.time() - started:.1f} s")
    for df in (s.payments, s.interactions, s.profile_edits, s.accounts, pairs):
        df.unpersist()
    return text


def main(argv=None):
    args = parser().parse_args(argv)
    if args.command == "shuffle":
        from . import eventlog

        print(eventlog.table(eventlog.read(args.eventlog)))
        return 0
    from .settings import SettingsError
    from .signals import SignalSetError

    try:
        return scan(args)
    except (SignalSetError, SettingsError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
