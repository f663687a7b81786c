"""Bought engagement on Spark: dense blocks by D-Cube-style distributed peeling, and lockstep
bursts by grouping endorsements per (target, time window); each candidate block is trimmed
and tested by a port of EngagementBlockTest (Sources/AnomalyDetect/BoughtEngagement/
EngagementBlockTest.swift) so that scores and evidence are those of `fraudscan scan`."""

import bisect
import math
from dataclasses import dataclass, field

from pyspark.sql import Window
from pyspark.sql import functions as F

from .components import connected_components
from .report import Finding, iso_minutes, round_to
from .settings import DEFAULTS

# Constants of EngagementBlockTest that are not settings.
# log10 of the chance above which an established endorser's hits on a block's customers are
# what its own volume explains (EngagementBlockTest.log10VolumeAlpha: 20 %, a trimming rule).
LOG10_VOLUME_ALPHA = -0.7
# The most customers whose ties are checked pair by pair (relatedCheckLimit); a block with more
# counts every customer as an independent target.
RELATED_CHECK_LIMIT = 16
# The shortest span (seconds) a window or burst is measured over: a synchrony window, a burst
# customer's span and the padding that widens a block's window are at least an hour.
SHORTEST_SPAN = 3600
# The most peeling passes over one candidate's sub-graph (EngagementBlockTest.subBlockPasses).
SUB_BLOCK_PASSES = 16


def configure_block_test(t: dict) -> None:
    """Sets the block test's thresholds from the settings section `engagement-block-test`
    (EngagementBlockTest.Thresholds; its defaults are `settings.DEFAULTS`, their one home). The
    block test runs on the driver only (candidates are collected), so module settings suffice."""
    global MIN_ENDORSERS, MIN_CUSTOMERS, MIN_FILL, MIN_SHARE, FAMILY_ALPHA, WINDOW_SHARE, NEW_ACCOUNT_SECONDS
    global RING_SECONDS, CUSTOMER_BURST_ALPHA
    MIN_ENDORSERS, MIN_CUSTOMERS = t["minimum_endorsers"], t["minimum_customers"]
    MIN_FILL, MIN_SHARE, FAMILY_ALPHA = t["minimum_fill"], t["minimum_share"], t["family_alpha"]
    CUSTOMER_BURST_ALPHA = t["customer_burst_alpha"]
    WINDOW_SHARE, NEW_ACCOUNT_SECONDS = t["window_share"], t["new_account_seconds"]
    RING_SECONDS = t["ring_seconds"]


configure_block_test(DEFAULTS["engagement-block-test"])


def endorsements(interactions, kinds=("follow", "like")):
    """The deduplicated endorsement graph: one (src, dst, t, returned) per endorsing pair, t its
    first endorsement; an interaction endorses when its kind is an endorsement kind and its
    rating is absent or not negative (EndorsementPolicy). `returned`: dst also endorses src (at
    any time), a mutual tie rather than a bought endorsement (EndorsementGraph's one-way CSR
    keeps the pairs that are not returned); found by counting each unordered pair's directions."""
    e = interactions.where(F.col("kind").isin(list(kinds)) & (F.col("rating").isNull() | (F.col("rating") >= 0)))
    e = e.groupBy("src", "dst").agg(F.min("ts").alias("t")).where(F.col("src") != F.col("dst"))
    both_ways = Window.partitionBy(F.least("src", "dst"), F.greatest("src", "dst"))
    return e.withColumn("returned", F.count("*").over(both_ways) > 1).cache()


def one_way(pairs):
    """The endorsements their target does not return: what FRAUDAR's peeling searches
    (DenseBlockDetector, the block test's sub-blocks, fBox), as a returned endorsement is a
    mutual tie (friends, a club) and not a bought one."""
    return pairs.where(~F.col("returned"))


@dataclass
class GraphSummary:
    """What the block test reads of the whole graph (EndorsementGraph)."""

    node_count: int
    edge_count: int
    endorser_count: int
    endorsed_count: int
    span: float
    times: list  # distinct first-endorsement times, sorted
    cumulative: list  # endorsements at or before each of `times`

    def count(self, lo, hi):
        """Endorsing pairs whose first time is in [lo, hi]."""
        i = bisect.bisect_right(self.times, hi)
        j = bisect.bisect_left(self.times, lo)
        return (self.cumulative[i - 1] if i > 0 else 0) - (self.cumulative[j - 1] if j > 0 else 0)


def summarise(pairs, interactions, node_count):
    row = pairs.agg(F.count("*").alias("m"), F.countDistinct("src").alias("ei"), F.countDistinct("dst").alias("ej")).first()
    span_row = interactions.agg(F.min("ts").alias("lo"), F.max("ts").alias("hi")).first()
    lo, hi = span_row["lo"] or 0, span_row["hi"] or 0
    hist = pairs.groupBy("t").count().orderBy("t").collect()
    times, cum, total = [], [], 0
    for r in hist:
        total += r["count"]
        times.append(r["t"])
        cum.append(total)
    return GraphSummary(node_count, row["m"], row["ei"], row["ej"], float(max(hi - lo, SHORTEST_SPAN)), times, cum)


def log10_poisson_tail(k, mean):
    x = float(k)
    if not x > mean:
        return 0.0
    if mean <= 0:
        return -1.7976931348623157e308
    first = -mean + x * math.log(mean) - math.lgamma(x + 1)
    ratio = mean / (x + 1)
    return min(0.0, (first - math.log(1 - ratio)) / math.log(10))


def log10_binomial_tail(k, n, p):
    if k > n:
        return -1.7976931348623157e308
    x, nn = float(k), float(n)
    if not x > nn * p:
        return 0.0
    if p >= 1:
        return 0.0
    if p <= 0:
        return -1.7976931348623157e308
    first = math.lgamma(nn + 1) - math.lgamma(x + 1) - math.lgamma(nn - x + 1) + x * math.log(p) + (nn - x) * math.log(1 - p)
    ratio = (nn - x) / (x + 1) * p / (1 - p)
    tail = -math.log(1 - ratio) if ratio < 1 else math.log(nn - x + 1)
    return min(0.0, (first + tail) / math.log(10))


class Candidate:
    """A candidate block and the part of the graph its test reads: the in-edges (src, t) of its
    columns, the out-degrees of its rows' endorsers, and creation times."""

    def __init__(self, rows, columns):
        self.rows, self.columns = list(rows), list(columns)


@dataclass
class Neighbourhood:
    """What the block test reads of the graph around its candidates (collected on the driver)."""

    ins: dict  # candidate column -> [(t, src)], its in-edges in order of first time
    returned: set  # (src, dst) of those in-edges that dst returns (dst also endorses src)
    outdeg: dict  # endorser -> distinct out-degree
    one_way_outdeg: dict  # endorser -> distinct targets that do not endorse it back


def fetch(spark, pairs, candidates):
    """In-edges of every candidate column (and which of them are returned), the out-degrees of
    every endorser on them: one join each, collected (the candidates are small next to the graph)."""
    cols = sorted({c for cand in candidates for c in cand.columns})
    if not cols:
        return Neighbourhood({}, set(), {}, {})
    cdf = spark.createDataFrame([(c,) for c in cols], "dst string")
    in_edges = pairs.join(cdf, "dst").select("dst", "src", "t", "returned").collect()
    ins, returned = {}, set()
    for r in in_edges:
        ins.setdefault(r["dst"], []).append((r["t"], r["src"]))
        if r["returned"]:
            returned.add((r["src"], r["dst"]))
    for v in ins.values():
        v.sort()
    srcs = sorted({s for v in ins.values() for _, s in v} | {r for cand in candidates for r in cand.rows})
    sdf = spark.createDataFrame([(s,) for s in srcs], "src string")
    degrees = pairs.join(sdf, "src").groupBy("src").agg(
        F.count("*").alias("d"), F.sum(F.when(F.col("returned"), 0).otherwise(1)).alias("one_way")
    ).collect()
    return Neighbourhood(ins, returned, {r["src"]: r["d"] for r in degrees}, {r["src"]: r["one_way"] for r in degrees})


def _time(in_edge):
    """The first time of an in-edge (t, src)."""
    return in_edge[0]


@dataclass
class Gathered:
    """A block's customers and its endorsements of them (what EngagementBlockTest.gather leaves
    in its scratch)."""

    customers: list = field(default_factory=list)
    edges: list = field(default_factory=list)  # (src, t) of each block endorsement of a customer
    by_share: list = field(default_factory=list)  # per edge: whether its customer is one by share
    returned: int = 0  # edges their customer returns (counted only in the ring reading)
    share_customers: int = 0  # customers by share (explains_standing), not by burst

    def window_times(self):
        """The sorted times the synchrony window is taken from: those of the customers by share
        when there are at least `minimum_customers` of them, so that a burst elsewhere (fakes
        following a popular account the day they are made) cannot stretch the window to
        include itself; otherwise all."""
        if self.share_customers >= MIN_CUSTOMERS:
            return sorted(t for (_, t), share in zip(self.edges, self.by_share) if share)
        return sorted(t for _, t in self.edges)


class BlockTest:
    """Port of EngagementBlockTest over a `Neighbourhood` of its candidates: split, trimming,
    the crowd rules (mutual ties, independent targets, established endorsers), the tests and
    the evidence."""

    def __init__(self, summary, around, created):
        self.g, self.created = summary, created
        self.ins, self.returned = around.ins, around.returned
        self.outdeg, self.one_way_outdeg = around.outdeg, around.one_way_outdeg

    def in_degree(self, j):
        """Distinct endorsers of candidate column `j`."""
        return len(self.ins.get(j, []))

    def endorses_back(self, j, s):
        """Whether `j` endorses `s`, for an in-edge s -> j of a candidate column (a mutual tie)."""
        return (s, j) in self.returned

    def in_count(self, j, lo, hi):
        """Distinct endorsers who first endorsed candidate column `j` from `lo` through `hi`, both
        included (EndorsementGraph.inCount): two binary searches in its time-ordered in-edges."""
        lst = self.ins.get(j, [])
        return bisect.bisect_right(lst, hi, key=_time) - bisect.bisect_left(lst, lo, key=_time)

    def explains_standing(self, j, in_block):
        """Whether the block, `in_block` of `j`'s distinct endorsers, gives it at least
        `minimum_share` of them: the first way to be a customer (explainsStanding)."""
        return in_block >= 2 and in_block >= MIN_SHARE * self.in_degree(j)

    def is_customer(self, j, in_block, timed, first, last):
        """Whether column `j`, with `in_block` of its distinct endorsers in the block, `timed` of
        whose block endorsements span `first` to `last`, is a customer (isCustomer): at least two,
        and either by share (`explains_standing`) or by burst: at least `minimum_share` of those
        who endorsed it within the span are the block's (`timed` >= 2) and they are more than its
        own rate explains, P(Poisson(d_j * max(span, an hour) / T) >= timed) <=
        `customer_burst_alpha` (d_j its distinct endorsers, T the set's span). A small farm's
        ordinary customer with honest followers of its own is one; a celebrity is not."""
        if in_block < 2:
            return False
        if self.explains_standing(j, in_block):
            return True
        if timed < 2 or timed < MIN_SHARE * self.in_count(j, first, last):
            return False
        span = float(max(last - first, SHORTEST_SPAN))
        rate = self.in_degree(j) * span / self.g.span
        return log10_poisson_tail(timed, rate) <= math.log10(CUSTOMER_BURST_ALPHA)

    def gather(self, columns, marked, window=None, core=None, count_mutual=False):
        """The customers among `columns` for the endorsers `marked` and the block's endorsements
        of them (`Gathered`). A returned endorsement is a mutual tie and is not counted unless
        `count_mutual` (the ring reading). With a `window`, a customer must also have at least
        two block endorsements, and at least half of them, within it, and a burst customer its
        burst within the block's `core` window (fakes following a popular account the day they
        are made, days before they serve their customers, do not make it a customer)."""
        out = Gathered()
        for j in columns:
            lst = self.ins.get(j, [])
            in_block = sync = timed = 0
            first = last = None
            for t, s in lst:
                if s in marked and (count_mutual or not self.endorses_back(j, s)):
                    in_block += 1
                    if window is None or window[0] <= t <= window[1]:
                        sync += 1
                    if core is None or core[0] <= t <= core[1]:
                        timed += 1
                        first = t if first is None else min(first, t)
                        last = t if last is None else max(last, t)
            if not (sync >= 2 and 2 * sync >= in_block and self.is_customer(j, in_block, timed, first, last)):
                continue
            out.customers.append(j)
            by_share = self.explains_standing(j, in_block)
            out.share_customers += by_share
            for t, s in lst:
                if s not in marked:
                    continue
                mutual = self.endorses_back(j, s)
                if mutual and not count_mutual:
                    continue
                out.returned += mutual
                out.edges.append((s, t))
                out.by_share.append(by_share)
        return out

    @staticmethod
    def window(t):
        e = len(t)
        k = max(1, math.ceil(WINDOW_SHARE * e))
        best_start, best_width = 0, None
        for s in range(0, e - k + 1):
            w = t[s + k - 1] - t[s]
            if best_width is None or w < best_width:
                best_width, best_start = w, s
        return best_start, best_width, k

    def split(self, rows, columns):
        """EngagementBlockTest.split: customers joined when two block endorsers endorse both."""
        pos = {r: p for p, r in enumerate(rows)}
        kept = []
        for j in columns:
            block = [(t, pos[s]) for t, s in self.ins.get(j, []) if s in pos]
            ins = [p for _, p in block]
            # A burst customer's burst is all of the block's endorsements of it.
            first, last = (min(t for t, _ in block), max(t for t, _ in block)) if block else (None, None)
            if self.is_customer(j, len(ins), len(ins), first, last):
                kept.append((j, ins))
        row_cols = [[] for _ in rows]
        for c, (_, ins) in enumerate(kept):
            for p in ins:
                row_cols[p].append(c)
        parent = list(range(len(kept)))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(x, y):
            rx, ry = find(x), find(y)
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)

        # SharedEndorserComponents: customers joined when two block endorsers endorse both,
        # found by walking earlier rows through each customer, with a budget of 16 steps per
        # endorsement after which a row joins its customers outright (a complete block would
        # otherwise cost rows x columns^2).
        budget = 16 * sum(len(cs) for cs in row_cols)
        earlier = [[] for _ in kept]
        first, first_for = [0] * len(rows), [-1] * len(rows)
        for p, cs in enumerate(row_cols):
            if len(cs) < 2:
                continue
            root = find(cs[0])
            if all(find(c) == root for c in cs):
                continue
            if budget <= 0:
                for c in cs[1:]:
                    union(cs[0], c)
                continue
            for c in cs:
                budget -= len(earlier[c])
                for q in earlier[c]:
                    if first_for[q] == p:
                        union(c, first[q])
                    else:
                        first_for[q], first[q] = p, c
            for c in cs:
                earlier[c].append(p)
        part_of, parts = {}, []
        for c in range(len(kept)):
            r = find(c)
            if r not in part_of:
                part_of[r] = len(parts)
                parts.append(([], []))
            parts[part_of[r]][1].append(kept[c][0])
        for p, i in enumerate(rows):
            if not row_cols[p]:
                continue
            votes = {}
            for c in row_cols[p]:
                q = part_of[find(c)]
                votes[q] = votes.get(q, 0) + 1
            best = max(votes.items(), key=lambda kv: (kv[1], -kv[0]))[0]
            parts[best][0].append(i)
        return sorted([p for p in parts if p[1]], key=lambda p: -len(p[0]))

    def evaluate(self, rows, columns):
        """Trims and tests the candidate `rows` x `columns` on its one-way endorsements and, when
        that fails, as a ring (returned endorsements counted), which is reported only if some
        endorsements are returned and its synchrony window is at most `ring_seconds` long."""
        one = self._evaluate(rows, columns, count_mutual=False)
        if one["passed"]:
            return one
        ring = self._evaluate(rows, columns, count_mutual=True)
        if ring["passed"] and ring["returned"] > 0 and ring["we"] - ring["ws"] <= RING_SECONDS:
            return ring
        return one

    def _trim(self, gathered, count_mutual):
        """Endorsers: at least half of their endorsements of customers within the widened
        synchrony window (an established account: at least two, and more than its one-way
        volume explains); customers re-gathered against them, a burst customer's burst within
        the window's core. Repeated, at most three rounds, while customers or endorsers drop
        out. The window is the customers' by share when there are enough of them
        (`Gathered.window_times`)."""
        g = self.g
        for _ in range(3):
            if not gathered.edges:
                break
            st = gathered.window_times()
            s0, _, k0 = self.window(st)
            core = (st[s0], st[s0 + k0 - 1])
            pad = max(core[1] - core[0], SHORTEST_SPAN)
            widened = (core[0] - pad, core[1] + pad)
            synced, hits, touched = {}, {}, []
            for i, t in gathered.edges:
                if i not in synced and i not in hits:
                    touched.append(i)
                if widened[0] <= t <= widened[1]:
                    synced[i] = synced.get(i, 0) + 1
                else:
                    hits[i] = hits.get(i, 0) + 1
            customers = gathered.customers
            per_out_edge = sum(float(self.in_degree(j)) for j in customers) / float(max(g.edge_count, 1))
            kept = set()
            for i in touched:
                sync, total = synced.get(i, 0), synced.get(i, 0) + hits.get(i, 0)
                c = self.created.get(i)
                established = c is not None and c < widened[0] - NEW_ACCOUNT_SECONDS
                explained = established and log10_poisson_tail(
                    total, self.one_way_outdeg.get(i, 0) * per_out_edge) > LOG10_VOLUME_ALPHA
                if sync >= (2 if established else 1) and 2 * sync >= total and not explained:
                    kept.add(i)
            gathered = self.gather(customers, kept, widened, core, count_mutual)
            if len(gathered.customers) == len(customers) and len(kept) == len(touched):
                break
        return gathered

    def _evaluate(self, rows, columns, count_mutual):
        g = self.g
        o = {"passed": False}
        gathered = self.gather(columns, set(rows), count_mutual=count_mutual)
        if not gathered.edges:
            return o
        gathered = self._trim(gathered, count_mutual)
        customers, edges, returned = gathered.customers, gathered.edges, gathered.returned
        # Rows whose customers all dropped out go too.
        endorsers = sorted({i for i, _ in edges})
        e = len(edges)
        o.update(endorsers=endorsers, customers=customers, edges=e, returned=returned)
        if not endorsers or not customers:
            return o
        a, b = len(endorsers), len(customers)
        m = float(max(g.edge_count, 1))
        out_sum = float(sum(self.outdeg.get(i, 0) for i in endorsers))
        in_sum = float(sum(self.in_degree(j) for j in customers))
        expected = out_sum * in_sum / m
        background = m / (max(g.endorser_count, 1) * max(g.endorsed_count, 1))
        lpd = log10_poisson_tail(e, expected)
        t = sorted(t for _, t in edges)
        start, width0, k = self.window(t)
        ws, we = t[start], t[start + k - 1]
        width = float(max(width0, SHORTEST_SPAN))
        wend = ws + max(width0, SHORTEST_SPAN)
        own = 0
        for x in t[start:]:
            if x <= wend:
                own += 1
            else:
                break
        others = max(0, g.count(ws, wend) - own)
        profile = others / max(g.edge_count - e, 1)
        q = min(1.0, max(width / g.span, profile))
        lps = min(0.0, math.log10(max(1.0, g.span / width)) + log10_binomial_tail(k, e, q))
        new = 0
        for i in endorsers:
            c = self.created.get(i)
            if c is not None and ws - NEW_ACCOUNT_SECONDS <= c <= we:
                new += 1
        alpha = math.log10(FAMILY_ALPHA / max(g.node_count, 1))
        targets = self.independent_targets(customers, endorsers, ws - (we - ws), alpha)
        o.update(
            fill=e / (a * b), expected=expected, background=background, lpd=lpd, lps=lps, alpha=alpha, ws=ws, we=we,
            camouflage=(out_sum - e) / out_sum if out_sum > 0 else 0.0, new=new, targets=targets,
        )
        o["passed"] = (a >= MIN_ENDORSERS and targets >= MIN_CUSTOMERS and o["fill"] >= MIN_FILL
                       and lpd <= alpha and lps <= alpha)
        o["score"] = min(-lpd, -lps)
        return o

    def independent_targets(self, customers, endorsers, before, log10_alpha):
        """How many independent targets the block's `customers` are (EngagementBlockTest+Targets):
        customers tied to each other outside the block before it began (`before`: the window's
        start less its width) count as one. Two are tied when one, not a block endorser, first
        endorsed the other before `before`, or when they share s >= 2 endorsers outside the
        block who endorsed them before `before`, improbably many for those in-degrees:
        P(Poisson(d_u d_v / N) >= s) <= alpha, N the set's endorsers. Above
        RELATED_CHECK_LIMIT customers every customer counts."""
        b = len(customers)
        if b < 2 or b > RELATED_CHECK_LIMIT:
            return b
        block = set(endorsers)
        outside = [{s for t, s in self.ins.get(j, []) if t < before and s not in block} for j in customers]
        population = float(max(self.g.endorser_count, 1))
        parent = list(range(b))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def tie(u, v):
            """`u`, not a block endorser, first endorsed `v` before `before`."""
            return u not in block and any(s == u and t < before for t, s in self.ins.get(v, []))

        for x in range(b):
            for y in range(x + 1, b):
                if find(x) == find(y):
                    continue
                u, v = customers[x], customers[y]
                if tie(u, v) or tie(v, u):
                    parent[find(y)] = find(x)
                    continue
                shared = len(outside[x] & outside[y])
                if shared < 2:
                    continue
                mean = len(outside[x]) * len(outside[y]) / population
                if log10_poisson_tail(shared, mean) <= log10_alpha:
                    parent[find(y)] = find(x)
        return len({find(x) for x in range(b)})

    def blocks(self, rows, columns, depth=0):
        """The parts of a candidate that pass, each completed with the farm's endorsers the
        peeling left out (`completed`); a part too sparse to pass is searched for sub-blocks by
        greedy peeling (EngagementBlockTest+Refine)."""
        passed = []
        for r, c in self.split(rows, columns):
            o = self.evaluate(r, c)
            if o["passed"]:
                passed.append(self.completed(o))
            elif (depth < 3 and len(o.get("endorsers", [])) >= 2 * MIN_ENDORSERS
                  and len(o.get("customers", [])) >= 2 * MIN_CUSTOMERS and o["fill"] < MIN_FILL):
                passed += self.sub_blocks(o["endorsers"], o["customers"], depth + 1)
        return passed

    def completed(self, o):
        """The passing block `o` with the accounts outside it that endorsed its customers as its
        endorsers did (EngagementBlockTest.completed): FRAUDAR's best prefix keeps the densest
        rows, so a farm's endorsers that served fewer of its customers are left out.

        An account joins on evidence against its own volume: of its h one-way endorsements of
        the customers at least two, and at least half, fall within the block's window widened
        by its width (at least an hour) on each side, and P(Poisson(d_i * sum d_j / m) >= h) <=
        family_alpha / r (d_i its one-way out-degree, sum d_j the customers' in-degrees, m the
        set's distinct pairs, r the accounts considered: a Bonferroni bound). The wider block is
        tested as a whole and replaces `o` only if it passes with more endorsers."""
        block = set(o["endorsers"])
        pad = max(o["we"] - o["ws"], SHORTEST_SPAN)
        lo, hi = o["ws"] - pad, o["we"] + pad
        synced, hits = {}, {}  # per account considered, in the order first met
        for j in o["customers"]:
            for t, i in self.ins.get(j, []):
                if i in block or self.endorses_back(j, i):
                    continue
                synced.setdefault(i, 0)
                hits.setdefault(i, 0)
                if lo <= t <= hi:
                    synced[i] += 1
                else:
                    hits[i] += 1
        per_out_edge = sum(float(self.in_degree(j)) for j in o["customers"]) / float(max(self.g.edge_count, 1))
        level = math.log10(FAMILY_ALPHA / max(len(synced), 1))
        rows = list(o["endorsers"])
        for i, sync in synced.items():
            total = sync + hits[i]
            if sync < 2 or 2 * sync < total:
                continue
            if log10_poisson_tail(total, self.one_way_outdeg.get(i, 0) * per_out_edge) <= level:
                rows.append(i)
        if len(rows) == len(o["endorsers"]):
            return o
        wider = self.evaluate(rows, o["customers"])
        return wider if wider["passed"] and len(wider["endorsers"]) > len(o["endorsers"]) else o

    def sub_blocks(self, rows, columns, depth):
        """Peels the sub-graph `rows` x `columns` (its one-way endorsements) repeatedly with
        FRAUDAR's weights, at most SUB_BLOCK_PASSES times. A pass removes the endorsers and
        customers of the blocks in it that pass, or, when none passes, its whole block: the
        peeling's best prefix can hold part of a second farm, which a later pass then finds
        whole instead of in pieces."""
        row_position = {i: p for p, i in enumerate(rows)}
        column_position = {j: p for p, j in enumerate(columns)}
        row_columns = [[] for _ in rows]
        for j, c in column_position.items():
            for _, s in self.ins.get(j, []):
                if s in row_position and not self.endorses_back(j, s):  # the one-way endorsements
                    row_columns[row_position[s]].append(c)
        # Swift's GreedyPeeling over the sub-block numbered in the order of `rows` and `columns`
        # (subBlocks), so that its ties (rows first, then the smaller index) fall as in Swift.
        peeling = Peeling(row_columns, [1 / math.log(self.in_degree(j) + 5) for j in columns])
        removed_r, removed_c, found = set(), set(), []
        for _ in range(SUB_BLOCK_PASSES):
            block_rows, block_columns, _ = peeling.peel(removed_r, removed_c)
            if not block_rows or not block_columns:
                break
            br, bc = [rows[r] for r in block_rows], [columns[c] for c in block_columns]
            passed = self.blocks(br, bc, depth)
            if not passed:
                removed_r.update(block_rows)
                removed_c.update(block_columns)
            for o in passed:
                removed_r.update(row_position[i] for i in o["endorsers"] if i in row_position)
                removed_c.update(column_position[j] for j in o["customers"] if j in column_position)
            found += passed
        return found

    @staticmethod
    def finding(o, detector, extra, lead):
        a, b = len(o["endorsers"]), len(o["customers"])
        times = o["fill"] / o["background"] if o["background"] > 0 else 0
        window = f"{iso_minutes(o['ws'])} – {iso_minutes(o['we'])}"
        reason = f"{lead}{a} endorsers"
        if o["new"] > 0:
            reason += f" ({o['new']} created within 30 days before)"
        lift = o["edges"] / max(o["expected"], 1e-9) if o["edges"] > 0 else 0
        reason += f" endorsed the same {b} accounts"
        if o["targets"] < b:
            reason += f" ({o['targets']} independent targets: the others are tied to one of them outside the block)"
        reason += f": {o['edges']} of {a * b} possible pairs, "
        reason += f"{_num(round_to(times, 0))}× the background rate and {_num(round_to(lift, 0))}× "
        reason += f"what their degrees explain; {int(WINDOW_SHARE * 100)} % of these endorsements fell within {window}"
        if o["returned"] > 0:
            reason += f"; {o['returned']} of these endorsements were returned, a ring trading endorsements within {window}"
        if o["camouflage"] >= 0.05:
            reason += f"; {int(round_to(o['camouflage'] * 100, 0))} % of the endorsers' endorsements went to other accounts (camouflage or normal activity)"
        ev = {
            "endorsers": a, "customers": b, "customer_accounts": list(o["customers"]), "edges": o["edges"],
            "density": round_to(o["fill"], 3), "background_density": round_to(o["background"], 6),
            "expected_edges": round_to(o["expected"], 3), "camouflage_fraction": round_to(o["camouflage"], 3),
            "new_endorsers": o["new"], "independent_targets": o["targets"], "returned_endorsements": o["returned"],
            "window": window, "log10_p_density": round_to(o["lpd"], 1),
            "log10_p_synchrony": round_to(o["lps"], 1), "log10_alpha": round_to(o["alpha"], 1), "reason": reason,
        }
        ev.update(extra)
        return Finding("bought_engagement", detector, round_to(o["score"], 2), list(o["endorsers"]) + list(o["customers"]), ev)


def _num(x):
    """A Double as Swift interpolates it: 12.0 prints `12.0`."""
    return repr(float(x))


def make_test(spark, pairs, summary, accounts, candidates):
    around = fetch(spark, pairs, candidates)
    created = {}
    involved = {s for v in around.ins.values() for _, s in v} | {r for c in candidates for r in c.rows}
    if involved:
        adf = spark.createDataFrame([(s,) for s in sorted(involved)], "account string")
        created = {r["account"]: r["created_at"] for r in accounts.join(adf, "account").where("created_at is not null").collect()}
    return BlockTest(summary, around, created)


def _core(w, minimum_density):
    """The weighted minimum_density-core of the weighted edges `w` (src, dst, w): pruning rounds
    of window aggregates. (Not joins: a join's size estimate is the product of its inputs',
    which survives localCheckpoint and grows over rounds until the driver runs out of heap.)"""
    by_src, by_dst = Window.partitionBy("src"), Window.partitionBy("dst")
    live = w.localCheckpoint()
    before = live.count()
    for _ in range(64):
        nxt = (
            live.withColumn("ws", F.sum("w").over(by_src)).withColumn("wd", F.sum("w").over(by_dst))
            .where((F.col("ws") >= minimum_density) & (F.col("wd") >= minimum_density)).drop("ws", "wd").localCheckpoint()
        )
        after = nxt.count()
        live = nxt
        if after == before:
            break
        before = after
    return live


class Peeling:
    """A bipartite graph held on the driver with its rows and columns numbered 0.., the port of
    GreedyPeeling: `row_columns[i]` the columns of row i (no repeats), an edge into column j
    weighing `weights[j]`. The numbering stands for Swift's account index order (see
    `_peel_on_driver`): the peeling breaks its ties and sums its keys in it, as GreedyPeeling does."""

    def __init__(self, row_columns, weights):
        self.row_columns, self.weights = row_columns, weights
        self.column_rows = [[] for _ in weights]
        for i, js in enumerate(row_columns):
            for j in js:
                self.column_rows[j].append(i)

    def peel(self, removed_rows=(), removed_columns=()):
        """GreedyPeeling.peel less the removed rows and columns: repeatedly remove the node of
        least weighted degree (ties to rows before columns, then to the smaller index), keep the
        densest f(S)/|S| seen. Column keys are weight x live rows, row keys the sum of their
        live columns' weights added column by column. Returns (rows, columns, density)."""
        import heapq

        r, w = len(self.row_columns), self.weights
        key = [0.0] * (r + len(w))
        members, total = [], 0.0
        for j, rows in enumerate(self.column_rows):
            if j in removed_columns:
                continue
            live = 0
            for i in rows:
                if i not in removed_rows:
                    key[i] += w[j]
                    live += 1
            if live > 0:
                key[r + j] = w[j] * live
                total += w[j] * live
                members.append(r + j)
        members += [i for i in range(r) if i not in removed_rows and key[i] > 0]
        heap = [(key[v], v) for v in members]
        heapq.heapify(heap)
        alive = set(members)
        order = []
        size = len(members)
        best = total / size if size else 0.0
        best_step = 0
        while heap:
            k, v = heapq.heappop(heap)
            if v not in alive or k != key[v]:
                continue  # a key since lowered, or a node gone
            alive.discard(v)
            order.append(v)
            total -= k
            size -= 1
            if v < r:
                for j in self.row_columns[v]:
                    if r + j in alive:
                        key[r + j] -= w[j]
                        heapq.heappush(heap, (key[r + j], r + j))
            else:
                for i in self.column_rows[v - r]:
                    if i in alive:
                        key[i] -= w[v - r]
                        heapq.heappush(heap, (key[i], i))
            if size > 0 and total / size > best:
                best = total / size
                best_step = len(order)
        rest = order[best_step:]
        return sorted(v for v in rest if v < r), sorted(v - r for v in rest if v >= r), best

    def removing(self, removed_rows, removed_columns):
        """GreedyPeeling.removing: the graph less those rows and columns, numbered compactly in
        the same order, with the old index of each kept row and column (rows left without
        edges are dropped, columns kept). Returns (peeling, rows, columns)."""
        slot, columns = {}, []
        for j in range(len(self.weights)):
            if j not in removed_columns:
                slot[j] = len(columns)
                columns.append(j)
        rows, row_columns = [], []
        for i, js in enumerate(self.row_columns):
            if i in removed_rows:
                continue
            kept = [slot[j] for j in js if j in slot]
            if kept:
                rows.append(i)
                row_columns.append(kept)
        return Peeling(row_columns, [self.weights[j] for j in columns]), rows, columns

    def components(self):
        """GreedyPeeling.components: the connected parts (those with an edge), numbered in the
        order of their first node (rows first, then columns), each numbered compactly in the same
        order, with the old index of each of its rows and columns: [(peeling, rows, columns)]."""
        r = len(self.row_columns)
        label = [-1] * (r + len(self.weights))
        count = 0
        for start in range(len(label)):
            if label[start] >= 0 or not (self.row_columns[start] if start < r else self.column_rows[start - r]):
                continue
            label[start] = count
            queue = [start]
            for v in queue:
                near = [r + j for j in self.row_columns[v]] if v < r else self.column_rows[v - r]
                for u in near:
                    if label[u] < 0:
                        label[u] = count
                        queue.append(u)
            count += 1
        rows, columns = [[] for _ in range(count)], [[] for _ in range(count)]
        row_columns = [[] for _ in range(count)]
        slot = {}
        for j in range(len(self.weights)):
            if label[r + j] >= 0:
                slot[j] = len(columns[label[r + j]])
                columns[label[r + j]].append(j)
        for i in range(r):
            if label[i] >= 0:
                rows[label[i]].append(i)
                row_columns[label[i]].append([slot[j] for j in self.row_columns[i]])
        return [(Peeling(row_columns[p], [self.weights[j] for j in columns[p]]), rows[p], columns[p]) for p in range(count)]


@dataclass
class _Part:
    """A connected part of the region being searched (DenseBlockDetector.Part): its peeling, the
    account of each of its rows and columns, and its densest block (rows, columns, density) in
    its own indices."""

    peeling: Peeling
    rows: list
    columns: list
    block: tuple

    @staticmethod
    def parts(peeling, rows, columns, minimum_density):
        """The connected parts of `peeling` (whose rows and columns are the accounts `rows` and
        `columns`) whose densest block is at least `minimum_density` dense."""
        out = []
        for part, rs, cs in peeling.components():
            block = part.peel()
            if block[0] and block[1] and block[2] >= minimum_density:
                out.append(_Part(part, [rows[i] for i in rs], [columns[j] for j in cs], block))
        return out

    def removing(self, minimum_density):
        """The parts of what is left of this one once its block is removed."""
        rest, rs, cs = self.peeling.removing(set(self.block[0]), set(self.block[1]))
        return _Part.parts(rest, [self.rows[i] for i in rs], [self.columns[j] for j in cs], minimum_density)


def peel_parts(row_columns, weights, rows, columns, minimum_density):
    """The blocks of DenseBlockDetector.search's repeated peeling, densest first, as (rows,
    columns, density) in accounts. The region (`Peeling(row_columns, weights)`, whose rows and
    columns are the accounts `rows` and `columns`) is split into its connected parts, each
    peeled alone; parts whose block is below `minimum_density` are dropped. Each step takes the
    part whose block is densest (ties: the first in the list), yields its block, and replaces the
    part by the parts of what is left of it without the block's rows and columns, appended at the
    end of the list: removing a block leaves the other parts' peelings as they were. Lazy, so the
    caller's stopping rule decides how many blocks are peeled."""
    parts = _Part.parts(Peeling(row_columns, weights), rows, columns, minimum_density)
    while parts:
        densest = max(range(len(parts)), key=lambda p: parts[p].block[2])  # the first of the densest
        part = parts.pop(densest)
        br, bc, density = part.block
        yield [part.rows[i] for i in br], [part.columns[j] for j in bc], density
        parts += part.removing(minimum_density)


def _peel_on_driver(spark, pairs, summary, accounts, region, minimum_density, max_blocks, patience, detector="dense-block",
                    lead="Dense block (FRAUDAR peeling"):
    """DenseBlockDetector.search on a region small enough for one process: exact FRAUDAR
    peeling of the region's connected parts (`peel_parts`), block after block, each tested and
    removed; stops below the density, after `patience` failed blocks in a row, or after
    `max_blocks`. Rows and columns are numbered by account id (sorted), where Swift's region
    keeps account index order: the same on sets whose ids sort in input order (synth's), and
    otherwise a difference only where the peeling meets a tie."""
    edges = region.select("src", "dst", "w").collect()
    weight = {}
    for e in edges:
        weight[e["dst"]] = e["w"]
    rows, columns = sorted({e["src"] for e in edges}), sorted(weight)
    row_of = {a: i for i, a in enumerate(rows)}
    column_of = {a: j for j, a in enumerate(columns)}
    row_columns = [[] for _ in rows]
    for e in edges:
        row_columns[row_of[e["src"]]].append(column_of[e["dst"]])
    for js in row_columns:
        js.sort()
    test = make_test(spark, pairs, summary, accounts, [Candidate(rows, columns)])
    findings, failures = [], 0
    blocks = peel_parts(row_columns, [weight[a] for a in columns], rows, columns, minimum_density)
    for _, (block_rows, block_columns, density) in zip(range(max_blocks), blocks):
        passed = test.blocks(block_rows, block_columns)
        for o in passed:
            findings.append(
                test.finding(o, detector, {"peeling_density": round_to(density, 3)},
                             f"{lead}, weighted density {_num(round_to(density, 2))}): ")
            )
        failures = 0 if passed else failures + 1
        if failures >= patience:
            break
    return findings


def dense_blocks(spark, pairs, summary, accounts, minimum_density=0.35, max_blocks=20, patience=5, max_rounds=200,
                 local_peel_edges=2_000_000, driver_max_blocks=2000, driver_patience=40, log=None):
    """`dense-block` by distributed peeling in the manner of D-Cube (Shin et al., WSDM 2017).

    Every endorsement its target does not return (`one_way`: mutual ties are no bought
    engagement, and a club following itself would be the densest block) is an edge weighing
    1/ln(d+5) (d the endorsed account's distinct endorsers, FRAUDAR's column weights). The region: nodes of weighted degree >= minimum_density, pruned repeatedly (a
    node of a block of density g has degree >= g inside it). Then per block: rounds that each
    aggregate the weighted degrees of the live nodes and remove *every* node of degree <=
    2(1+epsilon) times the current density (Bahmani et al. 2012's bound: O(log_{1+eps} n)
    rounds), keeping the densest snapshot; the snapshot is trimmed and tested with the block
    test, its nodes removed, and the next block peeled from what is left."""
    indeg = pairs.groupBy("dst").agg(F.count("*").alias("d"))
    w = one_way(pairs).join(indeg, "dst").select("src", "dst", (1.0 / F.log(F.col("d") + 5.0)).alias("w"))
    live = _core(w, minimum_density)
    region_edges = live.count()
    if region_edges <= local_peel_edges:
        findings = _peel_on_driver(spark, pairs, summary, accounts, live, minimum_density, driver_max_blocks, driver_patience)
        if log:
            log(f"dense-block: region of {region_edges} edges peeled on the driver, {len(findings)} block(s)")
        return findings
    rounds = 0
    findings, failures = [], 0
    region = live
    for _ in range(max_blocks):
        cur = region
        best, best_density = None, -1.0
        for _ in range(max_rounds):
            agg = cur.agg(F.sum("w").alias("f"), F.countDistinct("src").alias("nr"), F.countDistinct("dst").alias("nc")).first()
            f, nr, nc = agg["f"] or 0.0, agg["nr"], agg["nc"]
            rounds += 1
            if nr == 0 or nc == 0:
                break
            density = f / (nr + nc)
            if density > best_density:
                best_density = density
                best = cur
            # D-Cube: the dimension with more slices loses every slice of mass <= its average.
            side, n = ("src", nr) if nr >= nc else ("dst", nc)
            mass = F.sum("w").over(Window.partitionBy(side))
            cur = cur.withColumn("m", mass).where(F.col("m") > f / n).drop("m").localCheckpoint()
        if best is None or best_density < minimum_density:
            break
        best = (sorted(r["src"] for r in best.select("src").distinct().collect()),
                sorted(r["dst"] for r in best.select("dst").distinct().collect()))
        test = make_test(spark, pairs, summary, accounts, [Candidate(*best)])
        passed = test.blocks(*best)
        for o in passed:
            findings.append(
                test.finding(o, "dense-block", {"peeling_density": round_to(best_density, 3)},
                             f"Dense block (FRAUDAR peeling, weighted density {_num(round_to(best_density, 2))}): ")
            )
        failures = 0 if passed else failures + 1
        gone_r, gone_c = set(best[0]), set(best[1])
        region = region.where(~F.col("src").isin(list(gone_r)) & ~F.col("dst").isin(list(gone_c))).localCheckpoint()
        if failures >= patience:
            break
    if log:
        log(f"dense-block: {rounds} peeling rounds, {len(findings)} block(s)")
    return findings


def lockstep(spark, pairs, summary, accounts, window=3 * 86_400, minimum_endorsers=3, minimum_targets=2, burst_alpha=1e-4,
             fresh_seconds=30 * 86_400):
    """`lockstep` (CopyCatch): per target, the window of width `window` holding most first
    endorsements, found by a range window over (target, time); a burst when it holds >= 3
    and its Poisson tail for the target's own rate is <= 1e-4. Endorsers in bursts of >= 2
    targets, grouped with the bursts they share (connected components), plus fresh accounts
    (created <= 30 days before a burst) in one burst; each group tested with the block test."""
    indeg = pairs.groupBy("dst").agg(F.count("*").alias("d"))
    p = pairs.join(indeg.where(F.col("d") >= minimum_endorsers), "dst")
    ahead = Window.partitionBy("dst").orderBy("t").rangeBetween(0, window)
    counted = p.withColumn("c", F.count("*").over(ahead))
    best_w = Window.partitionBy("dst").orderBy(F.col("c").desc(), F.col("t").asc())
    starts = counted.withColumn("r", F.row_number().over(best_w)).where("r = 1").select("dst", "d", F.col("t").alias("start"), "c")
    thresh = math.log10(burst_alpha)
    span = summary.span
    tail = F.udf(lambda c, d: log10_poisson_tail(c, d * window / span), "double")
    bursts = starts.where(F.col("c") >= minimum_endorsers).where(tail("c", "d") <= thresh).cache()
    members = pairs.join(bursts.select("dst", "start"), "dst").where(
        (F.col("t") >= F.col("start")) & (F.col("t") <= F.col("start") + window)
    ).select("dst", "src", "t", "start").cache()
    per_src = members.groupBy("src").agg(F.countDistinct("dst").alias("bursts"))
    lock = members.join(per_src.where(F.col("bursts") >= minimum_targets), "src")
    if lock.limit(1).count() == 0:
        return []
    comps = connected_components(lock.select(F.concat(F.lit("t:"), "dst").alias("a"), F.concat(F.lit("s:"), "src").alias("b")))
    burst_group = comps.where(F.col("node").startswith("t:")).select(F.expr("substring(node, 3)").alias("dst"), "component")
    rows = (
        members.join(burst_group, "dst").join(per_src, "src")
        .join(accounts.select(F.col("account").alias("src"), "created_at"), "src", "left")
        .where(
            (F.col("bursts") >= minimum_targets)
            | (F.col("created_at").isNotNull() & (F.col("created_at") >= F.col("start") - fresh_seconds) & (F.col("created_at") <= F.col("t")))
        )
        .select("component", "src").distinct().collect()
    )
    groups = {}
    for r in burst_group.collect():
        groups.setdefault(r["component"], ([], []))[1].append(r["dst"])
    for r in rows:
        groups[r["component"]][0].append(r["src"])
    cands = [Candidate(sorted(rs), sorted(cs)) for rs, cs in groups.values() if len(cs) >= minimum_targets and len(rs) >= minimum_endorsers]
    if not cands:
        return []
    test = make_test(spark, pairs, summary, accounts, cands)
    findings = []
    for c in cands:
        for o in test.blocks(c.rows, c.columns):
            findings.append(
                test.finding(o, "lockstep", {"bursts": len(o["customers"]), "burst_window_hours": window / 3600},
                             f"Lockstep (CopyCatch, each target hit within {window // 3600} h): ")
            )
    return findings


def degree_class(d):
    """fBox's degree class of out-degree `d` >= 1: the half-octave bin floor(2 log2 d), exactly
    (the largest b with 2^b <= d^2, which is Swift's Int(2 * log2(Double(d))): 2 log2 d is a
    whole number only for d a power of two, where log2 is exact)."""
    return (d * d).bit_length() - 1


def fbox_unexplained(spark, shares, explained_share, percentile):
    """SpectralSpokeDetector.unexplained over `shares` (i, b, e): the endorsers (d >= 2, not
    claimed by a spoke) whose explained share e is below `explained_share` and at or below their
    class b's quantile sorted(e)[min(count - 1, int(percentile * count))].

    On the executors: the class counts by aggregation (a few dozen rows, collected), then each
    class's endorsers below `explained_share` ranked by e in a window. e is at or below the
    class's q-th smallest exactly when fewer than q + 1 endorsers of the class have a smaller e
    (rank() - 1 <= q, ties included), and every endorser with a smaller e than one below
    `explained_share` is below it too, so ranking only those is exact. Returns their indices."""
    shares = shares.cache()
    counts = shares.groupBy("b").count().collect()
    if not counts:
        return []
    quantile = spark.createDataFrame(
        [(r["b"], min(r["count"] - 1, int(percentile * r["count"]))) for r in counts], "b int, q long")
    smaller = F.rank().over(Window.partitionBy("b").orderBy("e")) - 1
    unexplained = (
        shares.where(F.col("e") < explained_share).withColumn("smaller", smaller)
        .join(F.broadcast(quantile), "b").where(F.col("smaller") <= F.col("q"))
        .select("i").rdd.map(lambda r: r["i"]).collect()
    )
    shares.unpersist()
    return unexplained


def _rounded(x):
    """Swift's `Int(x.rounded())` for x >= 0: halves away from zero (Python's round() takes them
    to even)."""
    whole = math.floor(x)
    return int(whole) + (1 if x - whole >= 0.5 else 0)


def spectral(spark, pairs, summary, accounts, rank=10, explained_share=0.5, unexplained_percentile=0.05, spoke_share=0.25,
             max_spoke_accounts=2000, minimum_density=0.35, local_peel_edges=2_000_000, log=None):
    """`spectral` (SpokEn and fBox) with MLlib's distributed truncated SVD
    (`IndexedRowMatrix.computeSVD`, ARPACK over distributed products) of the binary
    endorser x endorsed matrix, accounts indexed in a fixed order.

    Spokes: for each singular pair, the endorsers with |u_i| >= 1/4 max |u| and the endorsed
    with |v_j| >= 1/4 max |v| (at most 2 000 each, in index order) are a candidate for the block
    test. fBox: endorsers of out-degree d >= 2, not in a passed spoke, whose explained share
    e = |(U Sigma)_i| / sqrt(d) is below `explained_share` (1/2) and in the lowest
    `unexplained_percentile` (5 %) of their degree class (`fbox_unexplained`), are peeled for
    dense blocks as `dense-block` does, confined to them."""
    from pyspark.mllib.linalg import Vectors
    from pyspark.mllib.linalg.distributed import IndexedRow, IndexedRowMatrix

    n = summary.node_count
    k = min(rank, n // 2)
    if summary.edge_count == 0 or k <= 0:
        return []
    # Account indices: accounts.csv order, then the implicit ones by id (the Swift order is
    # first appearance; only ties among equal |entries| at the 2 000 cut could depend on it).
    index = accounts.select("account", F.coalesce("order", F.lit(1 << 62)).alias("o")).rdd.map(lambda r: (r["o"], r["account"]))
    index = index.sortBy(lambda x: (x[0], x[1])).zipWithIndex().map(lambda x: (x[0][1], x[1]))
    ids = spark.createDataFrame(index, "account string, i long").cache()
    edges = (
        pairs.join(ids.withColumnRenamed("account", "src").withColumnRenamed("i", "si"), "src")
        .join(ids.withColumnRenamed("account", "dst").withColumnRenamed("i", "di"), "dst").select("si", "di")
    )
    rows = edges.rdd.map(lambda r: (r["si"], r["di"])).groupByKey().map(
        lambda kv: IndexedRow(kv[0], Vectors.sparse(n, sorted(set(kv[1])), [1.0] * len(set(kv[1]))))
    )
    matrix = IndexedRowMatrix(rows, numRows=n, numCols=n)
    svd = matrix.computeSVD(k, computeU=True)
    s = list(svd.s.toArray())
    v = svd.V.toArray()  # n x k, local (n x k doubles)
    u = svd.U.rows.map(lambda r: (r.index, list(r.vector.toArray()))).cache()
    kk = len(s)
    umax = u.map(lambda r: [abs(x) for x in r[1]]).reduce(lambda a, b: [max(x, y) for x, y in zip(a, b)])
    vmax = [max(abs(v[j, c]) for j in range(n)) for c in range(kk)]
    cut_u = [spoke_share * m for m in umax]
    spoke_rows = u.filter(lambda r: any(abs(r[1][c]) >= cut_u[c] for c in range(kk)) ).map(
        lambda r: (r[0], [abs(x) for x in r[1]])).collect()

    def names(indices):
        """Account ids of `indices`, fetched by one join."""
        wanted = spark.createDataFrame([(int(i),) for i in set(indices)], "i long")
        return dict(ids.join(wanted, "i").rdd.map(lambda r: (r["i"], r["account"])).collect()) if indices else {}

    findings, claimed, picked = [], set(), []
    for c in range(kk):
        if s[c] <= 0:
            continue
        rs = sorted(i for i, a in spoke_rows if a[c] >= cut_u[c] and umax[c] > 0)[:max_spoke_accounts]
        cs = [j for j in range(n) if vmax[c] > 0 and abs(v[j, c]) >= spoke_share * vmax[c]][:max_spoke_accounts]
        picked.append((c, rs, cs))
    name_of = names([i for _, rs, cs in picked for i in rs + cs])
    cands = [(c, [name_of[i] for i in rs], [name_of[j] for j in cs]) for c, rs, cs in picked]
    if cands:
        test = make_test(spark, pairs, summary, accounts, [Candidate(r, cs) for _, r, cs in cands])
        for c, r, cs in cands:
            for o in test.blocks(r, cs):
                claimed |= set(o["endorsers"])
                sigma = round_to(s[c], 2)
                findings.append(test.finding(o, "spectral", {"singular_vector": c + 1, "singular_value": sigma},
                                             f"Spoke on singular vector {c + 1} (σ = {_num(sigma)}): "))
    # fBox: endorsers the rank-k reconstruction leaves unexplained, for their degree.
    outdeg = edges.groupBy("si").agg(F.count("*").alias("d")).where("d >= 2").rdd.map(lambda r: (r["si"], r["d"]))
    sv = s

    def share_of(x):
        """(index, degree class, explained share) of an endorser (i, (u_i, d))."""
        i, (row, d) = x
        norm = 0.0
        for a, b in zip(row, sv):
            y = a * b
            norm += y * y
        return i, degree_class(d), math.sqrt(norm / d)

    shares = spark.createDataFrame(u.join(outdeg).map(share_of), "i long, b int, e double")
    if claimed:
        # The spokes' endorsers are out of fBox, and out of their classes' quantiles (as in Swift).
        claimed_df = spark.createDataFrame([(a,) for a in sorted(claimed)], "account string")
        shares = shares.join(ids.join(claimed_df, "account").select("i"), "i", "left_anti")
    unexplained = fbox_unexplained(spark, shares, explained_share, unexplained_percentile)
    flagged = sorted(names(unexplained).values())
    if log:
        log(f"spectral: rank {kk}, σ1 = {s[0]:.2f}, {len(findings)} spoke block(s), {len(flagged)} unexplained endorser(s)")
    if not flagged:
        return findings
    fdf = spark.createDataFrame([(a,) for a in flagged], "src string")
    indeg = pairs.groupBy("dst").agg(F.count("*").alias("d"))
    w = one_way(pairs).join(fdf, "src").join(indeg, "dst").select("src", "dst", (1.0 / F.log(F.col("d") + 5.0)).alias("w"))
    region = _core(w, minimum_density)
    findings += _peel_on_driver(
        spark, pairs, summary, accounts, region, minimum_density, 2000, 40, detector="spectral",
        lead=f"fBox (endorsers whose degree the top-{kk} spectrum leaves unexplained, the lowest "
             f"{_rounded(unexplained_percentile * 100)} % for their degree; peeling")
    return findings
