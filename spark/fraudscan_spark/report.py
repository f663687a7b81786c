"""The scan report: findings ranked into clusters as fraudscan's ClusterRanking does, and the
contract's JSON (Sources/AnomalyDetect/Report/ScanReport.swift, Scan/ClusterRanking.swift)."""

import datetime
import json
import math
from dataclasses import dataclass, field

SAME_GROUP_SHARE = 0.5
SHARED_LISTED = 20


@dataclass
class Finding:
    kind: str
    detector: str
    score: float
    accounts: list
    evidence: dict
    # Set for a finding that is a whole cluster of a `fraudscan scan` partition report, so
    # that its evidence (already {"findings": [...]} when merged) is kept as it came.
    from_binary: bool = field(default=False)


def iso_minutes(seconds):
    """`2026-03-01T12:00Z`, as Timestamp.iso8601Minutes."""
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(seconds))
    return t.strftime("%Y-%m-%dT%H:%MZ")


def round_to(x, digits):
    """Swift's `(x * 10^d).rounded() / 10^d`: halves away from zero."""
    scale = 10.0**digits
    y = x * scale
    r = math.floor(abs(y) + 0.5) * (1 if y >= 0 else -1)
    return r / scale


def rank(findings):
    """The ranked clusters of `findings` (ClusterRanking.rank). Ties between findings of equal
    score and detector are broken by the smallest account id (the Swift scan uses the smallest
    account index, i.e. the first account in input order)."""
    order = sorted(
        range(len(findings)),
        key=lambda i: (-findings[i].score, findings[i].detector, min(findings[i].accounts) if findings[i].accounts else ""),
    )
    groups = []  # [kind, parts, members(set)]
    holding = {}  # kind -> account -> [group]
    for f in order:
        finding = findings[f]
        own = set(finding.accounts)
        overlap = {}
        for a in own:
            for g in holding.get(finding.kind, {}).get(a, []):
                overlap[g] = overlap.get(g, 0) + 1
        best = None
        for g, c in overlap.items():
            if c > SAME_GROUP_SHARE * len(own):
                if best is None or c > overlap[best] or (c == overlap[best] and g < best):
                    best = g
        g = best if best is not None else len(groups)
        if best is None:
            groups.append([finding.kind, [], set()])
        groups[g][1].append(f)
        for a in own:
            if a not in groups[g][2]:
                groups[g][2].add(a)
                holding.setdefault(finding.kind, {}).setdefault(a, []).append(g)

    clusters = []
    for g, (kind, parts, members) in enumerate(groups):
        ps = [findings[p] for p in parts]
        score = ps[0].score + sum(p.score / 10 for p in ps[1:])
        ids = sorted(members)
        detectors = sorted({d for p in ps for d in p.detector.split("+")} if any(p.from_binary for p in ps) else {p.detector for p in ps})
        if len(ps) == 1:
            evidence = ps[0].evidence
        else:
            evidence = {"findings": [{"detector": p.detector, "score": p.score, "evidence": p.evidence} for p in ps]}
        clusters.append(
            (
                {"rank": 0, "kind": kind, "detector": "+".join(detectors), "score": score, "accounts": ids, "evidence": evidence},
                g,
            )
        )
    clusters.sort(key=lambda c: (-c[0]["score"], -len(c[0]["accounts"]), c[0]["accounts"][0] if c[0]["accounts"] else ""))
    rank_of_group = [0] * len(groups)
    for i, (c, g) in enumerate(clusters):
        c["rank"] = i + 1
        rank_of_group[g] = i + 1
    flagged_per_kind = {k: len(v) for k, v in holding.items()}
    for c, g in clusters:
        kind, parts, members = groups[g]
        shared = {}
        for a in members:
            for other in holding.get(kind, {}).get(a, []):
                if other != g:
                    shared.setdefault(other, []).append(a)
        if shared:
            c["related"] = sorted(
                (
                    {"rank": rank_of_group[o], "shared_count": len(lst), "shared": sorted(lst)[:SHARED_LISTED]}
                    for o, lst in shared.items()
                ),
                key=lambda r: r["rank"],
            )
        flagged = flagged_per_kind.get(kind, 0)
        if flagged >= 20 and 10 * len(members) >= flagged:
            note = (
                f"This cluster holds {len(members)} of the {flagged} accounts flagged as {kind}: "
                f"{len(parts)} finding(s), each sharing more than half its accounts with it, so one group seen "
                f"by {'one test' if len(parts) == 1 else 'several tests'}, not groups merged through a shared account"
            )
            ev = c["evidence"]
            c["evidence"] = dict(ev, size_note=note) if isinstance(ev, dict) else {"evidence": ev, "size_note": note}
    return [c for c, _ in clusters]


def _plain(x):
    """Numbers as Swift's JSONEncoder writes them: a whole Double without `.0`."""
    if isinstance(x, float):
        if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
            return int(x)
        return x
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def report_json(clusters, detectors, signals, warnings):
    """The contract's report, pretty-printed with sorted keys like `fraudscan scan --format json`."""
    doc = {"clusters": clusters, "detectors": detectors, "signals": signals}
    if warnings:
        doc["warnings"] = warnings
    return json.dumps(_plain(doc), indent=2, sort_keys=True, ensure_ascii=False, separators=(",", " : ")) + "\n"
