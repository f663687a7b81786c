"""The block test's crowd rules (EngagementBlockTest: mutual ties, independent targets,
established endorsers) on the Spark scan, compared account by account with `fraudscan scan`:
the fixtures with honest crowds and small or patient farms, and one tiny hand-built set per
rule (`crowds.py`). Before the rules were ported, the Spark scan flagged the honest crowds of
all four fixtures and the spared accounts of every tiny set.

Then the block test's refinements (completion of passing blocks, burst customers, the window
anchored on the customers by share): `light` and `stealth` failed before they were ported, and
`patient-farm` (fakes following `radio_max` the day they are made) fails without the anchor."""

import os

import pytest

from compare import compare, evidence, findings, reference
from test_compare import ROOT, check, spark_report

ENGAGEMENT = {"dense-block", "lockstep", "spectral"}


@pytest.mark.parametrize("fixture", ["honest-viral-burst", "honest-club", "small-aged-farm", "patient-farm"])
def test_crowd_fixture(spark, binary, fixture):
    """Spark flags exactly the bought_engagement accounts `fraudscan scan` flags (nobody on the
    two honest fixtures), with the same findings and the block test's evidence."""
    path = os.path.join(ROOT, "fixtures", fixture)
    ref = reference(binary, path)
    got = spark_report(spark, path, "--fraudscan-bin", binary)
    diff = compare(ref, got)["bought_engagement"]
    assert diff["only_spark"] == [], f"{len(diff['only_spark'])} flagged by Spark only: {diff['only_spark'][:10]}"
    assert diff["only_reference"] == [], f"{len(diff['only_reference'])} missed by Spark: {diff['only_reference'][:10]}"
    if fixture.startswith("honest-"):
        assert diff["both"] == []
    else:
        assert diff["both"], "the farm is found by both"
    assert findings(got, ENGAGEMENT) == findings(ref, ENGAGEMENT)
    for detector in ENGAGEMENT:
        assert evidence(got, detector) == evidence(ref, detector)
    check(ref, got)


def bought(report):
    """The accounts of the report's bought_engagement clusters."""
    return {a for c in report["clusters"] if c["kind"] == "bought_engagement" for a in c["accounts"]}


def both_scans(spark, binary, path, *extra):
    """The single-process and the Spark report of `path` (Spark: the engagement detectors only),
    checked to flag the same bought_engagement accounts with the same findings and evidence."""
    ref = reference(binary, path, *extra)
    got = spark_report(spark, path, "--fraudscan-bin", binary, "--skip",
                       "contested-reputation,circular-payment,gather-scatter,structured-flow,rare-shared-values,"
                       "near-duplicate-text,edit-burst", *extra)
    assert bought(got) == bought(ref)
    assert findings(got, ENGAGEMENT) == findings(ref, ENGAGEMENT)
    for detector in ENGAGEMENT:
        assert evidence(got, detector) == evidence(ref, detector)
    return ref, got


def block_evidence(report):
    """Every bought-engagement finding's evidence, merged clusters' read one by one."""
    return [e for d in ENGAGEMENT for e in evidence(report, d).values()]


@pytest.fixture(scope="module")
def crowd_sets(tmp_path_factory):
    import crowds

    root = tmp_path_factory.mktemp("crowds")
    return {name: write(str(root / name)) for name, write in crowds.SETS.items()}


def test_mutual_ties_are_no_block_unless_a_fast_ring(spark, binary, crowd_sets):
    """Rule 1: a club whose members follow each other over 6 days is no block (its endorsements
    are all returned); a ring doing the same within 12 hours is reported as a ring."""
    _, got = both_scans(spark, binary, crowd_sets["mutual"])
    assert bought(got) == {f"ring{i}" for i in range(6)}
    assert all(e["returned_endorsements"] == 30 and "a ring trading endorsements" in e["reason"]
               for e in block_evidence(got))


def test_ring_seconds_is_read_from_the_settings(spark, binary, crowd_sets, tmp_path):
    """`ring_seconds` below the ring's 12 hours: the ring is no longer reported, by either scan."""
    conf = tmp_path / "ring.json"
    conf.write_text('{"engagement-block-test": {"ring_seconds": 3600}}')
    _, got = both_scans(spark, binary, crowd_sets["mutual"], "--config", str(conf))
    assert bought(got) == set()


def test_customers_tied_before_the_block_are_one_target(spark, binary, crowd_sets):
    """Rule 2: fans bursting onto a singer and the band she followed months before are a burst
    toward one target; the same burst onto two unrelated shops is a farm."""
    _, got = both_scans(spark, binary, crowd_sets["targets"])
    assert bought(got) == {f"fake{i}" for i in range(10)} | {"shop_a", "shop_b"}
    assert all(e["independent_targets"] == 2 for e in block_evidence(got))


def test_established_endorsers_need_two_hits_beyond_their_volume(spark, binary, crowd_sets):
    """Rule 3: a busy established rater whose three hits on a farm's customers its volume
    explains, and an established fan with one hit, are not the farm's endorsers."""
    _, got = both_scans(spark, binary, crowd_sets["established"])
    assert bought(got) == {f"fake{i}" for i in range(4)} | {f"cust{i}" for i in range(3)}


def test_a_farms_light_endorsers_join_its_block(spark, binary, crowd_sets):
    """Completion (EngagementBlockTest.completed): the 12 fakes that served only 3 of the farm's
    12 customers, left out of the densest block FRAUDAR's peeling returns, join dense-block's
    finding on their hits within its window beyond their volume (lockstep and spectral reach
    them on their own; before the port Spark's dense-block finding held the 20 dense fakes
    only, score 230.45 against 275.71); the customers' honest followers stay out."""
    _, got = both_scans(spark, binary, crowd_sets["light"])
    assert bought(got) == {f"lfake{e:02d}" for e in range(32)} | {f"lcust{c:02d}" for c in range(12)}
    assert max(e["endorsers"] for e in evidence(got, "dense-block").values()) == 32


def test_a_stealth_farms_customers_are_customers_by_burst(spark, binary, crowd_sets):
    """Burst customers (EngagementBlockTest.isCustomer): the farm gives each customer a third of
    its endorsers, not half, but is its burst, so the farm and its customers are reported."""
    _, got = both_scans(spark, binary, crowd_sets["stealth"])
    assert bought(got) == {f"sfake{e}" for e in range(6)} | {f"scust{c}" for c in range(3)}
