"""The release build's inputs, checked without building (a PyInstaller run takes minutes):
what the spec bundles, what it leaves out, the version resource, the installer script."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import sys
from pathlib import Path

import pytest
from PIL import Image

from muskan_desktop import __version__, faces, paths

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def contents():
    return load("contents")


@pytest.fixture(scope="module")
def bundled(contents) -> dict[str, str]:
    """bundle path (folder/name) -> source, for every data file the spec adds."""
    return {f"{dest}/{Path(src).name}": src for src, dest in contents.data_files()}


def test_the_spec_parses_and_builds_from_the_shared_lists():
    tree = ast.parse((PACKAGING / "muskan.spec").read_text())
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and hasattr(n.func, "id")}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls
    text = (PACKAGING / "muskan.spec").read_text()
    for used in (
        "contents.data_files",
        "contents.EXCLUDES",
        "contents.HIDDEN_IMPORTS",
        "upx=False",
    ):
        assert used in text
    assert (PACKAGING / "muskan_entry.py").read_text().count("from ui.launch import main") == 1


def test_every_runtime_resource_is_bundled_where_the_app_looks(bundled):
    expected = [
        *(ROOT / "resources" / "translations").glob("*.qm"),
        *(ROOT / "resources" / "fonts").glob("*.ttf"),
        *(ROOT / "resources" / "data").glob("*.json"),
        *(ROOT / "resources" / "selftest").iterdir(),
        *(ROOT / "db" / "versions").glob("*.py"),
        ROOT / "db" / "env.py",
        ROOT / "db" / "script.py.mako",
    ]
    assert len(expected) > 20
    for path in expected:
        key = path.relative_to(ROOT).as_posix()
        assert key in bundled, key
    # sources of the shipped files are not shipped
    assert not [k for k in bundled if k.endswith((".ts", ".sh", ".pyc"))]
    # paths.install_root() is sys._MEIPASS in the bundle: resources/ and db/ at its top
    assert paths.resource("fonts").relative_to(paths.install_root()).as_posix() == (
        "resources/fonts"
    )
    assert paths.migrations_dir().relative_to(paths.install_root()).as_posix() == "db"


def test_the_self_test_photos_carry_their_licence(bundled):
    folder = ROOT / "resources" / "selftest"
    licence = (folder / "LICENSE.txt").read_text()
    assert "MIT License" in licence and "Adam Geitgey" in licence
    for name in ("obama.jpg", "obama2.jpg", "biden.jpg"):
        assert name in licence
        with Image.open(folder / name) as im:
            assert max(im.size) <= 640  # small: the installer carries them


def test_the_face_models_the_code_loads_are_bundled(contents, bundled):
    for name in contents.FACE_MODELS:
        assert f"face_recognition_models/models/{name}" in bundled
    # DlibFaces loads these at start with the default settings
    loaded = set(re.findall(r'model_file\("([^"]+)"\)', inspect.getsource(faces.DlibFaces)))
    init = inspect.getsource(faces.DlibFaces.__init__)
    at_start = {n for n in loaded if n in init}
    assert at_start == set(contents.FACE_MODELS)
    # any other model the code can load is a deliberate omission, and not used by default
    assert loaded - at_start <= set(contents.FACE_MODELS_LEFT_OUT)
    assert faces.DEFAULT_SETTINGS.landmarks == "small"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def test_nothing_the_app_imports_is_excluded_from_the_bundle(contents):
    """An excluded package the station app imports would break the bundle at run time."""
    excluded = set(contents.EXCLUDES)
    files = [*(ROOT / "muskan_desktop").rglob("*.py"), *(ROOT / "ui").glob("*.py")]
    server = [(ROOT / p.replace(".", "/")) for p in contents.SERVER_PACKAGES]
    hits = []
    for f in files:
        if any(f.is_relative_to(s) for s in server):
            continue
        for name in _imports(f):
            top = name.split(".")[0]
            if name in excluded or top in excluded:
                hits.append(f"{f.relative_to(ROOT)}: {name}")
    assert hits == []
    assert {"tkinter", "faiss", "pytest", "hypothesis", "PyInstaller"} <= excluded


def test_version_resource_follows_the_app_version():
    vi = load("version_info")
    assert vi.app_version() == __version__
    assert vi.numeric("1.2.0rc1") == (1, 2, 0, 0)
    assert vi.numeric("0.1.0") == (0, 1, 0, 0)
    text = vi.version_text("MuskanDesktop", "1.2.0rc1")
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates it as one expression
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    assert "filevers=(1, 2, 0, 0)" in text
    assert "StringStruct('FileVersion', '1.2.0rc1')" in text
    assert "StringStruct('OriginalFilename', 'MuskanDesktop.exe')" in text
    assert f"StringStruct('ProductVersion', '{__version__}')" in vi.version_text("muskan")


def test_the_icon_has_every_windows_size():
    with Image.open(PACKAGING / "muskan.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def _iss_sections(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1)
            out.setdefault(current, [])
        else:
            out.setdefault(current, []).append(line)
    return out


def test_installer_texts_exist_in_english_and_hindi(contents):
    iss = (PACKAGING / "muskan.iss").read_text(encoding="ascii")  # Devanagari lives in .isl
    raw = (PACKAGING / "Hindi.isl").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: how Inno Setup 6 reads Unicode
    hindi = _iss_sections(raw.decode("utf-8-sig"))
    hindi_custom = dict(line.split("=", 1) for line in hindi["CustomMessages"])
    hindi_msgs = dict(line.split("=", 1) for line in hindi["Messages"])
    english = {
        line.split("=", 1)[0].removeprefix("english.")
        for line in _iss_sections(iss)["CustomMessages"]
    }
    inno_builtin = {"CreateDesktopIcon", "AdditionalIcons", "LaunchProgram"}
    used = set(re.findall(r"\{cm:(\w+)", iss)) | set(re.findall(r"CustomMessage\('(\w+)'\)", iss))
    assert used >= {"AppComment", "DeleteDataPrompt", "CreateDesktopIcon"}
    for name in used:
        assert name in english or name in inno_builtin, name
        assert name in hindi_custom, name
    for value in [*hindi_custom.values(), *hindi_msgs.values()]:
        if value.strip("%1234 .-<>()&"):
            assert re.search("[\u0900-\u097f]", value), value
    assert "<0939><093F><0928><094D><0926><0940>" in raw.decode("utf-8-sig")  # हिन्दी
    # the prompt names the program and the folder it would delete
    assert "%1" in hindi_custom["DeleteDataPrompt"] and "%2" in hindi_custom["DeleteDataPrompt"]


def test_installer_script_matches_the_bundle_and_the_data_folder(contents):
    iss = (PACKAGING / "muskan.iss").read_text(encoding="ascii")
    assert f'#define GuiExe "{contents.GUI_EXE_NAME}.exe"' in iss
    assert f'#define DataFolder "{paths.APP_NAME}"' in iss
    assert "{localappdata}\\{#DataFolder}" in iss  # platformdirs' user_data_dir, roaming=False
    assert "PrivilegesRequiredOverridesAllowed=dialog commandline" in iss  # /ALLUSERS, /CURRENTUSER
    assert "UninstallSilent" in iss and "/DELETEDATA" in iss and "MB_DEFBUTTON2" in iss
    assert 'MessagesFile: "compiler:Default.isl,Hindi.isl"' in iss


def test_the_windows_workflow_builds_tests_and_uploads():
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "windows.yml").read_text())
    (job,) = flow["jobs"].values()
    assert job["runs-on"].startswith("windows")
    script = "\n".join(str(s.get("run", "")) + str(s.get("uses", "")) for s in job["steps"])
    for needed in (
        "uv sync --locked",
        "packaging/build.py",
        "--self-test",
        "choco install innosetup",
        "/VERYSILENT",
        "actions/upload-artifact",
    ):
        assert needed in script, needed
    assert job["env"]["QT_QPA_PLATFORM"] == "offscreen"


def test_build_output_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/build/" in ignored and "/dist/" in ignored
