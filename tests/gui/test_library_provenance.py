"""The library shows where each lesson came from (issue 20): nothing extra for edukit's own
lessons, "own" for a teacher's, the trusted publisher's name for a signed pack's lessons and
"unverified pack" for the rest, with the pack's name, version and publisher in the tooltip."""
from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtGui import QTextDocument
from signing_helpers import PUBLISHER, signed, trust_key

from edukit.cli import main
from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.paths import AppDirs
from edukit.gui.library_pane import BADGES_ROLE, ID_ROLE, LibraryPane
from edukit.gui.session import Session

LESSON = "---\ntitle: {title}\naudience: pupils\nages: 11-14\n---\n\n## Talk\n\nTell an adult.\n"


def write_pack(path: Path, module_id: str, publisher: str, key=True) -> Path:
    members = {f"modules/{module_id}/module.md": LESSON.format(title=module_id)}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in (signed(members, publisher=publisher) if key else members).items():
            zf.writestr(name, data)
    return path


def shown_items(qtbot) -> dict[str, tuple[list[str], str]]:
    pane = LibraryPane(Session(Library.default(dirs=AppDirs.default()), School()))
    qtbot.addWidget(pane)
    return {item.data(0, ID_ROLE): (item.data(0, BADGES_ROLE), item.toolTip(0))
            for item in pane.module_items()}


def as_text(tooltip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def test_each_lessons_source_is_a_badge_and_its_pack_label_is_in_the_tooltip(qtbot, tmp_path):
    trust_key()
    assert main(["import-pack", str(write_pack(tmp_path / "a.zip", "from-council",
                                               PUBLISHER))]) == 0
    assert main(["import-pack", str(write_pack(tmp_path / "b.zip", "from-anyone", "",
                                               key=False))]) == 0
    own = AppDirs.default().user_modules / "my-own.md"
    own.write_text(LESSON.format(title="Mine"), encoding="utf-8")
    items = shown_items(qtbot)
    badges, tip = items["from-council"]
    assert PUBLISHER in badges
    assert "From: pack anytown-lessons 2026.3 by Anytown Council" in as_text(tip)
    assert "unverified pack" in items["from-anyone"][0]
    assert "own" in items["my-own"][0] and "From: your own lessons" in as_text(items["my-own"][1])
    bundled_badges, bundled_tip = items["who-can-i-tell"]  # control: edukit's own, no source
    assert not {PUBLISHER, "own", "unverified pack"} & set(bundled_badges)
    assert "From:" not in as_text(bundled_tip)


def test_a_publishers_name_from_a_manifest_is_shown_as_written(qtbot, tmp_path):
    """The manifest's publisher is the pack's words, not the school's: shown as plain text."""
    hostile = '<img src="/etc/passwd"> <a href="http://evil.example">Council</a>'
    assert main(["import-pack", str(write_pack(tmp_path / "h.zip", "hostile-pack",
                                               hostile))]) == 0  # signed, key not trusted
    badges, tip = shown_items(qtbot)["hostile-pack"]
    assert "unverified pack" in badges
    assert f"{hostile} (unverified)" in as_text(tip)
    assert "<img" not in tip and "<a " not in tip
