"""Splink (DuckDB backend) on the flat link task that ``bench/matching_bench.py`` writes.

    PYTHON_WITH_SPLINK bench/splink_link.py FOLDER

Reads ``FOLDER/left.csv`` and ``FOLDER/right.csv`` (columns ``unique_id, first_name, surname,
email, email_user, phone, company, city``), trains a Splink model the way its tutorials do (the
chance two random records match from deterministic rules, u by random sampling, m by
expectation maximisation over two blocking rules), predicts links at a match probability of at
least 0.9, and writes ``FOLDER/splink_pairs.csv`` (``left,right``) and ``FOLDER/splink.json``
(seconds spent, version). Run by the benchmark in a Python that has ``splink`` installed, so the
project itself does not depend on it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

THRESHOLD = 0.9


def main(folder: Path) -> None:
    import pandas as pd  # noqa: PLC0415  # only in the Python that has Splink
    import splink  # noqa: PLC0415
    import splink.comparison_library as cl  # noqa: PLC0415
    from splink import Linker, SettingsCreator, block_on  # noqa: PLC0415
    from splink.backends.duckdb import DuckDBAPI  # noqa: PLC0415

    start = time.perf_counter()
    left = pd.read_csv(folder / "left.csv", dtype=str, keep_default_na=False)
    right = pd.read_csv(folder / "right.csv", dtype=str, keep_default_na=False)
    for frame in (left, right):
        frame.replace("", None, inplace=True)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.JaroWinklerAtThresholds("company", [0.9]),
            cl.ExactMatch("city"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname"),
            block_on("first_name", "company"),
            block_on("email"),
            block_on("phone"),
            block_on("email_user"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    tables = [
        db_api.register(left, dataset_display_name="crm"),
        db_api.register(right, dataset_display_name="fragments"),
    ]
    linker = Linker(tables, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("phone"), block_on("first_name", "surname", "company")],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email_user"))
    predictions = linker.inference.predict(
        threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    elapsed = time.perf_counter() - start
    pairs = predictions[["unique_id_l", "unique_id_r"]]
    pairs.columns = ["left", "right"]
    pairs.to_csv(folder / "splink_pairs.csv", index=False)
    (folder / "splink.json").write_text(
        json.dumps(
            {"seconds": round(elapsed, 2), "version": splink.__version__, "pairs": len(pairs)}
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
