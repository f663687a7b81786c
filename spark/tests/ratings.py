"""A small signal set with disapprovals, written as the contract's CSVs: the community of
Tests/AnomalyDetectTests/ContestedReputationTests.swift (30 fair raters liking 20 accounts),
two contested accounts vouching for each other, a lone one with its sock, and three
retaliating raters who dislike well-liked accounts (an honest look-alike: never flagged)."""

import csv
import os

T0 = 1_767_225_600


def write(directory: str) -> str:
    """Writes interactions.csv into `directory` and returns it."""
    rows, t = [], T0

    def add(src: str, dst: str, kind: str, rating: int) -> None:
        nonlocal t
        t += 60
        rows.append((src, dst, kind, t, rating))

    for r in range(30):
        for k in range(10):
            add(f"rater{r}", f"good{(r + k) % 20}", "like", 5)
    for name, sock in (("scamA", "scamB"), ("scamB", "scamA"), ("lone", "sock")):
        add(sock, name, "like", 10)
        for r in range(8):
            add(f"rater{r}", name, "dislike", -10)
    for r in range(3):
        for g in range(6):
            add(f"grudge{r}", f"good{g}", "dislike", -10)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "interactions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["src", "dst", "kind", "ts", "rating"])
        w.writerows(rows)
    return directory
