"""The `edukit` command: argparse, one function per command. Errors are one plain line each."""
from __future__ import annotations

import argparse
import sys
import warnings
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

# Only what reading the command line needs: `edukit export` starts Chromium before it loads
# the rest of the core (cmd_export), so each command imports the rest where it is used.
from .core.escape import json_text, terminal_text
from .core.options import (
    EXPORT_KINDS,
    FORMATS,
    MODULE_KINDS,
    PAPER,
    PER_PAGE,
    PrintOptions,
    export_kinds,
    kinds_offered_text,
    module_noun,
)

if TYPE_CHECKING:
    from .core.library import Library
    from .core.model import Module, School
    from .gui.early import EarlyStart


class UserError(Exception):
    """Expected bad input: printed as one line, exit status 2 (or the given code)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one plain line `edukit: ...` (no usage block)."""

    def error(self, message: str):
        command = self.prog.removeprefix("edukit").strip()
        where, help_cmd = (f"{command}: ", f"edukit {command} --help") if command else ("", "edukit --help")
        line = f"edukit: {where}{message} (see '{help_cmd}')"
        self.exit(2, terminal_text(line) + "\n")


def say(text: object, *, err: bool = False) -> None:
    """Print one line. Lesson titles, messages and file names may carry escape sequences,
    carriage returns or bidi controls: terminal_text shows them instead of obeying them."""
    print(terminal_text(str(text)), file=sys.stderr if err else sys.stdout)


def content_option(default) -> argparse.ArgumentParser:
    parent = Parser(add_help=False)
    parent.add_argument("--content", action="append", default=default, metavar="DIR", type=Path,
                        help="an extra folder of modules (repeatable)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    # --content may come before or after the command; the command's copy must not reset it.
    common = content_option(argparse.SUPPRESS)
    p = Parser(prog="edukit", parents=[content_option([])],
                                description="Offline lessons on children's online safety.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    cmd = sub.add_parser("open", parents=[common], help="open the app at a module")
    cmd.add_argument("module", metavar="ID|PATH")
    cmd = sub.add_parser("present", parents=[common], help="open straight into presentation")
    cmd.add_argument("module", metavar="ID|PATH")
    cmd = sub.add_parser("list", parents=[common], help="list modules")
    cmd.add_argument("--json", action="store_true")
    cmd.add_argument("--kind", choices=MODULE_KINDS, help="only lessons, or only letters, "
                     "flowcharts, forms, quizzes or plans")
    cmd = sub.add_parser("validate", parents=[common], help="check modules for problems")
    cmd.add_argument("modules", nargs="*", metavar="ID|PATH")
    cmd = sub.add_parser("export", parents=[common], help="export handouts, guides or slides")
    cmd.add_argument("modules", nargs="*", metavar="ID|PATH")
    cmd.add_argument("--all", action="store_true", help="every module in the library")
    cmd.add_argument("--as", dest="kind", choices=EXPORT_KINDS, default="handout")
    cmd.add_argument("--per-page", type=int, choices=PER_PAGE, default=None,
                     help="slides per page (--as nup only; default 3)")
    cmd.add_argument("--paper", choices=tuple(PAPER), default="a4")
    cmd.add_argument("--format", choices=FORMATS, default=None,
                     help="pdf (default), html, or site: the library as an offline website in "
                     "the folder OUT; --as pptx writes a PowerPoint deck")
    cmd.add_argument("--large-print", action="store_true", help="larger type (PDF)")
    cmd.add_argument("--names", type=Path, metavar="FILE.txt", help="--as certificate: one "
                     "certificate per name, one name per line (UTF-8 text)")
    cmd.add_argument("--overwrite", action="store_true", help="replace files already at OUT "
                     "(without it, export refuses and writes nothing)")
    cmd.add_argument("--with-guides", action="store_true", help="site: add teacher guides and "
                     "notes (a site for staff, never for pupils)")
    cmd.add_argument("-o", "--output", required=True, type=Path, metavar="OUT")
    cmd = sub.add_parser("site", parents=[common], help="publish the library as an offline "
                         "website (export --all --format site)")
    cmd.add_argument("--with-guides", action="store_true", help="add teacher guides and notes "
                     "(a site for staff, never for pupils)")
    cmd.add_argument("--paper", choices=tuple(PAPER), default="a4")
    cmd.add_argument("--overwrite", action="store_true", help="replace an earlier site in DIR")
    cmd.add_argument("-o", "--output", required=True, type=Path, metavar="DIR")
    cmd = sub.add_parser("search", parents=[common], help="search all modules")
    cmd.add_argument("query")
    cmd.add_argument("--json", action="store_true")
    cmd = sub.add_parser("import-pack", parents=[common], help="install a content pack (zip)")
    cmd.add_argument("pack", type=Path, metavar="FILE.zip", nargs="?")
    cmd.add_argument("--dry-run", action="store_true", help="check the pack and show what it "
                     "would add or replace; install nothing")
    cmd.add_argument("--list-backups", action="store_true", help="show the lessons imports "
                     "replaced, kept as backups")
    cmd.add_argument("--restore", metavar="BACKUP", help="put back the lessons kept in BACKUP "
                     "(a name --list-backups shows)")
    add_pack_parser(sub)
    return p


def add_pack_parser(sub) -> None:
    """`edukit pack build|sign|verify|keygen|trust`: publish packs schools can check."""
    pack = sub.add_parser("pack", help="build, sign, verify and trust signed content packs")
    actions = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    cmd = actions.add_parser("build", help="zip a folder of modules/ and routes/ with a manifest")
    cmd.add_argument("folder", type=Path, metavar="DIR")
    cmd.add_argument("-o", "--output", required=True, type=Path, metavar="NAME.zip")
    cmd.add_argument("--name", help="the pack's name (default: the folder's name)")
    cmd.add_argument("--version", default="1", help="the pack's version, e.g. 2026.3")
    cmd.add_argument("--publisher", required=True, help="who publishes it, e.g. 'Anytown Council'")
    cmd = actions.add_parser("keygen", help="make an Ed25519 signing key (KEY and KEY.pub)")
    cmd.add_argument("-o", "--output", required=True, type=Path, metavar="KEY")
    cmd.add_argument("--comment", default="", help="a note stored with the public key")
    cmd.add_argument("--passphrase", action="store_true",
                     help="protect the key with a passphrase (typed twice, not shown)")
    cmd.add_argument("--passphrase-file", type=Path, metavar="FILE",
                     help="protect the key with the passphrase in FILE's first line")
    cmd = actions.add_parser("sign", help="sign a built pack's manifest with your key")
    cmd.add_argument("pack", type=Path, metavar="NAME.zip")
    cmd.add_argument("--key", required=True, type=Path, metavar="KEY")
    cmd.add_argument("--passphrase-file", type=Path, metavar="FILE",
                     help="the key's passphrase, in FILE's first line (else it is asked for)")
    cmd = actions.add_parser("verify", help="who signed a pack, and is it unchanged")
    cmd.add_argument("pack", type=Path, metavar="NAME.zip")
    cmd = actions.add_parser("trust", help="trust a publisher's key; list or remove them")
    cmd.add_argument("key", nargs="?", metavar="PUBLIC_KEY",
                     help="a .pub file, or the key itself ('ssh-ed25519 AAAA…')")
    cmd.add_argument("--name", help="the publisher's name, e.g. 'Anytown Council'")
    cmd.add_argument("--list", action="store_true", help="list the publishers you trust")
    cmd.add_argument("--remove", metavar="NAME", help="stop trusting this publisher")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line as build_parser() reads it. `edukit open ID` and `edukit present ID`,
    how the app is started, are read without building the whole parser (its ~12 commands and
    their options: ~0.005 s of the launch); anything else goes to the parser."""
    words = sys.argv[1:] if argv is None else list(argv)
    if len(words) == 2 and words[0] in ("open", "present") and not words[1].startswith("-"):
        return argparse.Namespace(content=[], command=words[0], module=words[1])
    return build_parser().parse_args(words)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = args.command or "gui"
    handler = COMMANDS[command]
    try:
        with warnings.catch_warnings():  # restores the usual display when main returns
            warnings.showwarning = show_warning
            return handler(args)
    except UserError as exc:
        say(f"edukit: {exc}", err=True)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """edukit's own warnings (a settings file set aside...) as one plain line, no source."""
    from .core.model import EdukitWarning

    if issubclass(category, EdukitWarning):
        say(f"edukit: warning: {message}", err=True)
    else:
        SHOW_WARNING(message, category, filename, lineno, file, line)


SHOW_WARNING = warnings.showwarning


def open_library(args: argparse.Namespace) -> Library:
    for folder in args.content:
        if not folder.is_dir():
            raise UserError(f"--content {folder}: no such folder")
    from .core import startup

    return startup.open_library(extra=args.content)


def resolve(library: Library, ref: str) -> Module:
    try:
        return library.resolve(ref)
    except LookupError as exc:
        raise UserError(str(exc)) from None


def cmd_gui(args: argparse.Namespace) -> int:
    from .gui.app import run_app

    return run_app(content=args.content, module=getattr(args, "module", None),
                   present=args.command == "present")


def module_row(module: Module, packs: dict | None = None) -> dict:
    m = module.meta
    from .core.provenance import module_source

    return {"source": module_source(module, packs or {}),
        "id": m.id, "title": m.title, "kind": m.kind, "audience": m.audience, "ages": m.ages,
        "duration": m.duration, "duration_range": [m.duration_min or m.duration, m.duration]
        if m.duration else None, "curriculum": {k: list(v) for k, v in m.curriculum},
        "review": m.review_status(),
        "review_due": m.review_due_on().isoformat() if m.review_due_on() else None,
        "origin": module.origin, "path": str(module.path),
        "shadows": str(module.shadows) if module.shadows else None,
    }


def cmd_list(args: argparse.Namespace) -> int:
    from .core.paths import AppDirs
    from .core.provenance import load as load_provenance

    library = open_library(args)
    packs = load_provenance(AppDirs.default())
    rows = [module_row(m, packs) for m in library.modules
            if args.kind in (None, m.meta.kind)]
    show_route_warnings(library)
    if args.json:
        print(json_text(rows))  # ASCII only: no control character reaches the terminal
        return 0
    headers = ("id", "title", "audience", "kind", "ages", "duration", "review")
    # escaped before measuring, so the columns line up as printed
    table = [[terminal_text(str(r[h] if r[h] is not None else "-")) for h in headers]
             for r in rows]
    for r, line in zip(rows, table):
        low, high = r["duration_range"] or (None, None)
        line[5] = (f"{low}-{high} min" if low != high else f"{high} min") if high else "-"
        if r["shadows"]:
            line[1] += " (user copy)"
        if r["source"].startswith("pack "):
            line[1] += terminal_text(f" ({r['source']})")
    widths = [max(len(h), *(len(line[i]) for line in table)) if table else len(h)
              for i, h in enumerate(headers)]
    for line in [list(headers), *table]:
        say("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())
    return 0


def show_route_warnings(library: Library, regions: list[str] | None = None) -> None:
    """Helplines from a route file edukit did not ship: said on every run, on stderr."""
    for problem in library.route_warnings(regions):
        print(problem, file=sys.stderr)


def load_school_for(library: Library) -> School:
    """The school's details, read once; a region it chose that is not installed is one plain
    line on stderr (each lesson's own region applies: edukit.core.region)."""
    from .core.region import school_region_problem
    from .core.settings import load_school

    school = load_school()
    problem = school_region_problem(library, school)
    if problem:
        say(f"edukit: warning: {problem}", err=True)
    return school


def validation_targets(library: Library, refs: list[str]) -> list[Module]:
    """Modules named by id or path; a folder means every module in it."""
    from .core.library import Library
    from .core.paths import content_dir

    if not refs:
        return library.all
    modules: list[Module] = []
    for ref in refs:
        path = Path(ref)
        if path.is_dir() and path.resolve() in (content_dir(), content_dir() / "modules"):
            modules += [m for m in library.all if m.origin == "bundled"]  # checked strictly
        elif path.is_dir() and not (path / "module.md").is_file():
            sub = Library.default(extra=[path])
            modules += [m for m in sub.all if m.origin == "extra"]
            library.problems += [p for p in sub.problems if p not in library.problems]
        else:
            modules.append(resolve(library, ref))
    return modules


def cmd_validate(args: argparse.Namespace) -> int:
    from .core.validate import validate_module

    library = open_library(args)
    school = load_school_for(library)
    modules = validation_targets(library, args.modules)
    problems = []
    for module in modules:
        problems += validate_module(module, library, school=school)
    problems = list(library.problems) + library.route_warnings() + problems  # after: checking
    # routes can add to library.problems
    problems += slide_fit_problems(library, school, modules, problems)
    for problem in problems:
        say(problem)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    say(f"{len(modules)} modules checked: {errors} errors, {warnings} warnings", err=True)
    return 1 if errors else 0


def slide_fit_problems(library: Library, school: School, modules: list[Module],
                       found: list) -> list:
    """Slides that overflow a 1280x720 screen, laid out by Chromium offscreen (no display needed).
    Modules with errors are skipped: their slides would be measured wrong."""
    from .core.validate import slide_measure_problem

    broken = {p.path for p in found if p.is_error}
    # a letter, form or flowchart is printed, never projected: it has no slides to fit
    fine = [m for m in modules if str(m.path) not in broken and not m.meta.is_resource]
    too_long = [p for m in fine if (p := slide_measure_problem(m))]
    fine = [m for m in fine if not slide_measure_problem(m)]
    if not fine:
        return too_long
    from .gui.headless import overflow_problems  # Qt is loaded only here, not for the core checks

    return too_long + overflow_problems(library, school, fine)


def cmd_export(args: argparse.Namespace) -> int:
    """`edukit export`, with the YAML the app parsed kept (edukit.core.yaml_cache): front
    matter, topics and helplines are not parsed again, nor PyYAML imported (~0.05 s a run)."""
    check_export_options(args)
    started = start_chromium() if prints_pdfs(args) else None
    from .core import yaml_cache

    parsed = yaml_cache.ParsedYaml.default()
    yaml_cache.use(parsed)
    try:
        return export_files(args, started)
    finally:
        parsed.save()
        yaml_cache.use(None)
        if started is not None:
            started.close()


def prints_pdfs(args: argparse.Namespace) -> bool:
    return (args.format or "pdf") == "pdf" and args.kind != "pptx"


def start_chromium() -> EarlyStart:
    """Chromium started before the library is read (edukit.gui.early): its renderer process
    starts while the library, school and helplines are read (a handout: ~0.05 s sooner).
    Python's cycle collector is off from here, as the application turns it off once made
    (gui.garbage): the imports before that ran it ~30 times for nothing (an application the
    caller made without its collecting timer keeps automatic collection)."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    from .gui.early import EarlyStart
    from .gui.garbage import collecting_on_ui_thread

    global ran_qt
    ran_qt = True
    started = EarlyStart()
    if collecting and not collecting_on_ui_thread():
        gc.enable()
    return started


def export_files(args: argparse.Namespace, started: EarlyStart | None = None) -> int:
    from .core.export import ExportIncomplete, ExportOptions, export_modules
    from .core.region import regions_in_use
    from .core.settings import load_preferences

    library = open_library(args)
    if args.all == bool(args.modules):
        raise UserError("export: name modules (ID or PATH) or give --all, not both")
    modules = library.modules if args.all else [resolve(library, r) for r in args.modules]
    unreadable = [m for m in modules if not m.loaded]  # exported, they would be blank pages
    if unreadable and not args.all:
        raise UserError(f"export: {unreadable[0].problems[0]}; nothing was written", 1)
    for module in unreadable:
        say(f"edukit: skipped {module.problems[0]}", err=True)
    modules = [m for m in modules if m.loaded]
    if args.format != "site":
        modules = modules_kind_applies_to(modules, args.kind, named=not args.all)
    school = load_school_for(library)
    show_route_warnings(library, regions_in_use(library, modules, school))
    if not args.all:  # a named file with errors (a zip, a photo) exports, but not in silence
        for problem in [p for m in modules for p in m.problems if p.is_error][:5]:
            say(problem, err=True)
    if args.with_guides and args.format != "site":
        raise UserError("export: --with-guides is for --format site")
    if args.format == "site":
        return publish(library, school, modules, args, 1 if unreadable else 0)
    page = PrintOptions(kind=args.kind, paper=args.paper, per_page=args.per_page or 3,
                        large_print=args.large_print, names=read_names(args.names))
    prefs = load_preferences()  # an HTML file looks as the app shows it (PDFs: gui.headless)
    if (args.format or "pdf") != "pdf":  # a PDF's page is checked as it prints (gui.headless)
        from .core.validate import table_width_problems

        for module in modules:  # a table too wide for this paper is printed, but not in silence
            for problem in table_width_problems(module, page, prefs.reading_font,
                                                prefs.line_spacing):
                say(problem, err=True)
    options = ExportOptions(page, format=args.format or "pdf", overwrite=args.overwrite,
                            font=prefs.reading_font, spacing=prefs.line_spacing)
    try:
        written = export_modules(library, modules, options, args.output, school,
                                 progress=show_progress, make_pdfs=partial(export_pdfs,
                                                                           started=started))
    except ExportIncomplete as exc:  # one line per module that failed; the rest were written
        for path in exc.written:
            say(path)
        for problem in exc.problems:
            say(f"edukit: export: {problem}", err=True)
        return 1
    except (FileExistsError, NotADirectoryError, ValueError) as exc:
        raise UserError(f"export: {exc.args[-1]}", 1) from None
    except OSError as exc:  # its filename may be the temporary file beside OUT: name OUT instead
        raise UserError(f"export: cannot write {args.output}: {exc.strerror or exc}", 1) from None
    for path in written:
        say(path)
    return 1 if unreadable else 0


def export_pdfs(*args, **kwargs):
    """edukit.gui.headless.export_pdfs, imported when a PDF is asked for (Qt loads only then)."""
    from .gui.headless import export_pdfs as make_pdfs

    global ran_qt
    ran_qt = True
    return make_pdfs(*args, **kwargs)


ran_qt = False  # a command made PDFs with Qt: run() ends the process the quick way


def run() -> None:
    """The `edukit` program (`python -m edukit`, the installed command): main, then the exit.
    After PDFs, Qt WebEngine is shut down and the process ends without Python tearing down
    every module it loaded (gui.headless.end_process). Other commands exit as usual, and
    main() called in a process of the caller's own returns as usual."""
    code = main()
    if ran_qt:
        from .gui.headless import end_process

        end_process(code)
    sys.exit(code)


def cmd_site(args: argparse.Namespace) -> int:
    """`edukit site -o DIR`: the whole library as an offline website."""
    library = open_library(args)
    for module in [m for m in library.modules if not m.loaded]:
        say(f"edukit: skipped {module.problems[0]}", err=True)
    code = 1 if any(not m.loaded for m in library.modules) else 0
    return publish(library, load_school_for(library), [m for m in library.modules if m.loaded],
                   args, code)


def publish(library: Library, school: School, modules: list[Module], args: argparse.Namespace,
            code: int) -> int:
    from .core.settings import load_preferences
    from .core.site import SiteError, SiteOptions, publish_site

    prefs = load_preferences()  # the site's pages in the reader's font and spacing
    options = SiteOptions(with_guides=args.with_guides, paper=args.paper, overwrite=args.overwrite,
                          font=prefs.reading_font, spacing=prefs.line_spacing)
    try:
        out = publish_site(library, modules, args.output, options, school,
                           progress=show_progress)
    except SiteError as exc:
        raise UserError(f"site: {exc}", 1) from None
    except OSError as exc:
        raise UserError(f"site: cannot write {args.output}: {exc.strerror or exc}", 1) from None
    kind = "with teacher guides (staff only)" if args.with_guides else "for pupils and families"
    say(f"{out / 'index.html'}  ({len(modules)} lessons, {kind})")
    return code


def modules_kind_applies_to(modules: list[Module], kind: str, named: bool) -> list[Module]:
    """The print dialog's rule (core.options.export_kinds): a module named for a kind that does
    not apply to it is refused, nothing written; --all leaves such modules out, in one line."""
    left_out = [m for m in modules if kind not in export_kinds(m.meta.kind, m.meta.audience)]
    if left_out and named:
        m = left_out[0]
        raise UserError(f"export: --as {kind} does not apply to '{m.id}' "
                        f"({module_noun(m.meta.kind, m.meta.audience)}); it offers "
                        f"{kinds_offered_text(m.meta.kind, m.meta.audience)}", 1)
    if left_out and len(left_out) == len(modules):
        raise UserError(f"export: --as {kind} does not apply to any module; nothing was "
                        "written", 1)
    if left_out:
        say(f"edukit: export: --as {kind} does not apply to {len(left_out)} module(s), left "
            f"out: {', '.join(m.id for m in left_out)}", err=True)
    return [m for m in modules if m not in left_out]


def read_names(path: Path | None) -> tuple[str, ...]:
    """The names in a --names file, one a line (names are untrusted: edukit.core.names cleans
    and bounds them, core.resources escapes them)."""
    if path is None:
        return ()
    from .core.names import NamesError, read_names_file

    try:
        return read_names_file(path)
    except NamesError as exc:
        raise UserError(f"export: --names {exc}", 1) from None


def check_export_options(args: argparse.Namespace) -> None:
    """Options that mean nothing for the kind asked for are refused, not silently ignored."""
    if args.names is not None and args.kind != "certificate":
        raise UserError(f"export: --names is only for --as certificate, not --as {args.kind}")
    if args.per_page is not None and args.kind != "nup":
        raise UserError(f"export: --per-page is only for --as nup (slides per page), "
                        f"not --as {args.kind}")
    if args.kind == "pptx" and args.format is not None:
        raise UserError("export: --as pptx writes a PowerPoint file; leave out --format")


def show_progress(done: int, total: int, label: str) -> None:
    if total > 1:
        say(f"[{done}/{total}] {label}", err=True)


def cmd_search(args: argparse.Namespace) -> int:
    from .core.search import SearchIndex, search_library

    library = open_library(args)
    index = SearchIndex.default()
    hits = search_library(library, args.query, index=index)
    if index.fallback:  # the index is only a cache: it was built in memory instead
        say(f"edukit: warning: {index.fallback}; searching without it", err=True)
    if args.json:
        print(json_text([h.as_dict() for h in hits]))
        return 0
    if not hits:
        say(f"edukit: search: no results for '{args.query}'", err=True)
        return 1
    bold = sys.stdout.isatty()
    for hit in hits:
        where = " (teacher guide)" if hit.view == "guide" else ""
        say(f"{hit.module_id}  {hit.title} — {hit.section}{where}")
        print(f"    {marked(hit) if bold else terminal_text(hit.snippet)}")
    return 0


def marked(hit) -> str:
    """The snippet with its matched words in bold, for a terminal (our bold codes only)."""
    out, last, text = [], 0, hit.snippet
    for start, end in hit.highlights:
        out += [terminal_text(text[last:start]), "\x1b[1m", terminal_text(text[start:end]),
                "\x1b[0m"]
        last = end
    return "".join(out) + terminal_text(text[last:])


def cmd_import_pack(args: argparse.Namespace) -> int:
    """Check the whole pack, print what it adds or replaces, then install it by rename."""
    from .core.library import Library
    from .core.packs import PackError, check_pack, install_pack
    from .core.paths import AppDirs

    if sum((args.pack is not None, args.list_backups, args.restore is not None)) != 1:
        raise UserError("import-pack: give FILE.zip, --list-backups or --restore BACKUP "
                        "(one of them)")
    if args.list_backups:
        return list_pack_backups()
    if args.restore is not None:
        return restore_pack_backup(args.restore)
    dirs = AppDirs.default()
    bundled = {m.id for m in Library.default(dirs=dirs).all if m.origin == "bundled"}
    try:
        plan = check_pack(args.pack, dirs, bundled, progress=show_progress)
        for line in plan.summary():
            say(line)
        for problem in plan.warnings:
            say(problem, err=True)
        if args.dry_run:
            return 0
        installed = install_pack(plan, dirs, progress=show_progress)
    except PackError as exc:
        raise UserError(f"import-pack: {exc}", 1) from None
    except OSError as exc:  # name the user's folder, not the staging folder inside it
        where = exc.filename if exc.filename and ".import-" not in str(exc.filename) else dirs.data
        raise UserError(f"import-pack: cannot install into {where}: {exc.strerror or exc}; "
                        "nothing was installed", 1) from None
    say(f"installed {len(installed)} item(s) into {dirs.data}", err=True)
    return 0


def backup_line(backup) -> str:
    title = backup.title()
    return f"{backup.kind} '{backup.name}'" + (f" — {title}" if title else "")


def list_pack_backups() -> int:
    """`import-pack --list-backups`: each backup folder (newest first), its date and contents."""
    from .core.backups import backups_by_stamp, stamp_time

    groups = backups_by_stamp()
    if not groups:
        say("no backups: no import has replaced a lesson yet", err=True)
    for stamp, backups in groups.items():
        when = stamp_time(stamp)
        say(f"{stamp}  (kept {when:%d %b %Y at %H:%M})" if when else stamp)
        for backup in backups:
            say(f"    {backup_line(backup)}")
    return 0


def restore_pack_backup(stamp: str) -> int:
    """`import-pack --restore BACKUP`: put a backup folder's lessons back, all or nothing."""
    from .core.backups import BackupError, backups_in, restore_backups
    from .core.paths import AppDirs

    dirs = AppDirs.default()
    try:
        backups = backups_in(stamp, dirs)
        lines = [f"restored {backup_line(b)}" for b in backups]
        kept = restore_backups(backups, dirs)
    except BackupError as exc:
        raise UserError(f"import-pack: {exc.args[0]}", 1) from None
    except OSError as exc:
        raise UserError(f"import-pack: {exc.filename or dirs.data}: {exc.strerror or exc}; "
                        "nothing was restored", 1) from None
    for line in lines:
        say(line)
    if kept:
        say(f"the copies they replaced are kept as backup {kept}", err=True)
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from .core.packs import PackError
    from .core.signing import SignatureError
    from .core.trust import TrustError

    handler = {"build": pack_build, "keygen": pack_keygen, "sign": pack_sign,
               "verify": pack_verify, "trust": pack_trust}[args.pack_command]
    try:
        return handler(args)
    except (PackError, SignatureError, TrustError) as exc:
        raise UserError(f"pack {args.pack_command}: {exc}", 1) from None
    except OSError as exc:
        raise UserError(f"pack {args.pack_command}: {exc.filename or ''}: "
                        f"{exc.strerror or exc}", 1) from None


def pack_build(args: argparse.Namespace) -> int:
    from .core.pack_publish import build_pack

    if not args.folder.is_dir():
        raise UserError(f"pack build: {args.folder}: no such folder")
    name = args.name or args.folder.resolve().name
    count = build_pack(args.folder, args.output, name, args.version, args.publisher)
    say(f"built {args.output}: {count} file(s), pack '{name}' version {args.version} by "
        f"{args.publisher}; sign it with 'edukit pack sign {args.output} --key KEY'")
    return 0


def pack_keygen(args: argparse.Namespace) -> int:
    from .core.pack_publish import keygen
    from .core.signing import fingerprint_words, parse_public_key

    passphrase = read_passphrase(args.passphrase_file) if args.passphrase_file else b""
    if args.passphrase and not passphrase:
        passphrase = ask_passphrase("passphrase for the new key: ")
        if ask_passphrase("the same passphrase again: ") != passphrase:
            raise UserError("pack keygen: the two passphrases differ; no key was made")
    line = keygen(args.output, args.comment, passphrase)
    say(f"private key: {args.output} (keep it secret and offline; anyone with it can sign "
        "as you)")
    say(f"public key:  {args.output}.pub (give this to schools)")
    say(f"fingerprint: {fingerprint_words(parse_public_key(line))}")
    return 0


def read_passphrase(path: Path) -> bytes:
    """A passphrase from the first line of a file (for scripts; the file is the secret)."""
    try:
        line = path.read_bytes().splitlines()[:1]
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if not line or not line[0]:
        raise UserError(f"{path}: the first line is empty; it should hold the passphrase")
    return line[0]


def ask_passphrase(prompt: str) -> bytes:
    import getpass

    typed = getpass.getpass(prompt).encode("utf-8")
    if not typed:
        raise UserError("no passphrase typed; nothing was done")
    return typed


def pack_sign(args: argparse.Namespace) -> int:
    from .core.pack_publish import sign_pack
    from .core.packs import PackError
    from .core.signing import PassphraseNeeded, fingerprint_words

    passphrase = read_passphrase(args.passphrase_file) if args.passphrase_file else b""
    try:
        result = sign_pack(args.pack, args.key, passphrase)
    except PassphraseNeeded as exc:
        if not sys.stdin.isatty():
            raise PackError(f"{args.key}: {exc}") from None
        result = sign_pack(args.pack, args.key, ask_passphrase(f"passphrase for {args.key}: "))
    say(f"signed {args.pack} with key {fingerprint_words(result.key)}")
    return 0


def pack_verify(args: argparse.Namespace) -> int:
    """Exit 0 only for a pack whose signature is good and whose files all match."""
    from .core.pack_publish import verify_pack
    from .core.signing import BROKEN, UNSIGNED, ssh_fingerprint
    from .core.trust import trusted_keys

    result = verify_pack(args.pack, trusted_keys())
    say(result.describe())
    if result.manifest is not None:
        m = result.manifest
        say(f"publisher (as the manifest says): {m.publisher}; dated {m.date}; "
            f"{len(m.files)} file(s) listed")
    if result.key:
        say(f"key: {ssh_fingerprint(result.key)}")
    for problem in result.problems:
        say(f"refused: {problem}", err=True)
    return 1 if result.problems or result.status in (BROKEN, UNSIGNED) else 0


def installed_routes_of(publisher: str) -> list[str]:
    """Route files a pack from this (trusted) publisher installed, by file name."""
    from .core.paths import AppDirs
    from .core.provenance import load as load_provenance

    dirs = AppDirs.default()
    return [key.removeprefix("routes/") for key, p in load_provenance(dirs).items()
            if key.startswith("routes/") and p.trusted_name == publisher
            and (dirs.data / key).is_file()]


def pack_trust(args: argparse.Namespace) -> int:
    from .core.trust import trust, trusted_publishers, untrust

    if sum((args.key is not None, args.list, args.remove is not None)) != 1:
        raise UserError("pack trust: give PUBLIC_KEY --name NAME, --list or --remove NAME "
                        "(one of them)")
    if args.list:
        publishers = trusted_publishers()
        if not publishers:
            say("you trust no publisher yet", err=True)
        for p in publishers:
            say(f"{p.name}  ({p.words}; trusted since {p.added})")
        return 0
    if args.remove is not None:
        gone = untrust(args.remove)
        say(f"no longer trusted: {gone.name} ({gone.words}); its packs can no longer change "
            "helplines")
        for name in installed_routes_of(gone.name):
            say(f"note: routes/{name} from its pack no longer applies: handouts no longer print "
                "its helplines (the file stays in the data folder until you delete it)",
                err=True)
        return 0
    if not args.name:
        raise UserError("pack trust: give the publisher's name with --name")
    key_text = args.key
    if not key_text.startswith("ssh-"):
        key_text = Path(args.key).read_text(encoding="utf-8", errors="replace")
    added = trust(key_text, args.name)
    say(f"trusted: {added.name}")
    say(f"fingerprint: {added.words}  (check these words with the publisher, by phone)")
    return 0


COMMANDS = {
    "gui": cmd_gui, "open": cmd_gui, "present": cmd_gui, "list": cmd_list,
    "validate": cmd_validate, "export": cmd_export, "search": cmd_search,
    "import-pack": cmd_import_pack, "site": cmd_site, "pack": cmd_pack,
}
