"""A lesson plan's timings are read as a table: step number, title, minutes. On paper each
step's minutes must stand on its own row, and its number must not run into the minutes beside
it: in large print the first column's "1 min" touched the second column's "10." (read "1 min10"),
and a long title pushed its floated minutes down beside the next step's title, so the teacher
read step 10's minutes as step 11's. Checked through the app's own print path in the default
font, large print and OpenDyslexic, with a lesson whose titles are long."""
from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
LONG_TITLES = [f"Step {n}: talking about who could help when something online feels wrong"
               for n in range(1, 5)]
TITLES = ["Hello", *LONG_TITLES, "Rules", "Key words", "A story", "What next?", "Questions",
          "Why it is never your fault and who can help you", "Goodbye"]
# The old rules, put back after the new ones: the control must show the check catches them.
OLD_RULES = """
ol.plan-timings { column-gap: 8mm; padding-left: 6mm; }
ol.plan-timings li { margin: 0; padding-right: 0; position: static; }
ol.plan-timings li span:last-child { float: right; padding-left: 2mm; position: static;
                                     white-space: normal; }
"""
WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>')
# Runs the CLI with resources.css read from elsewhere (the control's old rules)
WITH_CSS = """import sys
from pathlib import Path
import edukit.core.serving as serving
real, css = serving.resource_file, Path(sys.argv.pop(1))
serving.resource_file = lambda rel, res: css if rel == "css/resources.css" else real(rel, res)
from edukit.cli import main
sys.exit(main())
"""


def lesson(folder: Path) -> Path:
    """A lesson of 12 timed sections, four with titles that wrap in a column of the plan."""
    folder.mkdir()
    sections = "".join(f"## {title}\n\nText of {title}.\n\n::: notes\n**Timing: {n % 4 + 1} "
                       "minutes.** Go through it.\n:::\n\n" for n, title in enumerate(TITLES))
    (folder / "timed-lesson.md").write_text(
        "---\nid: timed-lesson\ntitle: Timed lesson\naudience: pupils\nages: 11-14\n"
        "duration: 60\n---\n\n# Timed lesson\n\n" + sections, encoding="utf-8")
    return folder


def words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x0, y0, x1, y1, word) in the PDF's text order."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    found, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        elif word := WORD.search(line):
            found.append((page, *map(float, word.groups()[:4]), html.unescape(word[5])))
    return found


def timing_problems(pdf: Path, steps: list[tuple[str, int]]) -> list[str]:
    """Each step's number found as a word of its own, followed by its title, with its minutes
    the nearest on that line to its right, before the next column's number."""
    all_words = words(pdf)
    problems = []
    for number, (title, minutes) in enumerate(steps, 1):
        starts = [n for n, w in enumerate(all_words) if w[5] == f"{number}." and n + 1 < len(all_words)
                  and all_words[n + 1][5] == title.split()[0]]
        if not starts:
            problems.append(f"step {number}: its number is not a word of its own")
            continue
        page, _x0, y0, x1, _y1, _ = all_words[starts[0]]
        right = sorted((w for w in all_words if w[0] == page and abs(w[2] - y0) < 1.5
                        and w[1] > x1), key=lambda w: w[1])
        line = [w[5] for w in right]
        numbers = [n for n, w in enumerate(line) if w.endswith(".") and w[:-1].isdigit()]
        line = line[:numbers[0]] if numbers else line
        tail = [line[n - 1] for n in range(1, len(line)) if line[n] == "min"]
        if tail[:1] != [str(minutes)]:
            problems.append(f"step {number} ({minutes} min): its row says {' '.join(line)!r}")
    return problems


def steps_of(module_id: str, content: Path | None) -> list[tuple[str, int]]:
    from edukit.core.library import Library
    from edukit.core.resources import timings

    library = Library.default([content] if content else [])
    return timings(library.get(module_id))


def export(tmp_path: Path, user_dirs: dict[str, Path], module_id: str, *options: str,
           content: Path | None = None, css: Path | None = None, font: str = "default") -> Path:
    (user_dirs["config"] / "preferences.json").write_text(json.dumps(
        {"schema_version": 2, "reading_font": font}), encoding="utf-8")
    out = tmp_path / f"{module_id}-{font}{'-'.join(options)}.pdf"
    args = ["export", module_id, "--as", "plan", *options, "-o", str(out)]
    args += ["--content", str(content)] if content else []
    command = [sys.executable, "-c", WITH_CSS, str(css)] if css else [sys.executable, "-m", "edukit"]
    run = subprocess.run([*command, *args], cwd=REPO, capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    return out


@pytest.mark.parametrize("options,font", [((), "default"), (("--large-print",), "default"),
                                          ((), "dyslexic"), (("--large-print",), "dyslexic"),
                                          (("--paper", "letter"), "default")])
def test_every_step_has_its_own_minutes(tmp_path, user_dirs, options, font):
    content = lesson(tmp_path / "content")
    for module_id, folder in (("timed-lesson", content), ("who-can-i-tell", None)):
        steps = steps_of(module_id, folder)
        assert len(steps) >= 10, "the second column starts at two-digit numbers"
        pdf = export(tmp_path, user_dirs, module_id, *options, content=folder, font=font)
        assert timing_problems(pdf, steps) == []


def test_the_old_rules_are_caught(tmp_path, user_dirs):
    css = tmp_path / "resources.css"
    css.write_text((REPO / "resources/css/resources.css").read_text(encoding="utf-8") + OLD_RULES,
                   encoding="utf-8")
    content = lesson(tmp_path / "content")
    problems = timing_problems(export(tmp_path, user_dirs, "timed-lesson", "--large-print",
                                      content=content, css=css), steps_of("timed-lesson", content))
    assert problems, "the old floated minutes and numbers in the gap went unnoticed"
