#!/usr/bin/env python3
"""Plants the AML typologies into a real honest background, and scores fraudscan on them.

A measurement on data our generator did not write: the background is AMLSim's published
sample (../shared/realdata/amlsim-fanin-cycle, never committed), whose normal accounts pay
their own habitual amounts at random; the typologies are the list of Altman et al. (NeurIPS
2023, AMLworld) with their own parameters, drawn here and not from `fraudscan synth`:

    fan_in          5-10 senders pay one receiver near-equal amounts (+-2 %), once or twice, within 25 days
    fan_out         one sender pays 5-10 receivers the same way
    scatter_gather  a source pays 3-6 intermediaries (+-1 %), each passes it on to one other sink
                    1-7 days later, keeping 1-5 %
    gather_scatter  3-6 senders pay a hub, which pays 3-6 receivers what came in, less 1-5 %
    cycle           3-8 accounts pass one amount round once, 0-6 days a hop, keeping 0-3 % a hop
    stack           three layers of 2-4 accounts, every account paying every one of the next layer
    random          money passed along a walk of 4-7 accounts that does not close

Members are drawn among AMLSim's normal accounts (mules with an honest history); amounts are
half in the background's own band (100-600), half above it (600-3 000); days are AMLSim's steps.

    scripts/plant-typologies.py plant OUT SEED          # OUT/payments.csv, accounts.csv, planted*.csv
    fraudscan scan OUT --format json > OUT.json
    scripts/plant-typologies.py scan OUT OUT.json       # accounts flagged, by typology
    scripts/plant-typologies.py filter OUT FRAUDSCAN    # payments the pre-filter withholds, by typology
"""
import collections, csv, json, os, random, shutil, subprocess, sys

BACKGROUND = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../shared/realdata/amlsim-fanin-cycle/')


def plant(out, seed):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    members = {r['account'] for r in csv.DictReader(open(BACKGROUND + 'labels.csv'))}
    rows = list(csv.DictReader(open(BACKGROUND + 'payments.csv')))
    pool = [r['account'] for r in csv.DictReader(open(BACKGROUND + 'accounts.csv')) if r['account'] not in members]
    rng.shuffle(pool)
    taken = iter(pool)
    first_ts = min(int(r['ts']) - (int(r['step']) - 1) * 86400 for r in rows[:10])
    steps = max(int(r['step']) for r in rows)
    planted, labels = [], {}

    def accounts(n, typology):
        chosen = [next(taken) for _ in range(n)]
        for a in chosen:
            labels[a] = typology
        return chosen

    def pay(s, d, amount, day, typology, instance):
        planted.append((s, d, round(amount, 2), min(max(day, 1), steps), typology, instance))

    def near(amount, tolerance):
        return amount * (1 + rng.uniform(-tolerance, tolerance))

    def base():
        return rng.choice([rng.uniform(100, 600), rng.uniform(600, 3000)])

    instance = 0
    for typology in ['fan_in', 'fan_out', 'scatter_gather', 'gather_scatter', 'cycle', 'stack', 'random']:
        for _ in range(18):
            instance += 1
            t = rng.randint(1, steps - 40)
            a = base()
            if typology in ('fan_in', 'fan_out'):
                hub, *others = accounts(rng.randint(5, 10) + 1, typology)
                for o in others:
                    for _ in range(rng.choice([1, 1, 2])):
                        s, d = (o, hub) if typology == 'fan_in' else (hub, o)
                        pay(s, d, near(a, 0.02), t + rng.randint(0, 25), typology, instance)
            elif typology == 'scatter_gather':
                k = rng.randint(3, 6)
                source, *middle, sink = accounts(k + 2, typology)
                skim = rng.uniform(0.01, 0.05)
                for m in middle:
                    part, day = near(a, 0.01), t + rng.randint(0, 3)
                    pay(source, m, part, day, typology, instance)
                    pay(m, sink, part * (1 - skim), day + rng.randint(1, 7), typology, instance)
            elif typology == 'gather_scatter':
                k, m = rng.randint(3, 6), rng.randint(3, 6)
                hub, *others = accounts(k + m + 1, typology)
                for s in others[:k]:
                    pay(s, hub, near(a, 0.02), t + rng.randint(0, 5), typology, instance)
                out_amount = a * k / m * (1 - rng.uniform(0.01, 0.05))
                for d in others[k:]:
                    pay(hub, d, near(out_amount, 0.02), t + rng.randint(6, 12), typology, instance)
            elif typology == 'cycle':
                ring = accounts(rng.randint(3, 8), typology)
                skim = rng.choice([0, rng.uniform(0.005, 0.03)])
                for i in range(len(ring)):
                    pay(ring[i], ring[(i + 1) % len(ring)], a, t, typology, instance)
                    a *= 1 - skim
                    t += rng.randint(0, 6)
            elif typology == 'stack':
                sizes = [rng.randint(2, 3), rng.randint(2, 4), rng.randint(2, 3)]
                chosen = accounts(sum(sizes), typology)
                layers = [chosen[:sizes[0]], chosen[sizes[0]:sizes[0] + sizes[1]], chosen[sizes[0] + sizes[1]:]]
                for upper, lower in zip(layers, layers[1:]):
                    for s in upper:
                        for d in lower:
                            pay(s, d, near(a, 0.02), t + rng.randint(0, 3), typology, instance)
                    t += rng.randint(2, 8)
                    a *= 1 - rng.uniform(0, 0.03)
            else:  # random
                walk = accounts(rng.randint(4, 7), typology)
                for s, d in zip(walk, walk[1:]):
                    pay(s, d, a, t, typology, instance)
                    a *= 1 - rng.uniform(0, 0.03)
                    t += rng.randint(1, 6)

    merged = [(r['id'], r['src'], r['dst'], r['amount'], int(r['ts']), int(r['step'])) for r in rows]
    merged += [(f'planted{i}', s, d, f'{a:.2f}', first_ts + (day - 1) * 86400, day)
               for i, (s, d, a, day, _, _) in enumerate(planted)]
    merged.sort(key=lambda r: r[4])  # stable: a day's planted payments after its background ones
    with open(os.path.join(out, 'payments.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['id', 'src', 'dst', 'amount', 'ts', 'step'])
        w.writerows(merged)
    shutil.copy(BACKGROUND + 'accounts.csv', out)
    with open(os.path.join(out, 'planted.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['account', 'typology'])
        w.writerows(sorted(labels.items()))
    with open(os.path.join(out, 'planted_payments.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['id', 'typology', 'instance'])
        w.writerows((f'planted{i}', p[4], p[5]) for i, p in enumerate(planted))
    print(f'{len(planted)} payments planted among {len(labels)} accounts')


def table(counts, unit):
    for typology, (hit, total) in sorted(counts.items()):
        print(f'  {typology:15s} {hit:4d} of {total:4d} {unit} ({hit / total:.2f})')


def score_scan(out, report):
    members = {r['account'] for r in csv.DictReader(open(BACKGROUND + 'labels.csv'))}
    planted = {r['account']: r['typology'] for r in csv.DictReader(open(os.path.join(out, 'planted.csv')))}
    flagged = set()
    for c in json.load(open(report)).get('clusters', []):
        if c['kind'] == 'circular_payment':
            flagged |= set(c['accounts'])
    counts = collections.defaultdict(lambda: [0, 0])
    for a, typology in planted.items():
        counts[typology][0] += a in flagged
        counts[typology][1] += 1
    table(counts, 'accounts')
    hit = sum(a in flagged for a in planted)
    print(f'planted accounts flagged {hit} of {len(planted)} ({hit / len(planted):.3f}); '
          f"AMLSim's members flagged {len(flagged & members)}; other accounts flagged {len(flagged - members - set(planted))}")


def score_filter(out, binary):
    members = {r['account'] for r in csv.DictReader(open(BACKGROUND + 'labels.csv'))}
    typology = {r['id']: r['typology'] for r in csv.DictReader(open(os.path.join(out, 'planted_payments.csv')))}
    rows = list(csv.DictReader(open(os.path.join(out, 'payments.csv'))))
    events = ''.join(json.dumps({'type': 'payment', 'id': r['id'], 'src': r['src'], 'dst': r['dst'],
                                 'amount': r['amount'], 'ts': int(r['ts'])}, separators=(',', ':')) + '\n'
                     for r in rows)
    decisions = subprocess.run([binary, 'filter'], input=events.encode(), capture_output=True, check=True)
    withheld = set()
    for line in decisions.stdout.decode().splitlines():
        d = json.loads(line)
        if d.get('decision') in ('hold', 'revoke'):
            withheld.add(rows[d['seq']]['id'])
    counts = collections.defaultdict(lambda: [0, 0])
    honest = [0, 0]
    for r in rows:
        if r['id'] in typology:
            counts[typology[r['id']]][0] += r['id'] in withheld
            counts[typology[r['id']]][1] += 1
        elif r['src'] not in members and r['dst'] not in members:
            honest[0] += r['id'] in withheld
            honest[1] += 1
    table(counts, 'payments withheld')
    print(f'honest payments (between two normal accounts) withheld {honest[0]} of {honest[1]}')


if __name__ == '__main__':
    if len(sys.argv) != 4 or sys.argv[1] not in ('plant', 'scan', 'filter'):
        sys.exit(__doc__)
    command, out, argument = sys.argv[1:]
    if command == 'plant':
        plant(out, int(argument))
    elif command == 'scan':
        score_scan(out, argument)
    else:
        score_filter(out, argument)
