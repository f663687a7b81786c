"""fBox's per-degree percentile (fraudscan 31ece0e): `engagement.fbox_unexplained` ranks each
degree class's low shares on the executors; it must flag exactly the endorsers that
SpectralSpokeDetector.unexplained's sort per class flags, ties and empty classes included."""

import math
import random

from fraudscan_spark import engagement


def swift_unexplained(shares, share, percentile):
    """SpectralSpokeDetector.unexplained, line by line, over (i, b, e) triples."""
    classes = {}
    for _, b, e in shares:
        classes.setdefault(b, []).append(e)
    cut = {}
    for b, es in classes.items():
        s = sorted(es)
        cut[b] = s[min(len(s) - 1, int(percentile * len(s)))]
    return sorted(i for i, b, e in shares if e < share and e <= cut[b])


def test_degree_class_is_swifts_half_octave_bin():
    for d in list(range(2, 5000)) + [2**20, 2**20 + 1, 3**12, 10**6]:
        assert engagement.degree_class(d) == int(2 * math.log2(d)), d


def test_the_percentile_rounds_as_swift_does():
    assert engagement._rounded(0.05 * 100) == 5
    assert engagement._rounded(2.5) == 3  # Python's round() gives 2
    assert engagement._rounded(0.0) == 0 and engagement._rounded(100.0) == 100


def test_fbox_unexplained_is_the_swift_quantile_per_class(spark):
    rng = random.Random(31)
    shares = []
    for i in range(3000):
        b = rng.choice([2, 3, 4, 5, 9])
        # Shares on a coarse grid, so that a class's quantile is often tied; class 9 is all
        # above the explained share, class 5 all below it.
        e = {9: 0.6 + rng.randrange(10) / 10, 5: rng.randrange(10) / 40}.get(b, rng.randrange(40) / 40)
        shares.append((i, b, e))
    df = spark.createDataFrame(shares, "i long, b int, e double")
    for percentile in (0.05, 0.2, 1.0, 1e-9):
        want = swift_unexplained(shares, 0.5, percentile)
        got = sorted(engagement.fbox_unexplained(spark, df, 0.5, percentile))
        assert got == want, percentile
        assert want, percentile
    assert engagement.fbox_unexplained(spark, df.limit(0), 0.5, 0.05) == []
