"""Settings > School details: the school's name and safeguarding contacts for handouts and
`{{ school.* }}` placeholders. Saved atomically; the open lesson is drawn again with them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.logo import logo_problem
from ..core.model import SCHOOL_FALLBACKS, School
from ..core.region import school_region_problem
from .accessible import name_helper_widgets
from .plain_text import plain_label, warn
from .session import Session

FIELDS = (
    ("name", "School &name"),
    ("dsl_name", "&Designated Safeguarding Lead"),
    ("dsl_contact", "How to &contact the DSL"),
    ("deputy_dsl_name", "D&eputy DSL"),
    ("online_safety_lead", "&Online safety lead"),
    ("phone", "School &phone number"),
    ("lado", "&LADO (allegations about staff)"),
    ("social_care", "Children's social care / &MASH"),
    ("social_care_out_of_hours", "Social care out of &hours"),
)
EXAMPLES = {
    "name": "e.g. Hill Primary School",
    "dsl_name": "e.g. Ms Rivera",
    "dsl_contact": "e.g. room 12, or dsl@school.example",
    "deputy_dsl_name": "e.g. Mr Okafor",
    "online_safety_lead": "e.g. Mrs Shah",
    "phone": "e.g. 01632 960123",
    "lado": "e.g. 01632 960456",
    "social_care": "e.g. 01632 960789",
    "social_care_out_of_hours": "e.g. 01632 960000",
}


class SchoolDetailsDialog(QDialog):
    """A form over a School value; `school()` is what the user typed."""

    def __init__(self, school: School, regions: list[str], parent: QWidget | None = None,
                 region_problem: Callable[[School], str] = lambda school: ""):
        super().__init__(parent)
        self.setWindowTitle("School details")
        self.setMinimumWidth(680)  # room for the examples and fallbacks in each box
        self.original = school
        intro = QLabel("These details appear on printed handouts and wherever a lesson names "
                       "your school or its safeguarding contacts. Parents' sheets show the school "
                       "phone and the DSL; staff guides also show the LADO and children's social "
                       "care. Leave a box empty and the lesson reads naturally, for example "
                       "\u201cyour Designated Safeguarding Lead\u201d.", self)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, label in FIELDS:
            edit = QLineEdit(getattr(school, key), self)
            edit.setObjectName(f"school-{key}")
            edit.setPlaceholderText(f"{EXAMPLES[key]} (empty: \u201c{SCHOOL_FALLBACKS[key]}\u201d)")
            edit.setMaxLength(200)
            form.addRow(label, edit)
            self.edits[key] = edit
        self.region = QComboBox(self)
        self.region.setObjectName("school-region")
        self.region.addItem("Each lesson's own (usually UK)", "")
        for region in sorted({*regions, school.region} - {""}):
            self.region.addItem(region.upper() if len(region) <= 3 else region.title(), region)
        self.region.setCurrentIndex(self.region.findData(school.region))
        form.addRow("&Region (which helplines)", self.region)
        self.region_problem = region_problem
        self.region_warning = plain_label(parent=self)
        self.region_warning.setObjectName("school-region-warning")
        self.region_warning.setWordWrap(True)
        form.addRow("", self.region_warning)
        self.region.currentIndexChanged.connect(self.show_region_warning)
        self.show_region_warning()
        self.logo = QLineEdit(school.logo, self)
        self.logo.setObjectName("school-logo")
        self.logo.setPlaceholderText("a PNG or JPEG file, at most 1 MB (empty: no logo)")
        choose = QPushButton("Choose\u2026", self)
        choose.clicked.connect(self.choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(choose)
        form.addRow(QLabel("Lo&go on printed pages", self, buddy=self.logo), logo_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        name_helper_widgets(self)

    def show_region_warning(self, *_: object) -> None:
        """A region chosen before whose helplines are no longer installed: said here too."""
        problem = self.region_problem(replace(self.original, region=self.region.currentData()))
        self.region_warning.setText(problem)
        self.region_warning.setVisible(bool(problem))

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "School logo", "",
                                              "Pictures (*.png *.jpg *.jpeg)")
        if path:
            self.logo.setText(path)

    def accept(self) -> None:
        """A logo that cannot print is said now, and the form stays open to fix it."""
        problem = self.logo.text().strip() and logo_problem(self.logo.text().strip())
        if problem:
            warn(self, "Logo not usable", problem)
            return
        super().accept()

    def school(self) -> School:
        typed = {key: " ".join(edit.text().split()) for key, edit in self.edits.items()}
        return replace(self.original, **typed, region=self.region.currentData() or "",
                       logo=self.logo.text().strip())


def save_and_apply(session: Session, school: School, parent: QWidget | None = None) -> bool:
    """Store the details; the settings store tells the session (which re-renders the open
    lesson), the print preview and the status bar."""
    try:
        session.settings.set_school(school)
    except OSError as exc:
        warn(parent, "School details not saved",
             f"{exc.filename or 'school.json'}: {exc.strerror or exc}")
        return False
    return True


def route_regions(session: Session) -> list[str]:
    return [path.stem for folder in session.library.route_dirs() for path in folder.glob("*.yaml")]


def edit_school_details(session: Session, parent: QWidget | None = None) -> SchoolDetailsDialog:
    """Settings > School details: open the form; Save stores and applies it."""
    dialog = SchoolDetailsDialog(session.school, route_regions(session), parent,
                                 lambda school: school_region_problem(session.library, school))
    dialog.accepted.connect(lambda: save_and_apply(session, dialog.school(), parent))
    dialog.open()
    return dialog
