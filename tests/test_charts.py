"""render/charts.py: bar charts drawn as self-contained, deterministic SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from yiguan.render.charts import Chart, Series, nice_scale, number, svg

NS = "{http://www.w3.org/2000/svg}"


def _tree(chart: Chart) -> ET.Element:
    return ET.fromstring(svg(chart))


def _bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{NS}rect") if rect.find(f"{NS}title") is not None]


@pytest.mark.parametrize(("largest", "whole", "scale"), [
    (0, True, (1, 1)), (1, True, (1, 1)), (3, True, (3, 1)), (5, True, (5, 1)),
    (7, True, (8, 2)), (12, True, (15, 5)), (21, True, (25, 5)), (99, True, (100, 20)),
    (101, True, (125, 25)), (1001, True, (1250, 250)), (0.3, False, (0.3, 0.1)),
    (7, False, (8, 2)), (2.2, False, (2.5, 0.5)),
])
def test_the_scale_has_at_most_five_round_steps(
        largest: float, whole: bool, scale: tuple[float, float]) -> None:
    assert nice_scale(largest, whole) == pytest.approx(scale)


def test_a_count_is_never_scaled_in_fractions() -> None:
    for largest in range(1, 500):
        top, step = nice_scale(largest, True)
        assert step.is_integer() if isinstance(step, float) else True
        assert largest <= top <= largest + 5 * step and top / step <= 5


def test_numbers_are_whole_or_one_decimal() -> None:
    assert [number(3), number(3.0), number(81.08), number(0.25)] == ["3", "3", "81.1", "0.2"]


def test_a_grouped_chart_draws_one_bar_per_value_with_its_label() -> None:
    chart = Chart("每月决议", ("1月", "2月", "3月"),
                  (Series("通过", (2, 0, 5)), Series("未通过", (1, 1, 0))))
    root = _tree(chart)
    bars = _bars(root)
    assert len(bars) == 4  # zero values draw nothing
    tallest = max(bars, key=lambda rect: float(rect.get("height", "0")))
    assert tallest.find(f"{NS}title").text == "3月 · 通过：5"  # type: ignore[union-attr]
    texts = [text.text for text in root.iter(f"{NS}text")]
    assert "每月决议" in texts and "1月" in texts and "未通过" in texts
    assert root.get("role") == "img" and root.get("viewBox", "").startswith("0 0 ")


def test_bars_are_as_tall_as_their_values() -> None:
    chart = Chart("t", ("a", "b"), (Series("s", (2, 4)),))
    heights = [float(rect.get("height", "0")) for rect in _bars(_tree(chart))]
    assert heights[1] == pytest.approx(2 * heights[0])


def test_a_stacked_chart_puts_the_segments_on_each_other_and_writes_the_total() -> None:
    chart = Chart("完成情况", ("2024",), (Series("按期", (3,)), Series("逾期", (2,))),
                  stacked=True)
    root = _tree(chart)
    first, second = _bars(root)
    assert float(second.get("y", "0")) + float(second.get("height", "0")) == \
        pytest.approx(float(first.get("y", "0")))
    assert "5" in [text.text for text in root.iter(f"{NS}text")]


def test_rates_keep_their_fixed_top_and_unit() -> None:
    chart = Chart("出席率", ("3月8日",), (Series("出席率", (87.5,)),), unit="%", top=100)
    texts = [text.text for text in _tree(chart).iter(f"{NS}text")]
    assert "100%" in texts and "87.5%" in texts


def test_many_categories_are_labelled_sparingly() -> None:
    categories = tuple(f"第{index}次" for index in range(1, 49))
    chart = Chart("t", categories, (Series("s", tuple(range(48))),))
    labels = [text.text for text in _tree(chart).iter(f"{NS}text") if text.text in categories]
    assert 6 <= len(labels) <= 12 and labels[0] == "第1次"


def test_typed_text_is_escaped() -> None:
    chart = Chart("<b>&", ("<x>",), (Series('"s"', (1,)), Series("t", (2,))))
    text = svg(chart)
    assert "<b>" not in text and "&lt;b&gt;&amp;" in text
    ET.fromstring(text)


def test_the_same_chart_is_the_same_bytes_and_an_empty_one_still_draws() -> None:
    chart = Chart("t", ("a", "b"), (Series("s", (1.5, 2)),))
    assert svg(chart) == svg(Chart("t", ("a", "b"), (Series("s", (1.5, 2)),)))
    ET.fromstring(svg(Chart("空", (), ())))


def test_a_series_must_fit_its_categories_and_not_go_below_zero() -> None:
    with pytest.raises(ValueError):
        Chart("t", ("a", "b"), (Series("s", (1,)),))
    with pytest.raises(ValueError):
        Chart("t", ("a",), (Series("s", (-1,)),))
