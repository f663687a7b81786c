"""The report port without Spark: ClusterRanking's grouping, scoring, links and JSON."""

import json

from fraudscan_spark.report import Finding, rank, report_json, round_to


def test_a_finding_joins_the_cluster_holding_more_than_half_of_its_accounts():
    f = [
        Finding("bought_engagement", "dense-block", 10.0, ["a", "b", "c", "d"], {"x": 1}),
        Finding("bought_engagement", "lockstep", 8.0, ["a", "b", "c", "e"], {"y": 2}),
        Finding("bought_engagement", "lockstep", 7.0, ["d", "f", "g", "h"], {"z": 3}),
        Finding("fake_profile", "rare-shared-values", 9.0, ["a", "b"], {}),
    ]
    c = rank(f)
    assert [x["detector"] for x in c] == ["dense-block+lockstep", "rare-shared-values", "lockstep"]
    assert c[0]["score"] == 10.8 and c[0]["accounts"] == ["a", "b", "c", "d", "e"]
    assert [p["detector"] for p in c[0]["evidence"]["findings"]] == ["dense-block", "lockstep"]
    # The third finding shares one account (d) with the first cluster: linked, not merged.
    assert c[2]["related"] == [{"rank": 1, "shared_count": 1, "shared": ["d"]}]
    assert c[0]["related"] == [{"rank": 3, "shared_count": 1, "shared": ["d"]}]
    assert "related" not in c[1]


def test_size_note_on_a_cluster_holding_a_tenth_of_its_kind():
    f = [Finding("circular_payment", "circular-payment", 5.0, [f"a{i}" for i in range(20)], {"reason": "r"})]
    (c,) = rank(f)
    assert c["evidence"]["size_note"].startswith("This cluster holds 20 of the 20 accounts flagged as circular_payment")


def test_json_like_swift():
    text = report_json([{"rank": 1, "score": 12.0, "evidence": {"d": 0.5}}], ["dense-block"], 3, [])
    doc = json.loads(text)
    assert doc == {"clusters": [{"rank": 1, "score": 12, "evidence": {"d": 0.5}}], "detectors": ["dense-block"], "signals": 3}
    assert '"score" : 12\n' in text and "warnings" not in text
    assert round_to(2.345, 2) == 2.35 and round_to(-0.5, 0) == -1.0
