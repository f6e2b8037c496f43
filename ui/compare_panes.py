"""The picture half of the comparison view: two photos at one scale, aligned faces, a blend.

Each photo is placed in its scene scaled so the distance between the eyes is `REF_IOD`
scene units, with the midpoint of the eyes at the scene's origin. So the same scene point
is the same part of the face in both photos, and zoom and pan can simply be copied from
one view to the other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image
from PIL.ImageQt import ImageQt
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QSizePolicy,
    QWidget,
)

from muskan_desktop.face_align import CROP_SIDE, eye_targets, landmark_runs
from muskan_desktop.match_review import FaceView

REF_IOD = 60.0  # scene units between the eye centres
BOX_PEN = QColor("#f5b800")
MARK_PEN = QColor("#00c8ff")
GUIDE_PEN = QColor("#ff3b30")


def to_qimage(image: Image.Image) -> QImage:
    return QImage(ImageQt(image.convert("RGB"))).copy()


def landmark_path(points: np.ndarray) -> QPainterPath:
    path = QPainterPath()
    runs = landmark_runs(points)
    for run in runs:
        path.moveTo(QPointF(*points[run[0]]))
        for i in run[1:]:
            path.lineTo(QPointF(*points[i]))
    for x, y in points:
        path.addEllipse(QPointF(x, y), 1.6, 1.6)
    return path


class PhotoPane(QGraphicsView):
    """One photo, normalised to the shared face scale, with its face box and landmarks."""

    wheelZoom = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(QColor("#202124"))
        self.setMinimumSize(260, 260)
        self.pixmap_item: QGraphicsPixmapItem | None = None
        self.box_item: QGraphicsRectItem | None = None
        self.marks_item: QGraphicsPathItem | None = None
        self.face: FaceView | None = None

    def set_face(self, face: FaceView | None, qimage: QImage | None, marks: bool) -> None:
        scene = self.scene()
        scene.clear()
        self.pixmap_item = self.box_item = self.marks_item = None
        self.face = face
        if face is None or qimage is None:
            return
        item = scene.addPixmap(QPixmap.fromImage(qimage))
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        if face.landmarks is not None:
            left, right = face.landmarks.eyes()
            k = REF_IOD / max(float(np.hypot(*(right - left))), 1.0)
            mid = (left + right) / 2.0
        else:
            k = 8 * REF_IOD / max(qimage.height(), 1)
            mid = np.array([qimage.width() / 2.0, qimage.height() / 2.0])
        item.setScale(k)
        item.setPos(-mid[0] * k, -mid[1] * k)
        self.pixmap_item = item
        pen = QPen(BOX_PEN, 2)
        pen.setCosmetic(True)
        if face.box is not None:
            b = face.box
            self.box_item = scene.addRect(QRectF(b.left, b.top, b.width, b.height), pen)
            self.box_item.setParentItem(item)
            self.box_item.setPos(0, 0)
        if face.landmarks is not None:
            mpen = QPen(MARK_PEN, 1.5)
            mpen.setCosmetic(True)
            self.marks_item = scene.addPath(landmark_path(face.landmarks.points), mpen)
            self.marks_item.setParentItem(item)
            self.marks_item.setVisible(marks)

    def item_rect(self) -> QRectF:
        return self.pixmap_item.sceneBoundingRect() if self.pixmap_item else QRectF()

    def set_marks(self, on: bool) -> None:
        if self.marks_item is not None:
            self.marks_item.setVisible(on)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.wheelZoom.emit(1.15**steps)
        event.accept()


class AlignedPane(QLabel):
    """An eye-aligned face crop with the eye guides (and, when asked, the landmarks)."""

    def __init__(self, parent: QWidget | None = None, side: int = 220) -> None:
        super().__init__(parent)
        self.side = side
        self.setFixedSize(side, side)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #202124; color: #ddd;")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def show_crop(
        self, crop: Image.Image | None, points: np.ndarray | None, marks: bool, guides: bool = True
    ) -> None:
        if crop is None:
            self.setPixmap(QPixmap())
            return
        img = to_qimage(crop)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if marks and points is not None:
            p.setPen(QPen(MARK_PEN, 1.2))
            p.drawPath(landmark_path(points))
        if guides:
            (lx, ly), (rx, _) = eye_targets(CROP_SIDE)
            p.setPen(QPen(GUIDE_PEN, 1.4, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(0, ly), QPointF(CROP_SIDE, ly))
            for x in (lx, rx):
                p.drawLine(QPointF(x, ly - 12), QPointF(x, ly + 12))
        p.end()
        self.setPixmap(
            QPixmap.fromImage(img).scaled(
                self.side,
                self.side,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


def blend(a: Image.Image | None, b: Image.Image | None, t: float) -> Image.Image | None:
    """`a` at t=0, `b` at t=1, cross-faded between (both crops are the same size)."""
    if a is None or b is None:
        return a if b is None else b
    return Image.blend(a.convert("RGB"), b.convert("RGB"), max(0.0, min(1.0, t)))


def sync_views(src: PhotoPane, dst: PhotoPane) -> None:
    """Show in `dst` the same part of the face, at the same zoom, as in `src`."""
    dst.setTransform(src.transform())
    centre = src.mapToScene(src.viewport().rect().center())
    dst.centerOn(centre)


def union_rect(panes: list[PhotoPane], margin: float = 2 * REF_IOD) -> QRectF:
    rect = QRectF()
    for p in panes:
        rect = rect.united(p.item_rect())
    return rect.adjusted(-margin, -margin, margin, margin)


def fit_face(pane: PhotoPane, zoom: float) -> None:
    """The face (about 3.5 eye distances wide) fills the view at zoom 1."""
    vp = pane.viewport().rect()
    want_w, want_h = 3.6 * REF_IOD, 4.6 * REF_IOD
    scale = min(vp.width() / want_w, vp.height() / want_h) * zoom
    pane.resetTransform()
    pane.scale(scale, scale)
    pane.centerOn(QPointF(0, 0.55 * REF_IOD))


def qimage_of(face: FaceView | None) -> Any:
    return None if face is None or face.image is None else to_qimage(face.image)
