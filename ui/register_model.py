"""The case register as a Qt model: the count up front, rows fetched a page at a time.

A filter's row count (and the first page) come from indexed queries off the GUI thread;
any other page (200 cases) is read when the view first shows it — an ordered scan of the
register index — so 100,000 cases scroll smoothly with only the visible pages in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from muskan_desktop import places

from . import labels

if TYPE_CHECKING:
    from muskan_desktop.db import Database
    from muskan_desktop.filters import CaseFilter

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [
    "kind",
    "name_latin",
    "name_deva",
    "sex",
    "age",
    "status",
    "district",
    "station",
    "reported_on",
]
SORT_KEYS = {
    "kind": "kind",
    "name_latin": "name",
    "sex": "sex",
    "age": "age",
    "status": "status",
    "district": "district",
    "reported_on": "reported_on",
}
HEADERS = {
    "kind": QT_TRANSLATE_NOOP("Register", "Type"),
    "name_latin": QT_TRANSLATE_NOOP("Register", "Name"),
    "name_deva": QT_TRANSLATE_NOOP("Register", "Name (Hindi)"),
    "sex": QT_TRANSLATE_NOOP("Register", "Sex"),
    "age": QT_TRANSLATE_NOOP("Register", "Age"),
    "status": QT_TRANSLATE_NOOP("Register", "Status"),
    "district": QT_TRANSLATE_NOOP("Register", "District"),
    "station": QT_TRANSLATE_NOOP("Register", "Police station"),
    "reported_on": QT_TRANSLATE_NOOP("Register", "Reported on"),
}
KIND_COLOURS = {"missing": QColor("#fde8e8"), "found": QColor("#e6f4ea")}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 200
MAX_PAGES = 60


def district_name(english: str, hindi: bool) -> str:
    """Districts are stored by their English name; shown in the officer's language."""
    if not hindi:
        return english
    place = places.find_district(english)
    return place.hi if place else english


class CaseTableModel(QAbstractTableModel):
    sortRequested = Signal(str, bool)  # sort key, descending

    def __init__(self, db: Database | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self._filter: CaseFilter | None = None
        self._total = 0
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self._stations: dict[str, tuple[str, str | None]] = {}
        self.hindi = False

    def set_db(self, db: Database) -> None:
        self.db = db
        self._stations.clear()

    def set_result(self, f: CaseFilter, total: int, first_page: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self._filter, self._total = f, total
        self._pages.clear()
        self._pages[0] = first_page
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read visible rows (after an edit) without changing the order."""
        self._pages.clear()
        if self._total:
            last = self.index(self._total - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def case_id(self, row: int) -> str | None:
        r = self._row(row)
        return r[0] if r else None

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return labels.xlate("Register", HEADERS[COLUMNS[section]])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(COLUMNS[column])
        if key:
            self.sortRequested.emit(key, order == Qt.SortOrder.DescendingOrder)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.db is None:
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, ID_ROLE):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role == ID_ROLE:
            return row[0]
        col = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(col, row)
        if col == "kind":
            return QBrush(KIND_COLOURS[row[1]])
        return None

    @property
    def needs_stations(self) -> bool:
        return not self._stations

    def set_stations(self, names: dict[Any, tuple[str, str | None]]) -> None:
        """The station names, read with a search off the GUI thread (station_names)."""
        self._stations = names

    def ensure_stations(self) -> None:
        if not self._stations and self.db is not None:
            self._stations = station_names(self.db)

    def _text(self, col: str, r: tuple[Any, ...]) -> str:
        _id, kind, latin, deva, sex, age, status, district, station_id, reported = r
        if col == "kind":
            return labels.kind_label(kind)
        if col == "name_latin":
            return latin or ""
        if col == "name_deva":
            return deva or ""
        if col == "sex":
            return labels.sex_label(sex)
        if col == "age":
            return "" if age is None else str(age)
        if col == "status":
            return labels.status_label(status)
        if col == "district":
            return district_name(district, self.hindi)
        if col == "station":
            en, hi = self._stations.get(station_id, ("", None))
            return (hi or en) if self.hindi else en
        return reported.isoformat()

    def _row(self, row: int) -> tuple[Any, ...] | None:
        if not 0 <= row < self._total:
            return None
        page, at = divmod(row, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._load_page(page)
        else:
            self._pages.move_to_end(page)
        return rows[at] if at < len(rows) else None

    def _load_page(self, page: int) -> list[tuple[Any, ...]]:
        from muskan_desktop.search import SearchIndex

        assert self.db is not None and self._filter is not None
        self.ensure_stations()
        with self.db.read() as s:
            rows = SearchIndex.for_db(self.db).page(s, self._filter, page * PAGE, PAGE)
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return rows


def station_names(db: Database) -> dict[Any, tuple[str, str | None]]:
    """Every station's names by id (a few hundred rows at most)."""
    from sqlalchemy import select

    from muskan_desktop.models import Station

    with db.read() as s:
        return {
            sid: (en, hi)
            for sid, en, hi in s.execute(select(Station.id, Station.name_en, Station.name_hi))
        }
