"""Reading a signal set (the contract's CSVs, or Parquet files of the same columns) from any
path Spark reads: a local directory, hdfs://, s3a://, ..."""

from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

REQUIRED = {
    "accounts": ["account"],
    "payments": ["id", "src", "dst", "amount", "ts"],
    "interactions": ["src", "dst", "kind", "ts"],
    "profile_edits": ["account", "field", "value", "ts"],
}
OPTIONAL = {"accounts": ["created_at"], "interactions": ["rating"], "payments": [], "profile_edits": []}


class SignalSetError(Exception):
    pass


@dataclass
class SignalSet:
    accounts: DataFrame  # account, created_at (long seconds or null), created_at_raw, order
    payments: DataFrame  # id, src, dst, amount (raw string), ts (long), ts_raw
    interactions: DataFrame  # src, dst, kind, ts (long), rating (double or null)
    profile_edits: DataFrame  # account, field, value, ts (long), row (input order)
    has: dict
    signals: int


def _path(base, name):
    return base.rstrip("/") + "/" + name


def _exists(spark, path):
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    p = jvm.org.apache.hadoop.fs.Path(path)
    return p.getFileSystem(conf).exists(p)


def seconds(col):
    """Integer Unix seconds or ISO-8601 UTC (`2026-03-01T12:00:00Z`, fractions allowed) as a long;
    null when it is neither (`try_` forms: Spark 4's ANSI mode would throw instead)."""
    c = F.trim(col)
    return F.when(c.rlike(r"^-?[0-9]+$"), c.try_cast("long")).otherwise(
        F.unix_timestamp(F.try_to_timestamp(F.regexp_replace(c, r"Z$", ""), F.lit("yyyy-MM-dd'T'HH:mm:ss[.SSSSSS]")))
    )


def _read(spark, base, name, fmt):
    if fmt in ("auto", "parquet") and _exists(spark, _path(base, name + ".parquet")):
        df = spark.read.parquet(_path(base, name + ".parquet"))
        return df.select([F.col(c).cast("string").alias(c) for c in df.columns]), _path(base, name + ".parquet")
    if fmt in ("auto", "csv") and _exists(spark, _path(base, name + ".csv")):
        df = (
            spark.read.option("header", True)
            .option("multiLine", True)  # RFC 4180: quoted fields may hold line breaks
            .option("escape", '"')
            .option("mode", "FAILFAST")
            .option("inferSchema", False)
            .csv(_path(base, name + ".csv"))
        )
        return df, _path(base, name + ".csv")
    return None, None


def _check(df, file, columns):
    """The header's required columns (TableFile.resolve's messages)."""
    for c in columns:
        if c not in df.columns:
            raise SignalSetError(f'{file}:1: the header has no required column "{c}"')
    seen = {}
    for i, c in enumerate(df.columns):
        if c in seen:
            raise SignalSetError(
                f'{file}:1: column "{c}" is named twice in the header (fields {seen[c] + 1} and {i + 1})')
        seen[c] = i


def _empty(c):
    return F.col(c).isNull() | (F.col(c) == "")


TIMESTAMP = "is not a timestamp (integer Unix seconds or ISO-8601 UTC such as 2026-03-01T12:00:00Z)"
AMOUNT = "is not an amount (a non-negative decimal such as 120.50, at most six decimals)"
RATING = "is not a rating (a signed number such as -3, 4 or 2.5)"
KIND = "is not a kind: use a lower-case word such as follow or like"


def _checks(name, df):
    """(column, bad-row condition, message) of `name`'s file, in the order the Swift reader
    checks a row's fields (SignalSet+CSV.swift)."""
    def required(c, what):
        return (c, _empty(c), f"is empty; {what} is required")

    def time(c):
        return (c, ~_empty(c) & seconds(F.col(c)).isNull(), TIMESTAMP)

    if name == "accounts":
        return [required("account", "an account id"), time("created_at")]
    if name == "payments":
        amount = ~F.trim(F.col("amount")).rlike(r"^[0-9]+(\.[0-9]{1,6})?$")
        return [required("id", "a payment id"), required("src", "an account id"), required("dst", "an account id"),
                ("amount", ~_empty("amount") & amount, AMOUNT), required("amount", "an amount"),
                required("ts", "a timestamp"), time("ts")]
    if name == "interactions":
        rating = ~_empty("rating") & F.trim(F.col("rating")).try_cast("double").isNull()
        return [required("src", "an account id"), required("dst", "an account id"),
                required("kind", "a kind (follow, like, …)"), ("kind", ~_empty("kind") & ~F.col("kind").rlike(r"^[a-z0-9_-]+$"), KIND),
                required("ts", "a timestamp"), time("ts"), ("rating", rating, RATING)]
    return [required("account", "an account id"), required("field", "a field name"), required("ts", "a timestamp"),
            time("ts")]


def _line_of(spark, path, record):
    """The 1-based line on which data record `record` (0-based, after the header) of the CSV
    file at `path` starts, counting lines inside quoted fields as the Swift reader does."""
    import csv
    import io

    if "://" not in path or path.startswith("file:"):
        handle = open(path.removeprefix("file://").removeprefix("file:"), newline="", encoding="utf-8", errors="replace")
    else:  # a remote file: fetched whole, only to name the line of an error
        handle = io.StringIO(spark.sparkContext.binaryFiles(path).first()[1].decode("utf-8", "replace"), newline="")
    with handle:
        reader = csv.reader(handle)
        before, index = 0, -1
        for fields in reader:
            start = before + 1
            before = reader.line_num
            if not fields:
                continue  # a blank line holds no record
            if index == record:
                return start
            index += 1
    return None


def _validate(spark, name, raw, file):
    """Raises SignalSetError for the first bad field of the file (the earliest record; within
    it, the first field the Swift reader checks), naming file, line and column."""
    checks = _checks(name, raw)
    first = raw.agg(*[F.min(F.when(cond, F.col("_row"))) for _, cond, _ in checks]).first()
    found = [(row, i) for i, row in enumerate(first) if row is not None]
    if not found:
        return
    row, i = min(found)
    column, _, message = checks[i]
    hit = raw.where(F.col("_row") == row).select(F.input_file_name().alias("path"), F.col(column).alias("value")).first()
    record = row & ((1 << 33) - 1)  # one partition per file (multiLine): its record number
    line = _line_of(spark, hit["path"], record) if file.endswith(".csv") else None
    where = f"{file}:{line}" if line is not None else f"{file} (record {record + 2})"
    field = raw.columns.index(column) + 1
    value = hit["value"] if hit["value"] is not None else ""
    raise SignalSetError(f'{where}: column "{column}" (field {field}): "{value}" {message}')


def load(spark: SparkSession, base: str, fmt: str = "auto", validate: bool = True) -> SignalSet:
    frames, files = {}, {}
    for name in REQUIRED:
        df, file = _read(spark, base, name, fmt)
        if df is not None:
            _check(df, file, REQUIRED[name])
            for c in OPTIONAL[name]:
                if c not in df.columns:
                    df = df.withColumn(c, F.lit(None).cast("string"))
            # The record's position: one partition per file (multiLine), so within a file
            # the id counts its records in order (the Swift reader's input order).
            frames[name], files[name] = df.withColumn("_row", F.monotonically_increasing_id()), file
    if not any(n in frames for n in ("payments", "interactions", "profile_edits")):
        raise SignalSetError(f"{base}: no payments, interactions or profile_edits file (.csv or .parquet)")
    if validate:
        for name, file in files.items():
            _validate(spark, name, frames[name], file)

    empty = {
        "payments": "id string, src string, dst string, amount string, ts string, _row long",
        "interactions": "src string, dst string, kind string, ts string, rating string, _row long",
        "profile_edits": "account string, field string, value string, ts string, _row long",
        "accounts": "account string, created_at string, _row long",
    }
    for name, schema in empty.items():
        if name not in frames:
            frames[name] = spark.createDataFrame([], schema)

    p = frames["payments"].select(
        "id", "src", "dst", F.trim("amount").alias("amount"), seconds(F.col("ts")).alias("ts"), F.col("ts").alias("ts_raw"),
        F.col("_row").alias("row"),
    )
    i = frames["interactions"].select(
        "src", "dst", "kind", seconds(F.col("ts")).alias("ts"), F.trim(F.col("rating")).try_cast("double").alias("rating"),
        F.col("rating").alias("rating_raw"), F.col("ts").alias("ts_raw"), F.col("_row").alias("row"),
    )
    e = frames["profile_edits"].select(
        "account", "field", "value", seconds(F.col("ts")).alias("ts"), F.col("_row").alias("row"), F.col("ts").alias("ts_raw"),
    )
    a = frames["accounts"].select(
        "account", seconds(F.col("created_at")).alias("created_at"), F.col("created_at").alias("created_at_raw"),
        F.col("_row").alias("order"),
    )
    # Accounts seen only in other files are created implicitly, after the listed ones.
    seen = (
        p.select(F.col("src").alias("account")).union(p.select("dst")).union(i.select("src")).union(i.select("dst"))
        .union(e.select("account")).distinct()
    )
    implicit = seen.join(a.select("account"), "account", "left_anti").select(
        "account", F.lit(None).cast("long").alias("created_at"), F.lit(None).cast("string").alias("created_at_raw"),
        F.lit(None).cast("long").alias("order"),
    )
    accounts = a.dropDuplicates(["account"]).unionByName(implicit)
    p, i, e = p.cache(), i.cache(), e.cache()
    counts = [p.count(), i.count(), e.count()]
    return SignalSet(accounts.cache(), p, i, e, {k: k in files for k in REQUIRED}, sum(counts))


def account_order(s: SignalSet, ids: list) -> dict:
    """Each of `ids`' position in the Swift scan's account order (its interning order): listed
    in accounts.csv first, then by first appearance in payments (src, dst), interactions (src,
    dst) and profile edits. A sortable key per id, not a dense index."""
    if not ids:
        return {}
    spark = s.accounts.sparkSession
    wanted = spark.createDataFrame([(x,) for x in ids], "account string")

    def seen(df, rank, column, pos, row):
        return df.select(F.col(column).alias("account"), F.struct(F.lit(rank).alias("f"), F.col(row).alias("r"),
                                                                   F.lit(pos).alias("p")).alias("k"))

    a = s.accounts.where(F.col("order").isNotNull())
    appearances = (
        seen(a, 0, "account", 0, "order").union(seen(s.payments, 1, "src", 0, "row")).union(seen(s.payments, 1, "dst", 1, "row"))
        .union(seen(s.interactions, 2, "src", 0, "row")).union(seen(s.interactions, 2, "dst", 1, "row"))
        .union(seen(s.profile_edits, 3, "account", 0, "row"))
    )
    rows = appearances.join(wanted, "account").groupBy("account").agg(F.min("k").alias("k")).collect()
    return {r["account"]: (r["k"]["f"], r["k"]["r"], r["k"]["p"]) for r in rows}
