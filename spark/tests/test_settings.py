"""`--config FILE`: the settings file of `fraudscan scan --config`, read alike and applied alike."""

import json
import os
import subprocess

import pytest

from compare import compare, findings, reference
from fraudscan_spark import cli, settings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def binary_config(binary, *args):
    return subprocess.run([binary, "config", *args], capture_output=True, text=True)


def test_the_defaults_are_those_fraudscan_config_prints(binary):
    out = binary_config(binary, "--defaults", "--format", "json")
    assert out.returncode == 0
    assert json.loads(out.stdout) == settings.DEFAULTS


def test_toml_and_json_files_merge_over_the_defaults_as_fraudscan_config_does(binary, tmp_path):
    toml = tmp_path / "s.toml"
    toml.write_text('[edit-burst]\nwindow = 600\n\n[near-duplicate-text.index]\nbands = 20\n\n'
                    '[endorsements]\nkinds = ["follow", "like", "vouch"]\n')
    js = tmp_path / "s.json"
    js.write_text(json.dumps({"edit-burst": {"window": 600}, "near-duplicate-text": {"index": {"bands": 20}},
                              "endorsements": {"kinds": ["follow", "like", "vouch"]}}))
    for path in (toml, js):
        got = settings.load(str(path))
        assert got == json.loads(binary_config(binary, str(path), "--format", "json").stdout)
        assert got["edit-burst"] == {"min_burst_accounts": 5, "window": 600}
        assert got["near-duplicate-text"]["index"]["rows_per_band"] == 5


@pytest.mark.parametrize("text", ['{"lockstep": {"windo": 1}}', '{"lockstep": 3}', '{"lockstep": {"window": 1.5}}',
                                  '{"lockstep": {"window": -1}}', '{"spectral": {"rank": 0}}',
                                  '{"spectral": {"unexplained_percentile": 1.5}}', "{not json"])
def test_a_bad_file_is_refused_with_the_swift_message(binary, tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    want = binary_config(binary, str(path))
    assert want.returncode != 0
    with pytest.raises(settings.SettingsError) as refused:
        settings.load(str(path), binary)
    if "well-formed" not in want.stderr:  # JSON parsers word their complaints differently
        assert str(refused.value) == want.stderr.strip().removeprefix("Error: ")


def test_a_changed_threshold_changes_the_spark_result_as_the_swift_one(spark, binary, tmp_path):
    """profile-template: a 6-hour window joins its ring's edits into a burst, a 10-minute one
    does not; with the same file, both scans lose the edit-burst finding alike."""
    path = os.path.join(ROOT, "fixtures", "profile-template")
    config = tmp_path / "narrow.toml"
    config.write_text("[edit-burst]\nwindow = 600\n")
    for extra in ([], ["--config", str(config)]):
        ref = reference(binary, path, *extra)
        # Only the fake-profile stages: the fixture holds nothing else (the reference runs them all).
        args = cli.parser().parse_args(["scan", path, "--out", "-", "--quiet", "--fraudscan-bin", binary, "--skip",
                                        "dense-block,lockstep,spectral,contested-reputation,circular-payment,"
                                        "gather-scatter,structured-flow", *extra])
        got = json.loads(cli.run_scan(spark, args))
        exact = {"rare-shared-values", "edit-burst"}  # near-duplicate-text: MLlib's MinHashes (README)
        assert findings(got, exact) == findings(ref, exact)
        assert all(not d["only_spark"] and not d["only_reference"] for d in compare(ref, got).values())
        assert bool(findings(got, {"edit-burst"})) == (not extra)
