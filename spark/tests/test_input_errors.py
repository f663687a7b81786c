"""Bad input stops the Spark scan with the Swift reader's message: file, line and column."""

import os
import subprocess
import sys

import pytest

from fraudscan_spark import signals

SPARK_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CASES = {
    # A quoted field holding a line break: the bad timestamp's record starts on line 5.
    "timestamp": ("interactions.csv", 'src,dst,kind,ts\na,b,like,100\nc,"d\nx",like,200\ne,f,like,2026-13-01T00:00:00Z\n'),
    "missing column": ("interactions.csv", "src,dst,kind\na,b,like\n"),
    "amount": ("payments.csv", "id,src,dst,amount,ts\n1,a,b,12.5,5\n2,a,b,12.5.0,6\n"),
    "kind": ("interactions.csv", "src,dst,kind,ts,rating\na,b,like,100,\na,c,Like,100,\n"),
    "empty account": ("profile_edits.csv", "account,field,value,ts\n,bio,x,5\n"),
}


def write(tmp_path, case):
    name, text = CASES[case]
    d = tmp_path / case.replace(" ", "-")
    d.mkdir()
    (d / name).write_text(text)
    return str(d)


def swift_error(binary, d):
    out = subprocess.run([binary, "scan", d], capture_output=True, text=True)
    assert out.returncode != 0
    return out.stderr.strip().splitlines()[-1].removeprefix("Error: ")


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_message_names_file_line_and_column_as_fraudscan_does(spark, binary, tmp_path, case):
    d = write(tmp_path, case)
    with pytest.raises(signals.SignalSetError) as refused:
        signals.load(spark, d)
    assert str(refused.value) == swift_error(binary, d)


def test_the_command_exits_non_zero_with_the_message(binary, tmp_path):
    d = write(tmp_path, "timestamp")
    out = subprocess.run([sys.executable, "-m", "fraudscan_spark", "scan", d, "--out", str(tmp_path / "r.json"),
                          "--fraudscan-bin", binary], capture_output=True, text=True, cwd=SPARK_DIR)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1] == "Error: " + swift_error(binary, d)
    assert not (tmp_path / "r.json").exists()
