"""The scan settings file, as `fraudscan scan --config FILE` reads it (ScanConfiguration+File.swift).

A file (JSON, or TOML when its name ends in `.toml`, read with Python's `tomllib`) names only
what it changes; it is merged over `DEFAULTS`, which equal `fraudscan config --defaults --format
json` (a test keeps them equal). Unknown sections or keys and values of the wrong type are
refused here, with the Swift reader's messages; the ranges of the values are checked by the
`fraudscan` binary itself (`fraudscan config FILE`) when it runs on the driver, so that the two
scans accept exactly the same files.
"""

import copy
import json
import subprocess
import tomllib
from typing import Any

DEFAULTS: dict[str, Any] = {
    "circular-payment": {"max_cycle_length": 8, "max_hop_gap": 43200, "max_hop_ratio": 1, "min_hop_ratio": 0.8,
                         "min_turns": 3, "window": 259200},
    "contested-reputation": {"false_discovery_rate": 0.05, "minimum_fairness": 0.5, "minimum_negatives": 2},
    "dense-block": {"maximum_blocks": 2000, "minimum_density": 0.35, "patience": 40},
    "edit-burst": {"min_burst_accounts": 5, "window": 21600},
    "endorsements": {"disapproval_kinds": ["block", "dislike", "report"], "kinds": ["follow", "like"]},
    "engagement-block-test": {"customer_burst_alpha": 0.0001, "family_alpha": 0.01, "minimum_customers": 2,
                              "minimum_endorsers": 3, "minimum_fill": 0.5, "minimum_share": 0.5,
                              "new_account_seconds": 2592000, "ring_seconds": 259200, "window_share": 0.8},
    "gather-scatter": {"fan_span": 3600, "max_hop_gap": 43200, "max_hop_ratio": 1, "max_path_length": 3, "min_fan_out": 3,
                       "min_fans": 2, "min_hop_ratio": 0.8, "window": 259200},
    "lockstep": {"burst_alpha": 0.0001, "fresh_account_seconds": 2592000, "minimum_endorsers": 3, "minimum_targets": 2,
                 "window": 259200},
    "near-duplicate-text": {"index": {"bands": 10, "max_bucket": 64, "rows_per_band": 5, "shingle_length": 5},
                            "min_accounts": 3, "min_text_bytes": 16, "threshold": 0.5, "window": 86400},
    "rare-shared-values": {"min_accounts": 4, "min_shared_values": 2},
    "spectral": {"explained_share": 0.5, "max_spoke_accounts": 2000, "rank": 10, "spoke_share": 0.25,
                 "unexplained_percentile": 0.05},
    "structured-flow": {"alpha": 0.01, "amount_tolerance": 0.1, "bucket_seconds": 86400, "fan_window": 2160000,
                        "max_ring_hops": 8, "min_score": 3, "relay_window": 1209600, "skim": 0.1, "window": 5184000},
}


class SettingsError(Exception):
    """A settings file that cannot be read, is malformed, or names a setting wrongly."""


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def _merge(given: Any, default: Any, path: str, file: str) -> Any:
    """`given` over `default`, checking keys and types as ScanConfiguration.merge does."""
    if isinstance(default, dict):
        if not isinstance(given, dict):
            raise SettingsError(f"{file}: {path} must be a table of settings, not {_describe(given)}")
        merged = copy.deepcopy(default)
        for key, value in given.items():
            where = f"{path}.{key}" if path else key
            if key not in default:
                parent = f"{path} has" if path else "the sections are"
                raise SettingsError(f"{file}: {where} is not a setting; {parent} {', '.join(sorted(default))}")
            merged[key] = _merge(value, default[key], where, file)
        return merged
    if isinstance(default, list):
        if not isinstance(given, list) or not all(isinstance(x, str) for x in given):
            raise SettingsError(f"{file}: {path} must be an array of strings, not {_describe(given)}")
        return list(given)
    if isinstance(default, int) and not isinstance(default, bool) and not isinstance(given, bool):
        if isinstance(given, int) or (isinstance(given, float) and given.is_integer() and abs(given) < 1e18):
            return int(given)
        if isinstance(given, float) and path.rsplit(".", 1)[-1] in _FRACTIONAL:
            return given
        raise SettingsError(f"{file}: {path} must be a whole number (of at most 18 digits), not {_describe(given)}")
    if isinstance(default, float):
        if isinstance(given, (int, float)) and not isinstance(given, bool):
            return float(given)
        raise SettingsError(f"{file}: {path} must be a number, not {_describe(given)}")
    return given


# Settings whose default is written as a whole number but which are fractions (ratios).
_FRACTIONAL = {"max_hop_ratio"}


def parse(text: str, file: str) -> dict[str, Any]:
    """The settings `text` (the contents of `file`) merged over the defaults."""
    try:
        given = tomllib.loads(text) if file.lower().endswith(".toml") else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as e:
        kind = "TOML" if file.lower().endswith(".toml") else "JSON"
        raise SettingsError(f"{file}: not a well-formed {kind} settings file: {e}") from None
    merged = _merge(given, DEFAULTS, "", file)
    if not merged["endorsements"]["kinds"]:
        raise SettingsError(f"{file}: endorsements.kinds: no endorsement kind is given")
    return merged


def load(path: str | None, binary: str | None = None) -> dict[str, Any]:
    """The settings of the file at `path` (the defaults when `path` is None). When `binary`
    (a runnable `fraudscan`) is given, it checks the ranges as `fraudscan scan --config` would."""
    if path is None:
        return copy.deepcopy(DEFAULTS)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise SettingsError(f"{path}: cannot be read ({e})") from None
    merged = parse(text, path)
    if binary:
        try:
            out = subprocess.run([binary, "config", path], capture_output=True, text=True)
        except OSError:
            return merged  # no binary on the driver (a cluster run): the executors' runs check it
        if out.returncode != 0:
            message = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"
            raise SettingsError(message.removeprefix("Error: "))
    return merged


def as_json(settings: dict[str, Any]) -> str:
    """The merged settings as a JSON settings file (what the payment partitions' binary reads)."""
    return json.dumps(settings, sort_keys=True)
