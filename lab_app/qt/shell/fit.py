"""Does a lab fit its window? What the classroom tests and ``bert-lab screenshot`` check.

A teacher at a 1280×800 projector with the zoom at 1.5, or a student on a 1024×640 laptop, should
see each lab whole: no text cut or elided ("…"), no table that needs a sideways scroll, and the
result (bars, map, chart) keeping most of the window. :func:`fit_report` measures exactly that
on the widgets as laid out, so the tests assert on geometry and texts rather than on pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTabBar,
    QWidget,
)

SLACK = 2  # pixels of rounding a text may overrun before it counts as cut


@dataclass
class FitReport:
    """What does not fit in one lab as it is shown now."""

    window: tuple[int, int]
    result_share: float  # the result widget's part of the window's area (0 … 1)
    cut: list[str] = field(default_factory=list)  # texts elided or clipped, described
    sideways: list[str] = field(default_factory=list)  # tables showing a horizontal scrollbar

    @property
    def ok(self) -> bool:
        return not self.cut and not self.sideways and self.result_share >= 0.5

    def to_json(self) -> dict[str, object]:
        return {
            "window": list(self.window),
            "result_share": round(self.result_share, 3),
            "cut": self.cut,
            "sideways": self.sideways,
        }


def _name(w: QWidget) -> str:
    return w.accessibleName() or w.objectName() or type(w).__name__


def _visible(w: QWidget, root: QWidget) -> bool:
    return w.isVisibleTo(root) and w.width() > 0 and w.height() > 0


def _label_cut(label: QLabel) -> bool:
    if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return False
    hint = label.sizeHint()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        return needed > label.height() + SLACK
    return hint.width() > label.width() + SLACK or hint.height() > label.height() + SLACK


def _header_cut(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or not header.isVisible():
        return []
    metrics = header.fontMetrics()
    horizontal = header.orientation() == Qt.Orientation.Horizontal
    out = []
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionSize(section) == 0:
            continue
        text = str(model.headerData(section, header.orientation()) or "")
        if not text:
            continue
        if horizontal:
            needed = max(metrics.horizontalAdvance(line) for line in text.splitlines()) + 8
        else:
            needed = metrics.height() * len(text.splitlines())
        if needed > header.sectionSize(section) + SLACK:
            out.append(f"header '{text}' ({header.sectionSize(section)} px of {needed})")
    return out


def _tab_bar_cut(bar: QTabBar) -> list[str]:
    out = []
    shown = [i for i in range(bar.count()) if bar.isTabVisible(i)]  # a hidden tab has no rect
    for i in shown:
        if bar.tabRect(i).width() + SLACK < bar.tabSizeHint(i).width():
            out.append(f"tab '{bar.tabText(i)}' elided")
    if bar.usesScrollButtons() and any(not bar.tabRect(i).isValid() for i in shown):
        out.append("tab bar needs scroll arrows")
    right = max((bar.tabRect(i).right() for i in shown), default=0)
    if right > bar.width() + SLACK:
        out.append(f"tab bar needs scroll arrows ({right} px in {bar.width()})")
    return out


def _cells_cut(view: QAbstractItemView) -> list[str]:
    """Table cells whose text does not fit their cell (elided, or wrapped past its height)."""
    model = view.model()
    root = QModelIndex()
    if model is None:
        return []
    try:
        columns = max(model.columnCount(root), 1)
    except TypeError:  # a list model keeps columnCount private
        columns = 1
    rows = model.rowCount(root)
    if rows * columns > 2000:
        return []
    metrics = view.fontMetrics()
    area = view.viewport().rect()
    wrap = bool(getattr(view, "wordWrap", lambda: False)())
    out = []
    for r in range(rows):
        for c in range(columns):
            index = model.index(r, c)
            rect = view.visualRect(index)
            text = str(index.data() or "")
            if not text or not rect.isValid() or not area.intersects(rect):
                continue
            room = rect.width() - 6  # the item delegate's text margins
            if wrap:
                box = metrics.boundingRect(0, 0, room, 100_000, Qt.TextFlag.TextWordWrap, text)
                cut = box.height() > rect.height() + SLACK or box.width() > room + SLACK
            else:
                cut = metrics.horizontalAdvance(text) > room + SLACK
            if cut:
                out.append(f"cell '{text[:30]}' in {_name(view)} ({rect.width()}×{rect.height()})")
    return out


def cut_texts(root: QWidget) -> list[str]:
    """Every visible text under ``root`` that is elided or clipped."""
    out: list[str] = []
    for label in root.findChildren(QLabel):
        if _visible(label, root) and _label_cut(label):
            out.append(f"label '{label.text()[:40]}' ({label.width()}×{label.height()})")
    for button in root.findChildren(QAbstractButton):
        if (
            _visible(button, root)
            and button.text()
            and button.sizeHint().width() > button.width() + SLACK
        ):
            out.append(f"button '{button.text()}' ({button.width()} px)")
    for combo in root.findChildren(QComboBox):
        if _visible(combo, root) and combo.minimumSizeHint().width() > combo.width() + SLACK:
            out.append(f"combo '{_name(combo)}' ({combo.width()} px)")
    for header in root.findChildren(QHeaderView):
        if _visible(header, root):
            out.extend(_header_cut(header))
    for view in root.findChildren(QAbstractItemView):
        if _visible(view, root) and not isinstance(view, QComboBox):
            out.extend(_cells_cut(view))
    for bar in root.findChildren(QTabBar):
        if _visible(bar, root):
            out.extend(_tab_bar_cut(bar))
    return out


def cut_plots(root: QWidget) -> list[str]:
    """Plots whose drawing is larger than their view (a legend or title too big for it): the
    view shows its top left and cuts the rest."""
    out = []
    for view in root.findChildren(QGraphicsView):
        central = getattr(view, "centralWidget", None)
        if central is None or not _visible(view, root):
            continue
        drawn, shown = central.size(), view.viewport().size()
        if drawn.width() > shown.width() + SLACK or drawn.height() > shown.height() + SLACK:
            out.append(
                f"plot '{_name(view)}' cut ({drawn.width():.0f}×{drawn.height():.0f} drawn in "
                f"{shown.width()}×{shown.height()})"
            )
    return out


def sideways_tables(root: QWidget) -> list[str]:
    """Visible item views that show a horizontal scrollbar."""
    return [
        _name(view)
        for view in root.findChildren(QAbstractItemView)
        if _visible(view, root)
        and isinstance(view, QAbstractScrollArea)
        and view.horizontalScrollBar().isVisible()
    ]


def fit_report(window: QWidget, tab: QWidget, result: QWidget | None) -> FitReport:
    """How the current lab ``tab`` fits in ``window``; ``result`` is its answer's widget."""
    area = max(window.width() * window.height(), 1)
    share = 0.0
    if result is not None and result.isVisibleTo(window):
        seen = result.visibleRegion().boundingRect()  # less what a scroll area hides
        share = seen.width() * seen.height() / area
    cut = cut_texts(window) + cut_plots(window)
    for scroll in window.findChildren(QAbstractScrollArea, "page_scroll"):
        if _visible(scroll, window) and (
            scroll.horizontalScrollBar().isVisible() or scroll.verticalScrollBar().isVisible()
        ):
            inner = scroll.widget() if isinstance(scroll, QScrollArea) else None
            hint = inner.minimumSizeHint() if inner is not None else None
            needs = f" ({hint.width()}×{hint.height()} px)" if hint is not None else ""
            cut.append(f"the lab scrolls in its window{needs}")
    return FitReport((window.width(), window.height()), share, cut, sideways_tables(tab))
