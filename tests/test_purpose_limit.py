"""Issue 8's purpose limit: embeddings and photos leave a laptop only through the sync
protocol. The one bulk export there is (cases to CSV/Excel) carries neither."""

from __future__ import annotations

import base64

import openpyxl
from sqlalchemy import select

from muskan_desktop.faces import blob_to_vector
from muskan_desktop.matching import MatchService
from muskan_desktop.models import FaceEmbedding, Photo
from muskan_desktop.transfer import EXPORT_COLUMNS, export_cases

from .conftest import shared_dir
from .test_match_review import missing_case


def test_case_export_carries_no_face_descriptor_and_no_photo(ctx, tmp_path):
    case = missing_case(ctx)
    MatchService(ctx).add_photo(case, shared_dir() / "data" / "faces" / "obama.jpg")
    with ctx.db.read() as s:
        (emb,) = s.scalars(select(FaceEmbedding)).all()
        (photo,) = s.scalars(select(Photo)).all()
        vector = blob_to_vector(emb.vector)
    assert vector.shape == (128,)  # the descriptor exists, and is what must not leak
    assert not [c for c in EXPORT_COLUMNS if any(w in c for w in ("photo", "embed", "sha"))]
    csv_out, xlsx_out = tmp_path / "cases.csv", tmp_path / "cases.xlsx"
    assert export_cases(ctx, csv_out) == export_cases(ctx, xlsx_out) == 1
    text = csv_out.read_text(encoding="utf-8-sig")
    cells = [str(v) for row in openpyxl.load_workbook(xlsx_out).active.iter_rows(values_only=True)
             for v in row if v is not None]  # fmt: skip
    for blob in (text, "\n".join(cells)):
        assert photo.sha256 not in blob
        assert base64.b64encode(emb.vector).decode()[:24] not in blob
        assert f"{vector[0]:.6f}"[:8] not in blob
