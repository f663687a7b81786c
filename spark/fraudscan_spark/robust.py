"""Exact medians of DataFrame columns and the robust statistics built on them, as
Sources/FraudLinalg/RobustStatistics.swift computes them in one process.

The median of a column is exact (the Swift scores compare against it): a column of at most
`COLLECT_AT_MOST` values is collected; a longer one is bracketed by Spark's `approxQuantile`
(rank error at most `EPSILON` * n, Greenwald–Khanna) and only the values inside the bracket,
about 4 * EPSILON * n of them, are collected and ranked on the driver.
"""

import math

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

COLLECT_AT_MOST = 500_000
EPSILON = 0.001


def median_of(values: list[float]) -> float:
    """RobustStatistics.median: the middle value, or lower + (upper − lower) / 2 for an even count."""
    s = sorted(values)
    n = len(s)
    upper = s[n // 2]
    if n % 2 == 1:
        return upper
    lower = s[n // 2 - 1]
    return lower + (upper - lower) / 2


def _ranked(df: DataFrame, column: str, n: int, ranks: list[int]) -> list[float]:
    """The values of the given 0-based ranks (ascending) of `column`, exactly."""
    lo_p, hi_p = max(0.0, min(ranks) / n - 2 * EPSILON), min(1.0, (max(ranks) + 1) / n + 2 * EPSILON)
    lo, hi = df.approxQuantile(column, [lo_p, hi_p], EPSILON)
    c = F.col(column)
    below = df.where(c < lo).count()
    inside = sorted(r[0] for r in df.where((c >= lo) & (c <= hi)).select(column).collect())
    if below <= min(ranks) and below + len(inside) > max(ranks):
        return [inside[k - below] for k in ranks]
    values = sorted(r[0] for r in df.select(column).collect())  # the bracket missed: never expected
    return [values[k] for k in ranks]


def median(df: DataFrame, column: str, n: int | None = None) -> float:
    """The exact median of `column` (no nulls), RobustStatistics.median's value."""
    n = df.count() if n is None else n
    if n <= COLLECT_AT_MOST:
        return median_of([r[0] for r in df.select(column).collect()])
    if n % 2 == 1:
        return _ranked(df, column, n, [n // 2])[0]
    lower, upper = _ranked(df, column, n, [n // 2 - 1, n // 2])
    return lower + (upper - lower) / 2


def robust_z(df: DataFrame, columns: list[str], n: int) -> DataFrame:
    """`df` with `z_<column>` for each column: RobustStatistics.robustZScores, the modified
    z-score 0.6745 (x − median) / MAD, or (x − median) / (1.253314 · mean |x − median|) when the
    MAD is 0, or 0 when that is 0 too."""
    out = df
    for c in columns:
        center = median(df, c, n)
        dev = df.select(F.abs(F.col(c) - F.lit(center)).alias("d"))
        mad = median(dev, "d", n)
        if mad > 0:
            z = F.lit(0.6745) * (F.col(c) - F.lit(center)) / F.lit(mad)
        else:
            mean_dev = dev.agg(F.sum("d")).first()[0] / n
            z = (F.col(c) - F.lit(center)) / F.lit(1.253314 * mean_dev) if mean_dev > 0 else F.lit(0.0)
        out = out.withColumn(f"z_{c}", z)
    return out


def mahalanobis_column(zs: list[str], mean: list[float], lower_inverse: list[list[float]]):
    """The column √(Σᵢ (L⁻¹(z − μ))ᵢ²): the Mahalanobis distance under the covariance L Lᵀ."""
    centred = [F.col(z) - F.lit(m) for z, m in zip(zs, mean)]
    total = F.lit(0.0)
    for row in lower_inverse:
        y = F.lit(0.0)
        for coef, x in zip(row, centred):
            if coef != 0:
                y = y + F.lit(coef) * x
        total = total + y * y
    return F.sqrt(total)


def round1(x: float) -> float:
    """Swift's `(x * 10).rounded() / 10`, halves away from zero."""
    y = x * 10
    return math.copysign(math.floor(abs(y) + 0.5), y) / 10
