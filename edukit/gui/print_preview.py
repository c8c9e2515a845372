"""File > Print: the current module's real PDF pages, previewed, printed or saved as PDF.

Choosing a kind, paper, large print or slides per page makes the PDF again (Chromium's own
printToPdf on a locked-down page) and the preview shows exactly what will be printed. The pages
show as soon as Chromium's first print is made; the PDF is tagged for screen readers after
(a second print, core/pdf_tags/), off the window's thread (the pages can be scrolled
meanwhile), and Print and Save as PDF use the tagged PDF, waiting for it when clicked before it
is ready (a fraction of a second): never the untagged one in silence.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QPointF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.atomic import write_atomic
from ..core.model import Module
from ..core.options import PAPER, PER_PAGE, PrintOptions, print_kinds
from ..core.settings import SaveError
from .accessible import name_helper_widgets
from .garbage import give_back_freed_memory_soon
from .geometry import fit_to_screen
from .names_field import NamesField
from .page_server import PageServer
from .pdf import PdfMaker
from .plain_text import ask, plain_label, warn, window_title
from .print_job import send_to_printer
from .session import Session
from .settings_store import SettingsStore

ZOOMS = ("Fit width", "Whole page", "50%", "75%", "100%", "150%", "200%")
THUMB_WIDTH = 110
FINISH_WAIT_MS = 30000  # Save or Print waits this long at most for the tagged PDF
# Settings that change nothing on paper: the preview is not made again for them.
NOT_PRINTED = frozenset({"theme", "zoom", "presenter_notes_points", "slides_follow_theme"})


class PrintPreview(QDialog):
    """The print dialog of the main window; also usable on its own (tests)."""

    pagesShown = Signal(int)  # page count, each time new pages are on screen
    pdfFinished = Signal()  # the PDF of the pages shown is tagged: `pdf` holds it
    failed = Signal(str)

    def __init__(self, pages: PageServer, module: Module, options: PrintOptions | None = None,
                 parent: QWidget | None = None, settings: SettingsStore | None = None):
        """With the app's settings store, a paper choice is kept for next time and a setting
        changed elsewhere reaches the pages at once."""
        super().__init__(parent)
        self.setWindowTitle(window_title(f"Print — {module.meta.title}"))
        fit_to_screen(self, 1100, 780)
        self.module = module
        self.pdf = b""  # the finished (tagged) PDF of the pages shown; b"" until it is
        self._waiting: QEventLoop | None = None  # a Save or Print waiting for `pdf`
        self.note = ""  # said beside the page count (a paper choice that could not be kept)
        # The next options' page waits, started; the tags are made off this window's thread.
        self.maker = PdfMaker(pages, spare=True, tags_aside=True)
        self._busy, self._again = False, False
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.settings = settings
        self.build(options or PrintOptions())
        if settings is not None:
            self.paper.currentIndexChanged.connect(self.remember_paper)
            self.large.toggled.connect(self.remember_paper)
            settings.changed.connect(self.follow_settings)
        self.refresh()

    # --- layout -------------------------------------------------------------------------
    def build(self, options: PrintOptions) -> None:
        meta = self.module.meta
        self.kind = combo(print_kinds(meta.kind, meta.audience), options.kind, "print-kind")
        self.paper = combo(PAPER, options.paper, "print-paper")
        self.per_page = combo({str(n): f"{n} per page" for n in PER_PAGE}, str(options.per_page),
                              "print-per-page")
        self.per_page.setAccessibleName("Slides per page")
        self.large = QCheckBox("&Large print", self)
        self.large.setChecked(options.large_print)
        self.zoom = combo({z: z for z in ZOOMS}, "Whole page", "print-zoom")
        self.status = plain_label(parent=self)
        self.status.setObjectName("print-status")
        for widget in (self.kind, self.paper, self.per_page):
            widget.currentIndexChanged.connect(self.refresh)
        self.large.toggled.connect(self.refresh)
        self.zoom.currentIndexChanged.connect(self.apply_zoom)
        self.names = NamesField(options.names, self)
        self.names.namesChanged.connect(self.refresh)

        self.view = QPdfView(self)
        self.view.setObjectName("print-pages")
        self.view.setAccessibleName("Pages as they will print")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.thumbnails = QListWidget(self)
        self.thumbnails.setObjectName("print-thumbnails")
        self.thumbnails.setAccessibleName("Page thumbnails")
        self.thumbnails.setIconSize(QSize(THUMB_WIDTH, round(THUMB_WIDTH * 1.42)))
        self.thumbnails.setFixedWidth(THUMB_WIDTH + 40)
        self.thumbnails.currentRowChanged.connect(self.show_page)

        self.print_button = QPushButton("&Print…", self)
        self.save_button = QPushButton("&Save as PDF…", self)
        close = QPushButton("Close", self)
        self.print_button.clicked.connect(self.print_pages)
        self.save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.reject)
        self.print_button.setDefault(True)

        options_row = row(QLabel("&Kind:", self, buddy=self.kind), self.kind,
                          QLabel("P&aper:", self, buddy=self.paper), self.paper, self.per_page,
                          self.large, QLabel("&Zoom:", self, buddy=self.zoom), self.zoom)
        pages_row = row(self.thumbnails, self.view, stretch_last=True)
        buttons = row(self.status, self.print_button, self.save_button, close, stretch_first=True)
        layout = QVBoxLayout(self)
        layout.addLayout(options_row)
        layout.addWidget(self.names)
        layout.addLayout(pages_row, 1)
        layout.addLayout(buttons)
        name_helper_widgets(self)

    def options(self) -> PrintOptions:
        kind = self.kind.currentData()
        names = self.names.names() if kind == "certificate" else ()
        return PrintOptions(kind=kind, paper=self.paper.currentData(),
                            per_page=int(self.per_page.currentData()),
                            large_print=self.large.isChecked(), names=names)

    # --- making the PDF -----------------------------------------------------------------
    def refresh(self, *_: object) -> None:
        """Make the PDF for the chosen options; a change while one is being made waits."""
        self.names.timer.stop()
        if self.maker is None:
            return  # released (closed): a late change of a setting or a field makes nothing
        self.per_page.setVisible(self.kind.currentData() == "nup")
        self.names.setVisible(self.kind.currentData() == "certificate")
        if self._busy:
            self._again = True
            return
        self._busy = True
        self.pdf = b""
        self.set_ready(False, "Making the pages…")
        self.maker.request(self.module, self.options(), self.show_pdf, self.show_pages)

    def show_pdf(self, pdf: bytes, error: str) -> None:
        """The finished PDF: kept for Print and Save as PDF (its pages are on screen)."""
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()
            return
        if error:
            self.set_ready(False, f"Could not make the pages: {error}")
            self.failed.emit(error)
            return
        self.pdf = pdf
        self.pdfFinished.emit()

    def show_pages(self, printed: bytes) -> None:
        """Chromium's first print, on screen while it is being tagged: the same pages."""
        if self._again:
            return  # the options changed meanwhile: these are not the pages asked for
        self.load_document(printed)
        self.fill_thumbnails()
        self.apply_zoom()
        count = self.document.pageCount()
        self.set_ready(True, f"{count} page{'s' if count != 1 else ''}")
        self.pagesShown.emit(count)

    def load_document(self, pdf: bytes) -> None:
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    def fill_thumbnails(self) -> None:
        self.thumbnails.clear()
        for index in range(self.document.pageCount()):
            size = self.document.pagePointSize(index)
            height = round(THUMB_WIDTH * size.height() / size.width())
            image = self.document.render(index, QSize(THUMB_WIDTH, height))
            item = QListWidgetItem(QIcon(framed(image)), f"{index + 1}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.thumbnails.addItem(item)

    def set_ready(self, ready: bool, message: str) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.status.setText(f"{message} — {self.note}" if ready and self.note else message)

    def remember_paper(self, *_: object) -> None:
        """Keep the paper and large-print choice as the user's preference for next time."""
        options = self.options()
        try:
            self.settings.update(paper=options.paper, large_print=options.large_print)
        except SaveError as exc:
            self.note = f"paper choice not kept: {exc.strerror}"
        else:
            self.note = ""

    def follow_settings(self, names: frozenset[str]) -> None:
        """A setting changed while the dialog is open (Settings, a menu, another preview): the
        paper choice follows it, and the pages are made again when it shows on paper (the
        session has applied it by now: it follows the store first)."""
        prefs = self.settings.preferences
        if "paper" in names:
            self.paper.setCurrentIndex(max(0, self.paper.findData(prefs.paper)))
        if "large_print" in names:
            self.large.setChecked(prefs.large_print)
        if names - NOT_PRINTED - {"paper", "large_print"}:
            self.refresh()

    # --- looking at the pages -----------------------------------------------------------
    def show_page(self, index: int) -> None:
        if 0 <= index < self.document.pageCount():
            self.view.pageNavigator().jump(index, QPointF(), self.view.zoomFactor())

    def apply_zoom(self, *_: object) -> None:
        choice = self.zoom.currentData()
        if choice == "Fit width":
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif choice == "Whole page":
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(int(choice.rstrip("%")) / 100)

    # --- printing and saving ------------------------------------------------------------
    def default_file_name(self) -> str:
        return f"{self.module.id}-{self.options().kind}.pdf"

    def print_pages(self) -> None:
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintCollateCopies, True)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def make_printer(self) -> QPrinter:
        from .pdf import page_layout

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(self.options()))
        printer.setDocName(self.default_file_name())
        printer.setFromTo(1, self.document.pageCount())
        return printer

    def finished_pdf(self) -> bytes:
        """The tagged PDF of the pages shown, waiting for it while it is being finished (b""
        if it fails, the dialog closes meanwhile, or it takes FINISH_WAIT_MS)."""
        if self.pdf or not self._busy or self.maker is None:
            return self.pdf
        before, finishing = self.status.text(), "Finishing the PDF…"
        self.set_ready(False, finishing)  # no second Save or Print while this one waits
        loop = QEventLoop()
        timer = QTimer(loop, singleShot=True, interval=FINISH_WAIT_MS)
        timer.timeout.connect(loop.quit)
        self.pdfFinished.connect(loop.quit)
        self.failed.connect(loop.quit)
        self._waiting = loop
        timer.start()
        try:
            loop.exec()
        finally:
            self._waiting = None
            timer.stop()
            self.pdfFinished.disconnect(loop.quit)
            self.failed.disconnect(loop.quit)
            if self.status.text() == finishing:  # nothing else said meanwhile
                self.print_button.setEnabled(True)
                self.save_button.setEnabled(True)
                self.status.setText(before)
        return self.pdf

    def print_to(self, printer: QPrinter) -> bool:
        """Print the previewed pages on this printer; a failure is shown, never raised."""
        try:
            pdf = self.finished_pdf()
            if not pdf:
                raise OSError("the PDF is not ready; try again")
            message = send_to_printer(pdf, self.document, printer, self.module.meta.title)
        except (OSError, ValueError, TimeoutError) as exc:
            self.status.setText(f"Not printed: {exc}")
            warn(self, "Not printed", str(exc))
            return False
        self.status.setText(message)
        return True

    def save_pdf(self) -> None:
        start = Path.home() / self.default_file_name()
        path, _ = QFileDialog.getSaveFileName(
            self, "Save as PDF", str(start), "PDF files (*.pdf)",
            options=QFileDialog.Option.DontConfirmOverwrite)  # we ask ourselves, below
        if path:
            self.save_to(Path(path if path.lower().endswith(".pdf") else path + ".pdf"))

    def save_to(self, path: Path) -> bool:
        """Write the PDF atomically; an existing file is replaced only if the user says so."""
        replacing = path.exists()
        if replacing and not self.confirm_replace(path):
            self.status.setText(f"Not saved: {path.name} already exists")
            return False
        pdf = self.finished_pdf()
        if not pdf:
            self.status.setText("Not saved: the PDF is not ready; try again")
            return False
        try:  # a file that appears meanwhile (another save) is not replaced unasked
            write_atomic(path, pdf, overwrite=replacing)
        except OSError as exc:
            self.status.setText(f"Not saved: {exc.strerror or exc}")
            warn(self, "Not saved", f"{path}: {exc.strerror or exc}")
            return False
        self.status.setText(f"Saved {path}")
        return True

    def confirm_replace(self, path: Path) -> bool:
        return ask(self, "Replace file?",
                   f"{path.name} already exists in {path.parent}.\n\nReplace it?")

    def done(self, result: int) -> None:
        self.release()
        super().done(result)

    def closeEvent(self, event) -> None:
        """Closing a preview that was never shown skips done(): release the page here too."""
        self.release()
        super().closeEvent(event)

    def release(self) -> None:
        """Free the hidden web page (before its profile, as Qt WebEngine requires); a Save or
        Print waiting for the PDF stops waiting (no PDF comes from a released maker)."""
        if self._waiting is not None:
            self._waiting.quit()
        if self.maker is not None:
            self.maker.close()
            self.maker = None
            if self.settings is not None:
                self.settings.changed.disconnect(self.follow_settings)


def framed(image: QImage) -> QPixmap:
    """A thumbnail with a thin edge, so a white page stands out from a white list."""
    pixmap = QPixmap.fromImage(image)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#8a939e"))
    painter.drawRect(0, 0, pixmap.width() - 1, pixmap.height() - 1)
    painter.end()
    return pixmap


def combo(items: dict[str, str], current: str, name: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for value, label in items.items():
        box.addItem(label, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


def row(*widgets: QWidget, stretch_first: bool = False, stretch_last: bool = False) -> QHBoxLayout:
    layout = QHBoxLayout()
    for n, widget in enumerate(widgets):
        stretch = (stretch_first and n == 0) or (stretch_last and n == len(widgets) - 1)
        layout.addWidget(widget, 1 if stretch else 0)
    if not (stretch_first or stretch_last):
        layout.addStretch(1)
    return layout


def saved_print_options(settings: SettingsStore) -> PrintOptions:
    """A handout on the user's saved paper, in large print if they chose it last time."""
    prefs = settings.preferences
    return PrintOptions(paper=prefs.paper, large_print=prefs.large_print)


def open_print_preview(session: Session, parent: QWidget | None = None,
                       options: PrintOptions | None = None) -> PrintPreview | None:
    """File > Print for the session's current module: a handout on the user's saved paper and
    print size unless told otherwise; changing either is remembered for next time."""
    if session.module is None:
        return None
    from .measure import fit_now

    fit_now(session.pages, session.module)  # printed slides are cut where the show cuts them
    settings = session.settings
    dialog = PrintPreview(session.pages, session.module, options or saved_print_options(settings),
                          parent, settings)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.destroyed.connect(give_back_freed_memory_soon)
    dialog.open()
    return dialog
