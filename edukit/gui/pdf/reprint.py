"""What a reprint reuses from the render cache: the tag map a print page's second print told,
and the finished PDF made from its first print; and what keeps them for the next print."""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ..pdf_scripts import scripts_stamp
from . import reader

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ...core.model import Module
    from ...core.options import PrintOptions
    from ...core.pdf_prints import KeptPdf
    from ...core.pdf_tags import PagePlan, TagMap
    from ..page_server import PageServer

READ_WAIT_S = 0.1  # longest a window waits for a reprint's first print to be read


def tags_key(pages: PageServer, module: Module, options: PrintOptions) -> str | None:
    """The key a print page's tag map is kept under (core/render_cache.tags_key): that of
    the print page, so anything that changes the page changes it too, and of the scripts
    that found its elements (pdf_scripts.scripts_stamp)."""
    from ...core.render_cache import tags_key

    key = pages.print_disk_key(module, pages.context(module), options)
    return tags_key(key, scripts_stamp()) if key else None


def kept_finished(pages: PageServer, tags_key: str | None) -> KeptPdf | None:
    """The finished PDF kept beside the print page whose tags are kept under tags_key
    (core/pdf_prints.kept_pdf), if its entry is whole and well formed."""
    if tags_key is None or pages.kept is None:
        return None
    from ...core.pdf_prints import kept_pdf
    from ...core.render_cache import finished_key

    return kept_pdf(pages.kept, finished_key(tags_key))


class KeptPrint(NamedTuple):
    """What the render cache keeps for one request's print page (pages.kept): its tag map
    under tags_key (None: nothing is kept) and the finished PDF kept beside it (`pdf`)."""

    pages: PageServer
    module: Module
    options: PrintOptions
    tags_key: str | None  # where what the second print tells is kept (None: not kept)
    pdf: KeptPdf | None  # a finished PDF kept for a reprint of this very print

    @classmethod
    def of(cls, pages: PageServer, module: Module, options: PrintOptions) -> KeptPrint:
        key = tags_key(pages, module, options)
        return cls(pages, module, options, key, kept_finished(pages, key))

    def reprint(self, printed: bytes, headings: list) -> bytes | None:
        """The kept finished PDF with this print's dates, if this print, dates aside, is byte
        for byte the one it was made from, and the headings and document information are the
        same (core/pdf_prints.reprinted); else None. Hashing a handout's print takes well
        under a millisecond of this thread."""
        if self.pdf is None:
            return None
        from ...core.pdf_prints import reprinted

        return reprinted(self.pdf, printed, self.finish_digest(headings))

    def finish_digest(self, headings: list) -> str:
        from ...core.pdf_prints import finish_digest

        return finish_digest(headings, self.module, self.pages.school, self.options.kind)

    def finished_keeper(self, printed: bytes, headings: list):
        """What keeps the finished, tagged PDF made from `printed` for the next print of these
        very bytes (None: nothing is kept)."""
        kept = self.pages.kept
        if self.tags_key is None or kept is None:
            return None
        from ...core.pdf_prints import keep_finished
        from ...core.render_cache import finished_key

        key, finish = finished_key(self.tags_key), self.finish_digest(headings)
        return lambda pdf: keep_finished(kept, key, printed, finish, pdf)

    def kept_tags(self) -> TagMap | None:
        """The tag map kept under tags_key, if whole and well formed
        (core/pdf_tags.tag_map_from)."""
        if self.tags_key is None or self.pages.kept is None:
            return None
        data = self.pages.kept.load_data(self.tags_key, "tags")
        if data is None:
            return None
        from ...core.pdf_tags import tag_map_from

        return tag_map_from(data)

    def keeper(self):
        """What keeps a second print's tag map under tags_key (None: nothing is kept)."""
        kept, key = self.pages.kept, self.tags_key
        if key is None or kept is None:
            return None
        return lambda tag_map: kept.store_data(key, "tags", tag_map.data())


def read_against(printed: bytes, kept: TagMap, read_early: bool
                 ) -> tuple[Future | None, list[PagePlan] | None]:
    """The first print being read and the kept plans if they were made from this very
    print (core/pdf_tags.kept_plans). The reader thread reads it (after pikepdf's import,
    already under way there) and this thread waits at most READ_WAIT_S: a reader busy with
    another maker's print holds up no window; the second print then goes ahead, as ever,
    with the reading under way. (None, None): the print could not be read here."""
    from ...core.pdf_tags import kept_plans

    if read_early:
        reading = reader.reader_thread().submit(reader.read_first_print, printed)
    else:  # `export --all`: this thread has nothing else to do meanwhile
        from concurrent.futures import Future

        reading = Future()
        try:
            reading.set_result(reader.read_first_print(printed))
        except Exception as exc:  # noqa: BLE001 - finished_pdf says why, as ever
            reading.set_exception(exc)
    try:
        first = reading.result(READ_WAIT_S)
    except TimeoutError:
        return reading, None
    except Exception:  # noqa: BLE001 - an unreadable print: the usual path says why
        return None, None
    return reading, kept_plans(first, kept)
