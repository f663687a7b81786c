"""fraudscan on Apache Spark: the batch scan of a signal set too large for one machine.

`python -m fraudscan_spark scan INPUT --out REPORT.json` (or the same arguments to
`spark-submit spark/fraudscan_spark/__main__.py` with `--py-files`) writes the contract's scan
report (`../shared/spec/signal-format.md`), as `fraudscan scan --format json` does. See
spark/README.md for what each stage does and how it differs from the single-process scan.
"""

__version__ = "0.1.0"
