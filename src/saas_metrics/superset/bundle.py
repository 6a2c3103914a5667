"""Build a Superset import bundle (ZIP) from the readable asset files in `superset/assets`.

Why our own generator and not preset-cli's `sync dbt-core`: see docs/superset.md. In short,
the bundle must be a file we can build offline, for any connection URI, with fixed UUIDs,
charts and dashboards included, and import through the stock `/api/v1/assets/import/`.

What comes from where:
- dataset columns: the model's YAML (name, type, description), so a column added to a mart
  appears in Superset with the next bundle;
- dataset metrics: one saved metric per mart column listed in seeds/metric_catalog.csv
  (verbose name = label, description, d3 format from the unit, tier in `extra`,
  certification for tier_1), plus the hand-written metrics and calculated columns of
  `superset/assets/datasets/<model>.yaml`;
- charts: `superset/assets/charts/<dashboard>/<chart>.yaml` holds Superset's own
  form_data keys (`params`); the builder adds the adhoc filters and derives the
  `query_context` the chart-data API needs, the way the browser's buildQuery does;
- dashboards: `superset/assets/dashboards/<dashboard>.yaml`, rows of chart keys and the
  native filters.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from saas_metrics import PROJECT_ROOT

ASSETS_DIR = PROJECT_ROOT / "superset" / "assets"
MODELS_DIR = PROJECT_ROOT / "models"
CATALOG_CSV = PROJECT_ROOT / "seeds" / "metric_catalog.csv"
BUNDLE_ROOT = "saas_metrics_superset"
VERSION = "1.0.0"

# Display formats per catalog unit. Rates are 0-100 numbers (the spec), so they get one
# decimal and a "(%)" in the verbose name rather than d3's "%", which multiplies by 100.
UNIT_D3_FORMAT = {
    "usd": "$,.0f",
    "count": ",.0f",
    "pct": ",.1f",
    "ratio": ",.2f",
    "days": ",.1f",
    "hours": ",.1f",
    "minutes": ",.1f",
    "score": ",.1f",
}
UNIT_SUFFIX = {"pct": " (%)", "days": " (days)", "hours": " (hours)", "minutes": " (min)"}
# Amounts and counts add up across entities; scores, rates and ratios are averaged.
UNIT_AGGREGATE = {"usd": "SUM", "count": "SUM"}
TIER_CERTIFIER = "Metrics layer (tier_1, dbt metric catalog)"


class AssetError(ValueError):
    """An asset file refers to something that does not exist (column, metric, chart)."""


# ---------------------------------------------------------------- dbt metadata


def load_model_yaml(models_dir: Path = MODELS_DIR) -> dict[str, dict[str, Any]]:
    """Every model described in a YAML under models/, by name."""
    models: dict[str, dict[str, Any]] = {}
    for path in sorted(models_dir.rglob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        for model in document.get("models") or []:
            models[model["name"]] = model
    return models


def load_catalog(path: Path = CATALOG_CSV) -> dict[tuple[str, str], dict[str, str]]:
    with path.open(newline="") as handle:
        return {(row["domain"], row["metric_name"]): row for row in csv.DictReader(handle)}


def _unit_from_column(name: str, data_type: str) -> str:
    """Fallback unit for a model column the catalog does not list (company overview)."""
    data_type = data_type.lower()
    if name.endswith("_ratio"):
        return "ratio"
    if name.endswith(("_rate", "_pct", "_retention", "_percentage")):
        return "pct"
    if name.endswith("_score"):
        return "score"
    if data_type.startswith("numeric"):
        return "usd"
    if data_type in ("bigint", "integer"):
        return "count"
    return "score"


# ---------------------------------------------------------------- asset model


@dataclass
class Dataset:
    key: str
    spec: dict[str, Any]
    model: dict[str, Any]
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def uuid(self) -> str:
        return self.spec["uuid"]

    @property
    def main_dttm_col(self) -> str | None:
        return self.spec.get("main_dttm_col")


@dataclass
class Assets:
    database: dict[str, Any]
    datasets: dict[str, Dataset]
    charts: dict[str, dict[str, Any]]
    dashboards: dict[str, dict[str, Any]]


def _read_yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text()) or {}


def _humanise(name: str) -> str:
    words = name.replace("_", " ")
    for short, long in (("mrr", "MRR"), ("arr", "ARR"), ("dau", "DAU"), ("wau", "WAU"),
                        ("mau", "MAU"), ("nps", "NPS"), ("csat", "CSAT"), ("cac", "CAC"),
                        ("ltv", "LTV"), ("arpa", "ARPA"), ("usd", "USD"), ("qtd", "QTD"),
                        ("mtd", "MTD"), ("ar", "AR"), ("mqls", "MQLs"), ("roi", "ROI"),
                        ("id", "ID"), ("pct", "%"), ("1d", "(1 day)"), ("30d", "(30 days)"),
                        ("90d", "(90 days)"), ("7d", "(7 days)")):
        words = " ".join(long if word == short else word for word in words.split(" "))
    return words[:1].upper() + words[1:]


def _dataset_metric_from_catalog(
    column: dict[str, Any], catalog_row: dict[str, str] | None, spec: dict[str, Any],
    borrowed: bool = False,
) -> dict[str, Any]:
    name = column["name"]
    labels = spec.get("labels") or {}
    if catalog_row:
        unit = catalog_row["unit"]
        label = catalog_row["metric_label"]
        description = catalog_row["metric_description"]
        if borrowed and column.get("description"):
            # same metric at another grain: the model says how it is aggregated there
            description = " ".join(str(column["description"]).split())
        tier = catalog_row["importance_tier"]
        owner = catalog_row["owner"]
        higher_is_better = catalog_row["higher_is_better"]
    else:
        unit = _unit_from_column(name, column.get("data_type", ""))
        label = labels.get(name) or _humanise(name)
        description = " ".join(str(column.get("description", "")).split())
        tier = spec.get("default_tier", "tier_2")
        owner = (spec.get("owner") or "")
        higher_is_better = ""
    aggregate = spec.get("aggregates", {}).get(name) or UNIT_AGGREGATE.get(unit, "AVG")
    verbose = label if label.endswith(")") else label + UNIT_SUFFIX.get(unit, "")
    extra: dict[str, Any] = {"importance_tier": tier, "unit": unit, "owner": owner}
    if higher_is_better:
        extra["higher_is_better"] = higher_is_better == "true"
    if tier == "tier_1":
        extra["certification"] = {
            "certified_by": TIER_CERTIFIER,
            "details": f"Defined once in dbt (seeds/metric_catalog.csv); owner {owner}.",
        }
    metric = {
        "metric_name": name,
        "verbose_name": verbose,
        "metric_type": aggregate.lower(),
        "expression": f"{aggregate}({name})",
        "description": f"{description} Aggregated with {aggregate} across rows.",
        "d3format": UNIT_D3_FORMAT.get(unit, ",.2f"),
        "currency": {"symbol": "USD", "symbolPosition": "prefix"} if unit == "usd" else None,
        "extra": extra,
        "warning_text": None,
    }
    if unit == "usd":
        # the currency symbol comes from `currency`, so the format itself stays plain
        metric["d3format"] = ",.0f"
    return metric


def _load_dataset(path: Path, models: dict[str, dict[str, Any]],
                  catalog: dict[tuple[str, str], dict[str, str]]) -> Dataset:
    spec = _read_yaml(path)
    model_name = spec.get("model", path.stem)
    if model_name not in models:
        raise AssetError(f"{path}: model {model_name} has no YAML under models/")
    model = models[model_name]
    dataset = Dataset(key=model_name, spec=spec, model=model)
    domain = spec.get("catalog_domain") or (model.get("meta") or {}).get("domain")
    dimensions = set(spec.get("dimensions", []))
    labels = spec.get("labels") or {}
    # a column with no row in its own domain borrows the label of a same-named metric
    by_name = {name: row for (_, name), row in catalog.items()}
    for column in model.get("columns", []):
        name = column["name"]
        data_type = str(column.get("data_type", ""))
        row = catalog.get((domain, name)) if domain else None
        label = labels.get(name) or (row or by_name.get(name) or {}).get("metric_label")
        dataset.columns[name] = {
            "column_name": name,
            "verbose_name": label or _humanise(name),
            "is_dttm": data_type.lower() in ("date", "timestamp", "timestamptz"),
            "is_active": True,
            "type": data_type.upper(),
            "advanced_data_type": None,
            "groupby": True,
            "filterable": True,
            "expression": None,
            "description": " ".join(str(column.get("description", "")).split()) or None,
            "python_date_format": None,
            "extra": {},
        }
        numeric = data_type.lower().startswith(("numeric", "double", "bigint", "integer"))
        is_metric = row is not None or (
            spec.get("metrics_from_columns") and numeric and name not in dimensions
        )
        if is_metric and name not in dimensions:
            source = row or (by_name.get(name) if name not in labels else None)
            dataset.metrics[name] = _dataset_metric_from_catalog(
                column, source, spec, borrowed=row is None)
    for calculated in spec.get("calculated_columns", []):
        name = calculated["column_name"]
        dataset.columns[name] = {
            "column_name": name,
            "verbose_name": calculated.get("verbose_name"),
            "is_dttm": bool(calculated.get("is_dttm", False)),
            "is_active": True,
            "type": calculated.get("type", "DOUBLE PRECISION"),
            "advanced_data_type": None,
            "groupby": True,
            "filterable": True,
            "expression": " ".join(str(calculated["expression"]).split()),
            "description": " ".join(str(calculated.get("description", "")).split()) or None,
            "python_date_format": None,
            "extra": {},
        }
    for metric in spec.get("metrics", []):
        unit = metric.get("unit", "count")
        dataset.metrics[metric["metric_name"]] = {
            "metric_name": metric["metric_name"],
            "verbose_name": metric.get("verbose_name"),
            "metric_type": None,
            "expression": " ".join(str(metric["expression"]).split()),
            "description": " ".join(str(metric.get("description", "")).split()) or None,
            "d3format": metric.get("d3format", UNIT_D3_FORMAT.get(unit)),
            "currency": {"symbol": "USD", "symbolPosition": "prefix"} if unit == "usd" else None,
            "extra": {"unit": unit, **({"importance_tier": metric["tier"]}
                                       if "tier" in metric else {})},
            "warning_text": None,
        }
        if unit == "usd":
            dataset.metrics[metric["metric_name"]]["d3format"] = metric.get("d3format", ",.0f")
    return dataset


def load_assets(assets_dir: Path = ASSETS_DIR, models_dir: Path = MODELS_DIR,
                catalog_csv: Path = CATALOG_CSV) -> Assets:
    """Read every asset file and check that charts only use what their dataset has."""
    models = load_model_yaml(models_dir)
    catalog = load_catalog(catalog_csv)
    database = _read_yaml(assets_dir / "database.yaml")
    datasets = {}
    for path in sorted((assets_dir / "datasets").glob("*.yaml")):
        dataset = _load_dataset(path, models, catalog)
        datasets[dataset.key] = dataset
    charts: dict[str, dict[str, Any]] = {}
    for path in sorted((assets_dir / "charts").rglob("*.yaml")):
        chart = _read_yaml(path)
        key = f"{path.parent.name}/{path.stem}"
        chart["_key"] = key
        if chart.get("dataset") not in datasets:
            raise AssetError(f"{path}: unknown dataset {chart.get('dataset')!r}")
        charts[key] = chart
    dashboards = {}
    for path in sorted((assets_dir / "dashboards").glob("*.yaml")):
        dashboard = _read_yaml(path)
        dashboard["_key"] = path.stem
        dashboards[path.stem] = dashboard
    assets = Assets(database=database, datasets=datasets, charts=charts, dashboards=dashboards)
    _check_references(assets)
    return assets


# ---------------------------------------------------------------- charts


def _metric_refs(params: dict[str, Any]) -> list[str]:
    refs: list[str] = []
    for key in ("metric", "x", "y", "size", "timeseries_limit_metric"):
        value = params.get(key)
        if isinstance(value, str):
            refs.append(value)
    for key in ("metrics", "percent_metrics"):
        refs.extend(value for value in params.get(key) or [] if isinstance(value, str))
    return refs


def _column_refs(params: dict[str, Any], filters: list[dict[str, Any]]) -> list[str]:
    refs: list[str] = []
    for key in ("x_axis", "entity", "series", "column"):
        value = params.get(key)
        if isinstance(value, str):
            refs.append(value)
    for key in ("groupby", "all_columns", "groupbyRows", "groupbyColumns"):
        values = params.get(key) or []
        values = [values] if isinstance(values, str) else values
        refs.extend(value for value in values if isinstance(value, str))
    refs.extend(flt["col"] for flt in filters)
    return refs


def _chart_filters(chart: dict[str, Any]) -> list[dict[str, Any]]:
    """Shorthand filters of a chart file as query-object filters ({col, op, val})."""
    filters = []
    for item in chart.get("filters") or []:
        if item == "latest_day":
            filters.append({"col": "is_latest_day", "op": "IS TRUE"})
        else:
            filters.append({"col": item["col"], "op": item["op"], "val": item.get("val")})
    return filters


def _check_references(assets: Assets) -> None:
    problems = []
    for key, chart in assets.charts.items():
        dataset = assets.datasets[chart["dataset"]]
        params = chart.get("params") or {}
        for name in _metric_refs(params):
            if name not in dataset.metrics:
                problems.append(f"chart {key}: metric {name!r} not in dataset {dataset.key}")
        for name in _column_refs(params, _chart_filters(chart)):
            if name not in dataset.columns:
                problems.append(f"chart {key}: column {name!r} not in dataset {dataset.key}")
    for key, dashboard in assets.dashboards.items():
        for row in dashboard.get("rows", []):
            for cell in row:
                chart_key = f"{key}/{cell.split(':')[0]}"
                if chart_key not in assets.charts:
                    problems.append(f"dashboard {key}: no chart file {chart_key}.yaml")
        for flt in dashboard.get("filters", []):
            if flt.get("dataset") and flt["dataset"] not in assets.datasets:
                problems.append(f"dashboard {key}: filter on unknown dataset {flt['dataset']}")
            elif flt.get("column") and flt["column"] not in assets.datasets[
                    flt["dataset"]].columns:
                problems.append(f"dashboard {key}: filter column {flt['column']!r} missing")
    if problems:
        raise AssetError("Superset assets do not match the models:\n  " + "\n  ".join(problems))


def _adhoc_filter(flt: dict[str, Any]) -> dict[str, Any]:
    return {
        "clause": "WHERE",
        "expressionType": "SIMPLE",
        "subject": flt["col"],
        "operator": flt["op"],
        "operatorId": {"IS TRUE": "IS_TRUE", "<": "LESS_THAN", ">": "GREATER_THAN",
                       "==": "EQUALS", "IN": "IN", ">=": "GREATER_THAN_OR_EQUAL",
                       "<=": "LESS_THAN_OR_EQUAL", "IS NOT NULL": "IS_NOT_NULL",
                       "TEMPORAL_RANGE": "TEMPORAL_RANGE"}.get(flt["op"], flt["op"]),
        "comparator": flt.get("val"),
        "isExtra": False,
        "isNew": False,
        "sqlExpression": None,
    }


def _axis(column: str, time_grain: str | None) -> dict[str, Any]:
    axis: dict[str, Any] = {
        "columnType": "BASE_AXIS",
        "sqlExpression": column,
        "label": column,
        "expressionType": "SQL",
    }
    if time_grain:
        axis["timeGrain"] = time_grain
    return axis


def build_query(viz_type: str, form_data: dict[str, Any], filters: list[dict[str, Any]],
                dttm_columns: set[str]) -> dict[str, Any]:
    """The query object the browser's buildQuery would send for this chart."""
    query: dict[str, Any] = {
        "filters": filters,
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "columns": [],
        "metrics": [],
        "orderby": [],
        "annotation_layers": [],
        "row_limit": form_data.get("row_limit", 10000),
        "series_limit": 0,
        "order_desc": form_data.get("order_desc", True),
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
    }
    if "time_range" in form_data:
        query["time_range"] = form_data["time_range"]
    groupby = form_data.get("groupby") or []
    groupby = [groupby] if isinstance(groupby, str) else list(groupby)
    metrics = list(form_data.get("metrics") or [])
    if viz_type == "big_number_total":
        query["metrics"] = [form_data["metric"]]
    elif viz_type == "big_number":
        query["columns"] = [_axis(form_data["x_axis"], form_data.get("time_grain_sqla"))]
        query["metrics"] = [form_data["metric"]]
    elif viz_type.startswith("echarts_timeseries") or viz_type == "echarts_area":
        x_axis = form_data["x_axis"]
        grain = form_data.get("time_grain_sqla") if x_axis in dttm_columns else None
        query["columns"] = [_axis(x_axis, grain), *groupby]
        query["series_columns"] = groupby
        query["metrics"] = metrics
        if form_data.get("x_axis_sort"):
            query["orderby"] = [[form_data["x_axis_sort"], form_data.get("x_axis_sort_asc",
                                                                            True)]]
        elif metrics:
            query["orderby"] = [[metrics[0], False]]
    elif viz_type == "heatmap_v2":
        query["columns"] = [_axis(form_data["x_axis"], form_data.get("time_grain_sqla")
                                  if form_data["x_axis"] in dttm_columns else None), *groupby]
        query["metrics"] = [form_data["metric"]]
    elif viz_type in ("gauge_chart", "pie", "funnel"):
        query["columns"] = groupby
        query["metrics"] = [form_data["metric"]]
        if groupby:
            query["orderby"] = [[form_data["metric"], False]]
    elif viz_type == "table":
        if form_data.get("query_mode") == "raw":
            query["columns"] = list(form_data["all_columns"])
            query["orderby"] = [json.loads(item) for item in form_data.get("order_by_cols", [])]
        else:
            query["columns"] = groupby
            query["metrics"] = metrics
            sort_metric = form_data.get("timeseries_limit_metric") or metrics[0]
            query["orderby"] = [[sort_metric, not form_data.get("order_desc", True)]]
    elif viz_type == "bubble_v2":
        query["columns"] = [form_data["entity"], *([form_data["series"]]
                                                    if form_data.get("series") else [])]
        query["metrics"] = [form_data["x"], form_data["y"], form_data["size"]]
        query["orderby"] = [[form_data["size"], False]]
    elif viz_type == "pivot_table_v2":
        query["columns"] = [*form_data.get("groupbyRows", []),
                            *form_data.get("groupbyColumns", [])]
        query["metrics"] = metrics
    else:
        raise AssetError(f"no query builder for viz_type {viz_type}")
    return query


# Defaults per viz type so chart files only state what matters to the chart.
VIZ_DEFAULTS: dict[str, dict[str, Any]] = {
    "big_number_total": {"header_font_size": 0.4, "subheader_font_size": 0.15},
    "big_number": {"show_trend_line": True, "start_y_axis_at_zero": True,
                   "header_font_size": 0.4, "subheader_font_size": 0.15,
                   "rolling_type": "None", "time_grain_sqla": "P1D"},
    "echarts_timeseries_line": {"time_grain_sqla": "P1D", "show_legend": True,
                                "legendType": "scroll", "legendOrientation": "top",
                                "rich_tooltip": True, "markerEnabled": False,
                                "zoomable": False, "truncateYAxis": False,
                                "y_axis_bounds": [None, None], "comparison_type": "values",
                                "x_axis_time_format": "smart_date",
                                "seriesType": "line", "row_limit": 10000},
    "echarts_timeseries_bar": {"show_legend": True, "legendType": "scroll",
                               "legendOrientation": "top", "rich_tooltip": True,
                               "orientation": "vertical", "show_value": False,
                               "y_axis_bounds": [None, None], "row_limit": 10000},
    "heatmap_v2": {"linear_color_scheme": "blue_white_yellow", "normalize_across": "heatmap",
                   "legend_type": "continuous", "xscale_interval": -1, "yscale_interval": -1,
                   "left_margin": "auto", "bottom_margin": "auto", "value_bounds":
                   [None, None], "show_legend": True, "show_values": True,
                   "row_limit": 10000, "sort_x_axis": "alpha_asc", "sort_y_axis": "alpha_asc"},
    "gauge_chart": {"min_val": 0, "start_angle": 225, "end_angle": -45, "font_size": 15,
                    "number_format": "SMART_NUMBER", "value_formatter": "{value}",
                    "show_pointer": True, "animation": True, "show_axis_line_ticks": False,
                    "show_split_line": False, "split_number": 10, "show_progress": True,
                    "overlap": True, "round_cap": False, "row_limit": 10},
    "table": {"query_mode": "aggregate", "table_timestamp_format": "%Y-%m-%d",
              "page_length": 0, "include_search": False, "show_cell_bars": True,
              "align_pn": False, "color_pn": True, "allow_rearrange_columns": False,
              "conditional_formatting": [], "row_limit": 1000, "server_page_length": 10},
    "pie": {"show_legend": True, "show_labels": True, "labels_outside": True,
            "label_type": "key_percent", "number_format": "SMART_NUMBER", "date_format":
            "smart_date", "outerRadius": 70, "innerRadius": 30, "donut": True,
            "legendOrientation": "top", "legendType": "scroll", "row_limit": 100,
            "sort_by_metric": True},
    "funnel": {"show_legend": True, "legendOrientation": "top", "legendType": "scroll",
               "label_type": "key_value", "number_format": "SMART_NUMBER",
               "show_labels": True, "sort_by_metric": True, "row_limit": 10,
               "tooltip_label_type": 5, "show_tooltip_labels": True},
    "bubble_v2": {"max_bubble_size": "25", "show_legend": False, "opacity": 0.6,
                  "row_limit": 500, "xAxisFormat": "SMART_NUMBER",
                  "y_axis_format": "SMART_NUMBER", "truncateXAxis": True,
                  "truncateYAxis": True, "tooltipSizeFormat": "SMART_NUMBER",
                  "order_desc": True, "logXAxis": False, "logYAxis": False,
                  "x_axis_label": "", "y_axis_label": ""},
    "pivot_table_v2": {"aggregateFunction": "Sum", "rowOrder": "key_a_to_z",
                       "colOrder": "key_a_to_z", "valueFormat": "SMART_NUMBER",
                       "date_format": "smart_date", "metricsLayout": "COLUMNS",
                       "row_limit": 10000, "combineMetric": False,
                       "transposePivot": False, "conditional_formatting": []},
}


def chart_payload(chart: dict[str, Any], dataset: Dataset, chart_id: int) -> dict[str, Any]:
    """The chart YAML of the bundle: params (form_data) and query_context."""
    viz_type = chart["viz_type"]
    form_data = {**copy.deepcopy(VIZ_DEFAULTS.get(viz_type, {})),
                 **copy.deepcopy(chart.get("params") or {})}
    filters = _chart_filters(chart)
    dttm_columns = {name for name, column in dataset.columns.items() if column["is_dttm"]}
    time_column = chart.get("time_column", dataset.main_dttm_col)
    if chart.get("time_filter", True) and time_column:
        # the temporal filter the dashboard's date-range filter drives
        form_data.setdefault("time_range", "No filter")
        filters = [*filters, {"col": time_column, "op": "TEMPORAL_RANGE",
                              "val": form_data["time_range"]}]
    form_data.update({
        "datasource": "0__table",
        "viz_type": viz_type,
        "slice_id": chart_id,
        "adhoc_filters": [_adhoc_filter(flt) for flt in filters],
        "extra_form_data": {},
        "dashboards": [],
    })
    query = build_query(viz_type, form_data, filters, dttm_columns)
    query_context = {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": form_data,
        "result_format": "json",
        "result_type": "full",
    }
    return {
        "slice_name": chart["slice_name"],
        "description": " ".join(str(chart.get("description", "")).split()) or None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": viz_type,
        "params": form_data,
        "query_context": json.dumps(query_context),
        "cache_timeout": None,
        "uuid": chart["uuid"],
        "version": VERSION,
        "dataset_uuid": dataset.uuid,
    }


# ---------------------------------------------------------------- dashboards


def _native_filter(dashboard_key: str, index: int, flt: dict[str, Any],
                   assets: Assets, excluded: list[int]) -> dict[str, Any]:
    filter_id = "NATIVE_FILTER-" + uuid.uuid5(
        uuid.NAMESPACE_URL, f"saas-metrics/{dashboard_key}/{index}").hex[:10]
    common = {
        "id": filter_id,
        "name": flt["name"],
        "description": flt.get("description", ""),
        "type": "NATIVE_FILTER",
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
    }
    if flt["type"] == "time_range":
        return {**common, "filterType": "filter_time", "targets": [{}],
                "controlValues": {"enableEmptyFilter": False}}
    dataset = assets.datasets[flt["dataset"]]
    return {
        **common,
        "filterType": "filter_select",
        "targets": [{"column": {"name": flt["column"]}, "datasetUuid": dataset.uuid}],
        "controlValues": {"enableEmptyFilter": False, "defaultToFirstItem": False,
                          "multiSelect": True, "searchAllOptions": False,
                          "inverseSelection": False},
    }


def dashboard_payload(dashboard: dict[str, Any], assets: Assets,
                      chart_ids: dict[str, int]) -> dict[str, Any]:
    key = dashboard["_key"]
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER",
                      "meta": {"text": dashboard["dashboard_title"]}},
    }
    if dashboard.get("intro"):
        row_id = "ROW-intro"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {"type": "ROW", "id": row_id, "children": ["MARKDOWN-intro"],
                            "parents": ["ROOT_ID", "GRID_ID"],
                            "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        position["MARKDOWN-intro"] = {
            "type": "MARKDOWN", "id": "MARKDOWN-intro", "children": [],
            "parents": ["ROOT_ID", "GRID_ID", row_id],
            "meta": {"width": 12, "height": dashboard.get("intro_height", 12),
                     "code": dashboard["intro"].strip()}}
    chart_keys_in_dashboard = []
    for row_index, row in enumerate(dashboard["rows"]):
        row_id = f"ROW-{key}-{row_index}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {"type": "ROW", "id": row_id, "children": [],
                            "parents": ["ROOT_ID", "GRID_ID"],
                            "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        default_width = 12 // len(row)
        for cell in row:
            name, _, size = cell.partition(":")
            width, _, height = size.partition("x")
            chart_key = f"{key}/{name}"
            chart = assets.charts[chart_key]
            chart_keys_in_dashboard.append(chart_key)
            node_id = f"CHART-{key}-{name}"
            position[row_id]["children"].append(node_id)
            position[node_id] = {
                "type": "CHART", "id": node_id, "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {"width": int(width or default_width), "height": int(height or 50),
                         "chartId": chart_ids[chart_key], "uuid": chart["uuid"],
                         "sliceName": chart["slice_name"]},
            }
    native_filters = []
    for index, flt in enumerate(dashboard.get("filters", [])):
        if flt["type"] == "time_range":
            # snapshot charts (latest day only) are out of the date filter's scope
            excluded = [chart_ids[k] for k in chart_keys_in_dashboard
                        if not assets.charts[k].get("time_filter", True)]
        else:
            excluded = [chart_ids[k] for k in chart_keys_in_dashboard
                        if flt["column"] not in assets.datasets[
                            assets.charts[k]["dataset"]].columns]
        native_filters.append(_native_filter(key, index, flt, assets, excluded))
    metadata = {
        "color_scheme": "supersetColors",
        "refresh_frequency": 0,
        "expanded_slices": {},
        "label_colors": {},
        "shared_label_colors": [],
        "color_scheme_domain": [],
        "cross_filters_enabled": False,
        "timed_refresh_immune_slices": [],
        "default_filters": "{}",
        "chart_configuration": {},
        "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []},
                                       "chartsInScope": []},
        "native_filter_configuration": native_filters,
    }
    return {
        "dashboard_title": dashboard["dashboard_title"],
        "description": None,
        "css": "",
        "slug": dashboard.get("slug", key),
        "certified_by": dashboard.get("certified_by"),
        "certification_details": dashboard.get("certification_details"),
        "published": True,
        "uuid": dashboard["uuid"],
        "position": position,
        "metadata": metadata,
        "version": VERSION,
    }


# ---------------------------------------------------------------- bundle


def schema_for_uri(uri: str) -> str:
    """Where the marts live: DuckDB's default schema, or `metrics` on PostgreSQL."""
    scheme = urlsplit(uri).scheme
    return "main" if scheme.startswith("duckdb") else "metrics"


def dataset_payload(dataset: Dataset, schema: str, database_uuid: str) -> dict[str, Any]:
    relation = f"{schema}.{dataset.key}"
    columns = []
    for column in dataset.columns.values():
        column = dict(column)
        if column["expression"]:
            column["expression"] = column["expression"].replace("{relation}", relation)
        columns.append(column)
    metrics = []
    for metric in dataset.metrics.values():
        metric = dict(metric)
        metric["expression"] = metric["expression"].replace("{relation}", relation)
        metrics.append(metric)
    description = dataset.spec.get("description") or dataset.model.get("description", "")
    return {
        "table_name": dataset.key,
        "main_dttm_col": dataset.main_dttm_col,
        "description": " ".join(str(description).split()) or None,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "schema": schema,
        "catalog": None,
        "sql": None,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": {"certification": {"certified_by": "dbt (enforced contract)",
                                    "details": f"Public model {dataset.key}"}},
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": dataset.uuid,
        "metrics": metrics,
        "columns": columns,
        "version": VERSION,
        "database_uuid": database_uuid,
    }


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def dataset_row_access(assets: Assets) -> dict[str, Any]:
    """Each dataset's table -> its model's meta.row_access (macros/postgres/row_access.sql)."""
    rules = {}
    for dataset in assets.datasets.values():
        meta = {**(dataset.model.get("meta") or {}),
                **((dataset.model.get("config") or {}).get("meta") or {})}
        if not meta.get("row_access"):
            raise AssetError(f"dataset {dataset.key}: its model has no meta.row_access, so "
                             "no row-level rule can be generated (docs/row-level-access.md)")
        rules[dataset.key] = meta["row_access"]
    return rules


def build_bundle(uri: str, out: Path, *, assets: Assets | None = None,
                 schema: str | None = None,
                 row_access: tuple[list, list] | None = None) -> dict[str, Any]:
    """Write the import ZIP for `uri` to `out`; return a summary (counts per type).

    row_access: (scope rows, entities) from saas_metrics.quality.row_access.load_row_access;
    with it the bundle carries Superset's row-level security rules
    (saas_metrics.superset.row_access), which the import step creates through the API.
    """
    assets = assets or load_assets()
    schema = schema or schema_for_uri(uri)
    database = dict(assets.database)
    db_name = database["database_name"]
    db_file = db_name.replace(" ", "_")
    database_payload = {
        "database_name": db_name,
        "sqlalchemy_uri": uri,
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "extra": database.get("extra") or {},
        "uuid": database["uuid"],
        "version": VERSION,
    }
    chart_ids = {key: index + 1 for index, key in enumerate(sorted(assets.charts))}
    files: dict[str, str] = {
        "metadata.yaml": _dump({"version": VERSION,
                                "timestamp": dt.datetime.now(dt.UTC).isoformat()}),
        f"databases/{db_file}.yaml": _dump(database_payload),
    }
    for dataset in assets.datasets.values():
        files[f"datasets/{db_file}/{dataset.key}.yaml"] = _dump(
            dataset_payload(dataset, schema, database["uuid"]))
    for key, chart in assets.charts.items():
        payload = chart_payload(chart, assets.datasets[chart["dataset"]], chart_ids[key])
        files[f"charts/{key.replace('/', '_')}_{chart_ids[key]}.yaml"] = _dump(payload)
    for key, dashboard in assets.dashboards.items():
        files[f"dashboards/{key}.yaml"] = _dump(dashboard_payload(dashboard, assets,
                                                                  chart_ids))
    rules: list[dict[str, Any]] = []
    if row_access is not None:
        from saas_metrics.superset.row_access import RULES_FILE, rls_rules

        rules = rls_rules(dataset_row_access(assets), *row_access)
        files[RULES_FILE] = _dump({"rules": rules})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"{BUNDLE_ROOT}/{name}", text)
    out.write_bytes(buffer.getvalue())
    return {
        "path": str(out),
        "schema": schema,
        "datasets": len(assets.datasets),
        "metrics": sum(len(dataset.metrics) for dataset in assets.datasets.values()),
        "charts": len(assets.charts),
        "row_level_security_rules": len(rules),
        "dashboards": {key: sum(len(row) for row in dashboard["rows"])
                       for key, dashboard in assets.dashboards.items()},
    }
