"""The same workbook on PySpark (local mode, through Ibis) as on the files."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import yaml

from smartacct_helpers.delivery.summary import key_figures
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.params import load_params
from tests.conftest import require

from .test_postgres import _same


def _nulls(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None, as a database holds them (Spark reads pandas' NaN as a value)."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].isna().any():
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def test_the_workbook_on_spark_equals_the_file_route(small_sample, tmp_path):
    require(
        importlib.util.find_spec("pyspark") is not None,
        "PySpark",
        "install the spark extra: `pip install -e .[spark]` (`make test` does)",
    )
    require(
        shutil.which("java") is not None,
        "Java 17 for Spark",
        "install a JDK, for example Debian's openjdk-17-jre-headless",
    )
    from pyspark.sql import SparkSession

    file_wb = Workbook.open(small_sample)
    file_params = load_params(small_sample)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("smartacct-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.warehouse.dir", str(tmp_path / "warehouse"))
        .getOrCreate()
    )
    try:
        # the invoice lines as the ERP export has them (German column names), the rest canonical
        def view(name, frame):
            session.createDataFrame(_nulls(frame)).createOrReplaceTempView(name)

        view("rechnungszeilen", pd.read_parquet(file_params.path(file_params.data.orders)))
        view("kunden", file_wb.tables.customers)
        view("aktivitaeten", file_wb.tables.activities)
        view("markt", file_wb.tables.market)  # the market volumes, for the year-one review's market shares
        raw = yaml.safe_load(Path(small_sample).read_text())
        raw["data"] = {
            "database": "spark://local",
            "orders": "rechnungszeilen",
            "customers": "kunden",
            "activities": "aktivitaeten",
            "market": "markt",
            "columns": {"orders": raw["data"]["columns"]["orders"]},
        }
        params = tmp_path / "params.yaml"
        params.write_text(yaml.safe_dump(raw, sort_keys=False))
        spark_wb = Workbook.open(params)  # connects to the running local session
        assert not spark_wb.tables.is_read("orders")
        a, b = key_figures(file_wb), key_figures(spark_wb)
        assert not spark_wb.tables.is_read("orders")  # the analyses of single orders ran in Spark too
        # a report's kernel: the customer facts from the snapshot, the order totals cached in Spark when asked
        kernel = Workbook.from_snapshot(spark_wb.save_snapshot(tmp_path / "snapshot"), load_params(params))
        assert "order_totals" not in kernel._memo
        c = key_figures(kernel)
        assert "order_totals" in kernel._memo and not kernel.tables.is_read("orders")
    finally:
        session.stop()
    assert spark_wb.reference_date == file_wb.reference_date
    pd.testing.assert_frame_equal(spark_wb.customers, file_wb.customers, check_dtype=False, check_like=True)
    pd.testing.assert_frame_equal(spark_wb.yearly, file_wb.yearly, check_dtype=False)
    _same(a, b, "summary")
    _same(a, c, "summary from the snapshot")
