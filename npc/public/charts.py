"""
Charts for the public pages, drawn on the server as inline SVG.

No script and no outside service: a chart is data shaped for a template
(``templates/public/_bar_chart.html``, the ``donut_chart`` tag) that draws bars
inside a table, so the numbers are always there as text for everyone, and the
picture is an addition for those who can see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# The circle of a donut: a circumference of 100 makes dash lengths percentages.
DONUT_RADIUS = 15.91549430918954


@dataclass
class Bar:
    label: str
    value: int
    key: str = ""  # a stable name for colouring (e.g. a status), never shown alone
    url: str = ""
    width: float = 0.0  # of the longest bar, 0–100
    percent: Decimal = Decimal(0)  # of the total, rounded to one decimal


@dataclass
class Chart:
    """A titled series of labelled values, with the geometry to draw them."""

    title: str
    bars: list[Bar]
    total: int
    caption: str = ""
    unit: str = ""
    slices: list[Slice] = field(default_factory=list)
    truncated: bool = False  # only the first bars are shown; the total is of all

    @property
    def is_empty(self) -> bool:
        return not self.total


@dataclass
class Slice:
    """One arc of a donut: its length and where it starts, out of 100."""

    key: str
    length: float
    offset: float

    @property
    def gap(self) -> float:
        return round(100 - self.length, 3)

    @property
    def dasharray(self) -> str:
        """The arc as SVG's ``stroke-dasharray``, unlocalised (drawn unfiltered)."""
        return f"{self.length} {self.gap}"


def _percent(value: int, total: int) -> Decimal:
    if not total:
        return Decimal(0)
    return (Decimal(value) * 100 / total).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def chart(
    title: str,
    items: Iterable[tuple[str, int] | tuple[str, int, str] | tuple[str, int, str, str]],
    *,
    caption: str = "",
    unit: str = "",
    donut: bool = False,
    limit: int | None = None,
) -> Chart:
    """
    Shape ``items`` — (label, value[, key[, url]]) — for drawing.

    Bars are scaled to the largest value; percentages are of the total of all
    items, also when only the first ``limit`` are shown. With ``donut``, the
    slices of a ring are laid out too, clockwise from the top.
    """
    bars = [Bar(*item) for item in items]
    total = sum(bar.value for bar in bars)
    truncated = limit is not None and len(bars) > limit
    bars = bars[:limit] if truncated else bars
    largest = max((bar.value for bar in bars), default=0)
    for bar in bars:
        bar.width = round(bar.value * 100 / largest, 2) if largest else 0.0
        bar.percent = _percent(bar.value, total)
    slices: list[Slice] = []
    if donut and total:
        start = 0.0
        for bar in bars:
            length = bar.value * 100 / total
            if length:
                # A dash starts at 3 o'clock; an offset of 25 moves it to 12.
                slices.append(Slice(bar.key, round(length, 3), round(25 - start, 3)))
            start += length
    return Chart(
        title=title,
        bars=bars,
        total=total,
        caption=caption,
        unit=unit,
        slices=slices,
        truncated=truncated,
    )


def outcome_chart(by_status: Iterable[dict[str, Any]], title: str) -> Any:
    """A donut of comments by outcome (rows of ``comment_stats()['by_status']``)."""
    return chart(
        title,
        [(row["label"], row["count"], row["key"]) for row in by_status if row["count"]],
        donut=True,
    )
