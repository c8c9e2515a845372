"""The floor for one handout: a bare PySide6 script that loads a page's HTML into a
QWebEnginePage and prints it to PDF (A4), nothing else. edukit's `export` is reported as a
ratio to it (benchmarks/run.py).

usage: python benchmarks/floor_pdf.py PAGE.html OUT.pdf
"""
import os
import sys
from pathlib import Path

FLAGS = ("--disable-background-networking --disable-component-update --no-pings --disable-sync "
         "--disable-domain-reliability --disable-breakpad --log-level=3")
if hasattr(os, "geteuid") and os.geteuid() == 0:  # as edukit does: Chromium refuses root otherwise
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    FLAGS += " --no-zygote"


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = FLAGS + " --disable-gpu"
    from PySide6.QtCore import QMarginsF, QUrl
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtWebEngineCore import QWebEnginePage
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    page = QWebEnginePage()
    out = Path(sys.argv[2])
    layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                         QMarginsF(0, 0, 0, 0))

    def printed(data) -> None:
        out.write_bytes(bytes(data))
        app.quit()

    page.loadFinished.connect(lambda _ok: page.printToPdf(printed, layout))
    page.setHtml(Path(sys.argv[1]).read_text(encoding="utf-8"), QUrl("about:blank"))
    app.exec()


if __name__ == "__main__":
    main()
