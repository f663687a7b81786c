import sys

if __package__ in (None, ""):  # run as a file by spark-submit: make the package importable
    import os

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from fraudscan_spark.cli import main
else:
    from .cli import main

sys.exit(main())
