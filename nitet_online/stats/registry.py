"""What statistics read from the features, declared in each feature's setup (plugins.py):

- `plug.indicator(key, label, compute, ...)`: an outcome indicator of the office dashboard,
  `/api/v1/stats/summary` and the printable report. `compute(start, end)` returns an
  `IndicatorResult` (a headline value and any number of tables, each exportable); the optional
  `supervisor_compute(user_id, start, end)` adds it to a supervisor's own dashboard.
- `plug.stats_content_type(key, label, describe)`: what a tracked content type is called and how
  to name and link its items (`describe(ids) -> {id: (title, url or None)}`), for "top items"
  tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nitet_online.plugins import plugins


@dataclass
class StatTable:
    """A table of an indicator; every table can be exported to Excel and CSV."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    # Optional chart: {"type": "bar"|"line"|"doughnut", "label_column": 0, "value_columns": [1]}
    chart: dict | None = None
    note: str = ""

    def as_json(self) -> dict:
        return {"key": self.key, "title": self.title, "columns": self.columns, "rows": self.rows}

    def chart_data(self) -> dict | None:
        """The data Chart.js needs, passed to static/js/stats.js through a data- attribute."""
        if not self.chart or not self.rows:
            return None
        label_column = self.chart.get("label_column", 0)
        value_columns = self.chart.get("value_columns", [1])
        return {
            "type": self.chart.get("type", "bar"),
            "labels": [str(row[label_column]) for row in self.rows],
            "datasets": [
                {
                    "label": self.columns[column],
                    "data": [_number(row[column]) for row in self.rows],
                }
                for column in value_columns
            ],
            "horizontal": bool(self.chart.get("horizontal")),
        }


def _number(value: Any) -> float | int:
    if isinstance(value, int | float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0


@dataclass
class IndicatorResult:
    value: int | float | None
    unit: str = ""
    note: str = ""
    tables: list[StatTable] = field(default_factory=list)
    # Further headline figures: (Thai label, value, unit)
    figures: list[tuple[str, Any, str]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "unit": self.unit,
            "note": self.note,
            "figures": [
                {"label": label, "value": value, "unit": unit}
                for label, value, unit in self.figures
            ],
            "tables": [table.as_json() for table in self.tables],
        }


Compute = Callable[[date, date], IndicatorResult]
SupervisorCompute = Callable[[int, date, date], IndicatorResult]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    compute: Compute
    order: int = 50
    description: str = ""
    supervisor_compute: SupervisorCompute | None = None


def indicators() -> list[Indicator]:
    """The indicators the app's features declared, in their order."""
    return sorted(
        plugins().indicators.values(), key=lambda indicator: (indicator.order, indicator.key)
    )


def supervisor_indicators() -> list[Indicator]:
    return [indicator for indicator in indicators() if indicator.supervisor_compute]


# Content types ------------------------------------------------------------------------------
Describe = Callable[[Iterable[int]], dict[int, tuple[str, str | None]]]


@dataclass(frozen=True)
class ContentType:
    key: str
    label: str
    describe: Describe | None = None


def _content_types() -> dict[str, ContentType]:
    return plugins().stats_content_types


def content_type_label(key: str) -> str:
    known = _content_types().get(key)
    return known.label if known else key


def describe_items(content_type: str, ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    """Titles and links of items; an item its feature cannot name shows as "#id"."""
    ids = [item_id for item_id in ids if item_id is not None]
    known = _content_types().get(content_type)
    described = known.describe(ids) if known and known.describe and ids else {}
    return {item_id: described.get(item_id, (f"#{item_id}", None)) for item_id in ids}
