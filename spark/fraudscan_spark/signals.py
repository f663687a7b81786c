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
    """Integer Unix seconds or ISO-8601 UTC (`2026-03-01T12:00:00Z`, fractions allowed) as a long."""
    c = F.trim(col)
    return F.when(c.rlike(r"^-?[0-9]+$"), c.cast("long")).otherwise(
        F.unix_timestamp(F.to_timestamp(F.regexp_replace(c, r"Z$", ""), "yyyy-MM-dd'T'HH:mm:ss[.SSSSSS]"))
    )


def _read(spark, base, name, fmt):
    if fmt in ("auto", "parquet") and _exists(spark, _path(base, name + ".parquet")):
        df = spark.read.parquet(_path(base, name + ".parquet"))
        return df.select([F.col(c).cast("string").alias(c) for c in df.columns]), name + ".parquet"
    if fmt in ("auto", "csv") and _exists(spark, _path(base, name + ".csv")):
        df = (
            spark.read.option("header", True)
            .option("multiLine", True)  # RFC 4180: quoted fields may hold line breaks
            .option("escape", '"')
            .option("mode", "FAILFAST")
            .option("inferSchema", False)
            .csv(_path(base, name + ".csv"))
        )
        return df, name + ".csv"
    return None, None


def _check(df, file, columns):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SignalSetError(f"{file}: missing required column {', '.join(repr(c) for c in missing)}")
    dup = {c for c in df.columns if df.columns.count(c) > 1}
    if dup:
        raise SignalSetError(f"{file}: column {', '.join(sorted(dup))} named more than once in the header")


def _bad(df, file, column, condition, what):
    row = df.where(condition).select(column).limit(1).collect()
    if row:
        raise SignalSetError(f'{file}: column "{column}": "{row[0][0]}" is not {what}')


def load(spark: SparkSession, base: str, fmt: str = "auto", validate: bool = True) -> SignalSet:
    frames, files = {}, {}
    for name in REQUIRED:
        df, file = _read(spark, base, name, fmt)
        if df is not None:
            _check(df, file, REQUIRED[name])
            for c in OPTIONAL[name]:
                if c not in df.columns:
                    df = df.withColumn(c, F.lit(None).cast("string"))
            frames[name], files[name] = df, file
    if not any(n in frames for n in ("payments", "interactions", "profile_edits")):
        raise SignalSetError(f"{base}: no payments, interactions or profile_edits file (.csv or .parquet)")

    empty = {
        "payments": "id string, src string, dst string, amount string, ts string",
        "interactions": "src string, dst string, kind string, ts string, rating string",
        "profile_edits": "account string, field string, value string, ts string",
        "accounts": "account string, created_at string",
    }
    for name, schema in empty.items():
        if name not in frames:
            frames[name] = spark.createDataFrame([], schema)

    p = frames["payments"].select(
        "id", "src", "dst", F.trim("amount").alias("amount"), seconds(F.col("ts")).alias("ts"), F.col("ts").alias("ts_raw")
    )
    i = frames["interactions"].select(
        "src", "dst", "kind", seconds(F.col("ts")).alias("ts"), F.col("rating").cast("double").alias("rating"),
        F.col("rating").alias("rating_raw"), F.col("ts").alias("ts_raw"),
    )
    e = frames["profile_edits"].select(
        "account", "field", "value", seconds(F.col("ts")).alias("ts"), F.monotonically_increasing_id().alias("row"),
        F.col("ts").alias("ts_raw"),
    )
    a = frames["accounts"].select(
        "account", seconds(F.col("created_at")).alias("created_at"), F.col("created_at").alias("created_at_raw"),
        F.monotonically_increasing_id().alias("order"),
    )
    if validate:
        if "payments" in files:
            f = files["payments"]
            _bad(p, f, "amount", ~F.col("amount").rlike(r"^[0-9]+(\.[0-9]{1,6})?$"), "an amount (a non-negative decimal such as 120.50, at most six decimals)")
            _bad(p, f, "ts_raw", F.col("ts").isNull(), "a timestamp")
        if "interactions" in files:
            f = files["interactions"]
            _bad(i, f, "ts_raw", F.col("ts").isNull(), "a timestamp")
            _bad(i, f, "kind", ~F.col("kind").rlike(r"^[a-z0-9_-]+$"), "an interaction kind (a lower-case word)")
            _bad(i, f, "rating_raw", F.col("rating_raw").isNotNull() & (F.trim("rating_raw") != "") & F.col("rating").isNull(), "a rating")
        if "profile_edits" in files:
            _bad(e, files["profile_edits"], "ts_raw", F.col("ts").isNull(), "a timestamp")
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
