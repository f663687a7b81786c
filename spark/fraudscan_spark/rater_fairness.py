"""RaterFairness (Sources/AnomalyDetect/BoughtEngagement/RaterFairness.swift) on the driver, for a
set whose rated pairs fit in its memory (contested.DRIVER_PAIRS): the same arrays, the same
rounds and sums in the same order (pairs sorted by rated, then rater, in the Swift scan's
account order; numpy's `bincount` adds its weights in input order), so every fairness and
goodness is the Swift scan's to the last bit. Larger sets take contested.py's distributed
rounds.
"""

import numpy as np

MAX_ROUNDS = 100
TOLERANCE = 1e-6


class RaterFairness:
    """Fairness f(u) and goodness g(v) of the signed pairs `pairs` ((u, v, s) with s = ±1),
    accounts numbered by `index` (id -> position in the Swift account order)."""

    def __init__(self, pairs: list[tuple[str, str, int]], index: dict[str, int]):
        self.ids = sorted(index, key=index.get)
        n = len(self.ids)
        position = {a: i for i, a in enumerate(self.ids)}
        coded = sorted((position[v], position[u], s) for u, v, s in pairs)
        v_of = np.array([c[0] for c in coded], dtype=np.int64)
        self.u_of = np.array([c[1] for c in coded], dtype=np.int64)
        self.s_of = np.array([c[2] for c in coded], dtype=np.float64)
        self.position = position
        self.in_offsets = np.searchsorted(v_of, np.arange(n + 1))
        out_count = np.bincount(self.u_of, minlength=n)
        raters = out_count > 0
        rated = np.diff(self.in_offsets) > 0
        fairness = np.ones(n)
        goodness, weighted, weight = np.zeros(n), np.zeros(n), np.zeros(n)
        rounds = 0
        while rounds < MAX_ROUNDS:
            rounds += 1
            f = fairness[self.u_of]
            ws = np.bincount(v_of, weights=f * self.s_of, minlength=n)
            wt = np.bincount(v_of, weights=f, minlength=n)
            weighted[rated], weight[rated] = ws[rated], wt[rated]
            with np.errstate(invalid="ignore", divide="ignore"):
                goodness[rated] = np.where(wt[rated] > 0, ws[rated] / wt[rated], 0.0)
            disagreement = np.bincount(self.u_of, weights=np.abs(self.s_of - goodness[v_of]) / 2, minlength=n)
            new = 1 - disagreement[raters] / out_count[raters]
            moved = float(np.max(np.abs(new - fairness[raters]))) if raters.any() else 0.0
            fairness[raters] = new
            if moved < TOLERANCE:
                break
        self.fairness, self.goodness, self.weighted, self.weight, self.rounds = fairness, goodness, weighted, weight, rounds
        # Rater -> (rated, opinion), rated ascending (the Swift out-direction's order).
        order = np.lexsort((v_of, self.u_of))
        self.out_rated, self.out_opinion = v_of[order], self.s_of[order]
        self.out_offsets = np.searchsorted(self.u_of[order], np.arange(n + 1))
        self.negative_share = float(np.mean(self.s_of < 0)) if len(coded) else 0.0

    def raters(self, v: int) -> list[tuple[int, float]]:
        """The raters of account `v` (by position) with their opinions, raters ascending."""
        lo, hi = self.in_offsets[v], self.in_offsets[v + 1]
        return list(zip(self.u_of[lo:hi].tolist(), self.s_of[lo:hi].tolist()))

    def opinion(self, u: int, v: int) -> float | None:
        lo, hi = self.in_offsets[v], self.in_offsets[v + 1]
        k = lo + int(np.searchsorted(self.u_of[lo:hi], u))
        return float(self.s_of[k]) if k < hi and self.u_of[k] == u else None

    def fairness_elsewhere(self, u: int, v: int, group: list[int]) -> float | None:
        """1 − mean |s(u, w) − g₋(w)| / 2 over the accounts w ≠ v that u rated, g₋ the
        consensus of w's raters outside `group` (and u); None when no w has such a rater."""
        disagreement, counted = 0.0, 0
        in_group = u in group
        for k in range(self.out_offsets[u], self.out_offsets[u + 1]):
            w = int(self.out_rated[k])
            if w == v:
                continue
            total_sum, total = float(self.weighted[w]), float(self.weight[w])
            for c in group:
                s = self.opinion(c, w)
                if s is not None:
                    total_sum -= float(self.fairness[c]) * s
                    total -= float(self.fairness[c])
            if not in_group:
                total_sum -= float(self.fairness[u]) * float(self.out_opinion[k])
                total -= float(self.fairness[u])
            if not total > 1e-9:
                continue
            disagreement += abs(float(self.out_opinion[k]) - total_sum / total) / 2
            counted += 1
        return None if counted == 0 else 1 - disagreement / counted

    def candidates(self, minimum_fairness: float, minimum_negatives: int) -> list[tuple[str, int, list[str]]]:
        """(v, raters, fair critics) of every account of negative goodness with enough critics
        fair elsewhere (ContestedReputationDetector's candidates)."""
        out = []
        for v in np.nonzero(self.goodness < 0)[0].tolist():
            raters = self.raters(v)
            critics = [u for u, s in raters if s < 0]
            if sum(1 for u in critics if self.fairness[u] >= minimum_fairness) < minimum_negatives:
                continue
            fair = [u for u in critics if (self.fairness_elsewhere(u, v, critics) or 0) >= minimum_fairness]
            if len(fair) >= minimum_negatives:
                out.append((self.ids[v], len(raters), [self.ids[u] for u in fair]))
        return out
