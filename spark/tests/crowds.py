"""Tiny hand-built signal sets, one per crowd rule of the block test (EngagementBlockTest), written
as the contract's CSVs. Each holds a year of honest background follows, the crowd the rule
spares and a look-alike that is still reported:

- `mutual`: a club of 7 who all follow each other over 6 days (mutual ties: spared) and a ring
  of 6 who do so within 12 hours (within `ring_seconds`: reported as a ring);
- `targets`: 10 fresh fans follow a singer and her band within a day, the band followed by
  the singer two months before (one target: spared), and 10 fresh accounts follow two
  unrelated customers within a day (two targets: reported);
- `established`: 4 fresh fakes follow 3 customers within a day; a busy rater (established,
  150 other follows over the year) follows the 3 customers in the same hours and an
  established fan follows one of them (their hits are what their volume explains, or one:
  spared, the fakes and customers reported).

And two sets for the block test's refinements since (EngagementBlockTest+Refine, isCustomer):

- `light`: a farm whose endorsers do not all serve every customer: 20 fresh fakes follow 11 of
  its 12 customers, 12 more only 3, over twelve days; each customer has 3 honest followers over
  the year (3 000 honest accounts, so that 3 hits on the customers are beyond a light fake's
  volume). The densest block FRAUDAR's peeling returns holds the first 20; the 12 join
  dense-block's finding only by completion (their hits on the customers in the block's window
  beyond their volume);
- `stealth`: 6 fresh fakes follow 3 customers (5 of 6 pairs each) within 20 hours; each customer
  has 12 honest followers over the year, so the farm gives it a third of its endorsers, not
  half, but is its burst (customers by burst)."""

import csv
import os
import random

DAY = 86_400
T0 = 1_767_225_600  # 2026-01-01
OLD = T0 - 700 * DAY  # creation time of established accounts


class SetWriter:
    """Accounts with creation times and follows, written as accounts.csv and interactions.csv."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.created, self.follows = {}, []

    def account(self, name, created=OLD):
        self.created.setdefault(name, created)
        return name

    def follow(self, src, dst, t):
        self.follows.append((src, dst, "follow", int(t)))

    def background(self, n=40, out=3):
        """`n` established accounts each following `out` others at random times over the year."""
        names = [self.account(f"h{i:02d}") for i in range(n)]
        for a in names:
            for b in self.rng.sample([x for x in names if x != a], out):
                self.follow(a, b, T0 + self.rng.randrange(365 * DAY))
        return names

    def write(self, directory):
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "accounts.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["account", "created_at"])
            w.writerows(sorted(self.created.items()))
        with open(os.path.join(directory, "interactions.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["src", "dst", "kind", "ts"])
            w.writerows(sorted(self.follows, key=lambda r: (r[3], r[0], r[1])))
        return directory


def mutual(directory):
    """A slow club and a fast ring, both following each other all round."""
    s = SetWriter(1)
    s.background()
    club = [s.account(f"club{i}") for i in range(7)]
    ring = [s.account(f"ring{i}", T0 + 150 * DAY) for i in range(6)]
    for a in club:
        for b in club:
            if a != b:
                s.follow(a, b, T0 + 100 * DAY + s.rng.randrange(6 * DAY))
    for a in ring:
        for b in ring:
            if a != b:
                s.follow(a, b, T0 + 200 * DAY + s.rng.randrange(DAY // 2))
    return s.write(directory)


def targets(directory):
    """A viral burst on a singer and her band (tied before it) and a farm on two customers."""
    s = SetWriter(2)
    s.background()
    singer, band = s.account("singer"), s.account("band")
    s.follow(singer, band, T0 + 40 * DAY)
    for i in range(10):
        fan = s.account(f"fan{i}", T0 + 95 * DAY)
        s.follow(fan, singer, T0 + 100 * DAY + s.rng.randrange(DAY))
        s.follow(fan, band, T0 + 100 * DAY + s.rng.randrange(DAY))
    shops = [s.account("shop_a"), s.account("shop_b")]
    for i in range(10):
        fake = s.account(f"fake{i}", T0 + 195 * DAY)
        for c in shops:
            s.follow(fake, c, T0 + 200 * DAY + s.rng.randrange(DAY))
    return s.write(directory)


def established(directory):
    """A farm of fresh fakes, a busy established rater and an established fan on its customers."""
    s = SetWriter(3)
    names = s.background()
    items = [s.account(f"item{i:03d}") for i in range(150)]
    for it in items:
        s.follow(s.rng.choice(names), it, T0 + s.rng.randrange(365 * DAY))
    busy = s.account("busy")
    for it in items:
        s.follow(busy, it, T0 + s.rng.randrange(365 * DAY))
    customers = [s.account(f"cust{i}") for i in range(3)]
    run = T0 + 200 * DAY
    for i in range(4):
        fake = s.account(f"fake{i}", run - 5 * DAY)
        for c in customers:
            s.follow(fake, c, run + s.rng.randrange(DAY))
    for c in customers:
        s.follow(busy, c, run + s.rng.randrange(DAY))
    s.follow(s.account("oldfan"), customers[0], run + s.rng.randrange(DAY))
    return s.write(directory)


def light(directory):
    """A farm of 20 dense and 12 light endorsers on 12 customers with honest followers."""
    s = SetWriter(4)
    names = s.background(n=3000, out=4)
    customers = [s.account(f"lcust{c:02d}") for c in range(12)]
    for c in customers:
        for h in s.rng.sample(names, 3):
            s.follow(h, c, T0 + s.rng.randrange(365 * DAY))
    run = T0 + 150 * DAY
    for e in range(32):
        fake = s.account(f"lfake{e:02d}", run - (1 + s.rng.randrange(5)) * DAY)
        served = [c for c in range(12) if c != e % 12] if e < 20 else [(e + 4 * k) % 12 for k in range(3)]
        for c in served:
            s.follow(fake, customers[c], run + s.rng.randrange(12 * DAY))
    return s.write(directory)


def stealth(directory):
    """A stealth farm of 6 fresh fakes on 3 customers that have more honest followers than it gives."""
    s = SetWriter(5)
    names = s.background()
    customers = [s.account(f"scust{c}") for c in range(3)]
    for c in customers:
        for h in s.rng.sample(names, 12):
            s.follow(h, c, T0 + s.rng.randrange(365 * DAY))
    run = T0 + 200 * DAY
    for e in range(6):
        fake = s.account(f"sfake{e}", run - (1 + s.rng.randrange(3)) * DAY)
        for c in range(3):
            if (e + c) % 6 != 5:
                s.follow(fake, customers[c], run + s.rng.randrange(20 * 3600))
    return s.write(directory)


SETS = {"mutual": mutual, "targets": targets, "established": established, "light": light, "stealth": stealth}
