import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SPARK_DIR = os.path.dirname(HERE)
ROOT = os.path.dirname(SPARK_DIR)
sys.path.insert(0, SPARK_DIR)
sys.path.insert(0, HERE)


@pytest.fixture(scope="session")
def binary():
    path = os.environ.get("FRAUDSCAN_BIN", os.path.join(ROOT, ".build", "debug", "fraudscan"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is not built: run `swift build` first (or set FRAUDSCAN_BIN)")
    return path


@pytest.fixture(scope="session")
def spark():
    from fraudscan_spark.cli import session

    s = session(os.environ.get("FRAUDSCAN_SPARK_MASTER", "local[2]"))
    yield s
    s.stop()
