"""A decision flowchart described as data (a small YAML graph) and drawn as SVG, offline.

A DSL's flowchart must never leave a reader at a dead end: every box is reachable from the
start and every path ends at an outcome (`graph_problems` checks both). The drawing is a
simple layered layout: each box sits one row below the furthest box that leads to it; "no"
and "next" go straight down, "yes" goes to the next column on the right; an outcome that two
answers lead to is drawn beside each. Boxes and answers are written in reading order (a screen
reader reads the SVG, and the tagged PDF made from it, in document order).
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from .escape import html_text

NODE_TYPES = ("start", "question", "action", "outcome")
EXITS = ("next", "yes", "no")
WIDTH, COLUMN_GAP, ROW_GAP = 270, 60, 22  # SVG units (the page scales the drawing to fit)
FONT, LINE, PAD = 11, 13.5, 6
FLOWCHART_FILE = "flowchart.yaml"  # beside a flowchart module's module.md
BOLD = ("start", "question", "outcome")
# The chart is drawn twice, and the page shows the drawing its reading font fits (fonts.css):
# its text is set in the page's font, and a box's lines are as long as that font allows. Letters
# per line at FONT in a WIDTH box (bold ones are wider: fewer): "standard" fits DejaVu Sans and
# Atkinson Hyperlegible (0.55 and 0.47 em a letter); "roomy" fits OpenDyslexic with WCAG's wider
# letter and word spacing (0.95 em a letter), and so either alone.
FITS = {"standard": (44, 5), "roomy": (23, 3)}  # drawing: (letters per line, fewer if bold)


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    text: str
    exits: tuple[tuple[str, str], ...]  # (label, target id): label "yes", "no" or "next"


@dataclass(frozen=True)
class Graph:
    start: str
    nodes: dict[str, Node]
    title: str = ""


class FlowchartError(ValueError):
    """A flowchart file that cannot be drawn; the message names the file and the problem."""


def load_graph(path: Path) -> Graph:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FlowchartError(f"{path}: cannot read the flowchart: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), dict):
        raise FlowchartError(f"{path}: a flowchart needs 'start' and a 'nodes' mapping")
    nodes = {}
    for node_id, item in data["nodes"].items():
        if not isinstance(item, dict) or item.get("type") not in NODE_TYPES:
            raise FlowchartError(f"{path}: node '{node_id}' needs a type ({', '.join(NODE_TYPES)})")
        exits = tuple((label, str(item[label])) for label in EXITS if label in item)
        nodes[str(node_id)] = Node(str(node_id), item["type"], str(item.get("text", "")).strip(),
                                   exits)
    return Graph(str(data.get("start", "")), nodes, str(data.get("title", "")))


def graph_problems(graph: Graph) -> list[str]:
    """Dead ends, unknown targets, loops and boxes nobody reaches, in plain words."""
    problems = []
    if graph.start not in graph.nodes:
        return [f"the start '{graph.start}' is not a node"]
    for node in graph.nodes.values():
        for label, target in node.exits:
            if target not in graph.nodes:
                problems.append(f"'{node.id}' {label} goes to '{target}', which is not a node")
        if node.type == "outcome" and node.exits:
            problems.append(f"outcome '{node.id}' must be an end (no next/yes/no)")
        if node.type != "outcome" and not node.exits:
            problems.append(f"'{node.id}' is a dead end: only an outcome may end a path")
        if node.type == "question" and {label for label, _ in node.exits} != {"yes", "no"}:
            problems.append(f"question '{node.id}' needs both a yes and a no")
    reached = reachable(graph)
    problems += [f"'{n}' cannot be reached from the start" for n in graph.nodes if n not in reached]
    if not problems and has_cycle(graph):
        problems.append("the chart loops back on itself: a reader could go round for ever")
    return problems


def reachable(graph: Graph) -> set[str]:
    seen, todo = set(), [graph.start]
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in graph.nodes:
            continue
        seen.add(node_id)
        todo += [target for _, target in graph.nodes[node_id].exits]
    return seen


def has_cycle(graph: Graph) -> bool:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node_id: str) -> bool:
        state[node_id] = 1
        for _, target in graph.nodes[node_id].exits:
            if state.get(target) == 1 or (target not in state and visit(target)):
                return True
        state[node_id] = 2
        return False

    return visit(graph.start)


def paths_to_outcomes(graph: Graph) -> list[list[str]]:
    """Every path from the start, as lists of node ids (each ends where the path stops)."""
    def walk(node_id: str, path: list[str]) -> list[list[str]]:
        node = graph.nodes[node_id]
        if not node.exits:
            return [path + [node_id]]
        return [p for _, target in node.exits for p in walk(target, path + [node_id])]
    return walk(graph.start, [])


def layers(graph: Graph, column: dict[str, int]) -> dict[str, int]:
    """Row of each node: one below the furthest box above it in its column; a box in another
    column sits level with the box that leads to it (so its arrow runs straight across, never
    through another box)."""
    row = {graph.start: 0}
    for node_id in topological(graph):
        for _, target in graph.nodes[node_id].exits:
            step = 1 if column[target] == column[node_id] else 0
            row[target] = max(row.get(target, 0), row[node_id] + step)
    return row


def topological(graph: Graph) -> list[str]:
    done: list[str] = []
    seen: set[str] = set()

    def visit(node_id: str) -> None:
        seen.add(node_id)
        for _, target in graph.nodes[node_id].exits:
            if target not in seen:
                visit(target)
        done.append(node_id)

    visit(graph.start)
    return done[::-1]


def columns(graph: Graph) -> dict[str, int]:
    """"no"/"next" keep the column, "yes" moves one right."""
    column: dict[str, int] = {graph.start: 0}
    for node_id in topological(graph):
        for label, target in graph.nodes[node_id].exits:
            if target not in column:
                column[target] = column[node_id] + (1 if label == "yes" else 0)
    return column


def placed(graph: Graph) -> tuple[dict[str, int], dict[str, int]]:
    """(row, column) of each box; two boxes never share a place."""
    column = columns(graph)
    row = layers(graph, column)
    taken: set[tuple[int, int]] = set()
    for node_id in sorted(column, key=lambda n: (row[n], column[n])):
        while (row[node_id], column[node_id]) in taken:
            column[node_id] += 1
        taken.add((row[node_id], column[node_id]))
    return row, column


def wrapped(node: Node, fit: str = "standard") -> list[str]:
    letters, fewer_if_bold = FITS[fit]
    width = letters - (fewer_if_bold if node.type in BOLD else 0)
    return [line for para in node.text.split("\n") for line in (textwrap.wrap(para, width) or [""])]


def render_svg(graph: Graph, fit: str = "standard") -> str:
    """The chart as one <svg> element; its text is escaped (a chart file is content)."""
    drawing, (width, height), _ = layout(graph, fit=fit)
    return svg_element(graph, drawing, f"-1 -1 {width} {height}", f"flowchart fits-{fit}",
                       f"arrow-{fit}")


def layout(graph: Graph, row_gap: float = ROW_GAP,
           fit: str = "standard") -> tuple[str, tuple[float, float], list]:
    """The chart's boxes and arrows as SVG, its size, and each row's (top, height). The
    arrows are drawn first; then each box and each answer in the order a screen reader reads
    a tagged PDF or an SVG (document order): a question, "Yes", where yes leads, "No", where
    no leads (reading_order)."""
    graph = drawn_graph(graph)
    row, column = placed(graph)
    lines = {n: wrapped(graph.nodes[n], fit) for n in row}
    height = {n: len(lines[n]) * LINE + 2 * PAD for n in row}
    row_height = [max(height[n] for n in row if row[n] == r) for r in range(max(row.values()) + 1)]
    top = [sum(row_height[:r]) + r * row_gap for r in range(len(row_height))]
    box = {n: (column[n] * (WIDTH + COLUMN_GAP), top[row[n]], WIDTH, height[n]) for n in row}
    total_w = (max(column.values()) + 1) * (WIDTH + COLUMN_GAP) - COLUMN_GAP + 2
    total_h = top[-1] + row_height[-1] + 2
    parts = [edge_svg(box[n], box[t]) for n in row for _, t in graph.nodes[n].exits]
    for node_id, label, target in reading_order(graph):
        parts.append(node_svg(graph.nodes[node_id], box[node_id], lines[node_id]) if label is None
                     else label_svg(box[node_id], box[target], label))
    return "".join(parts), (total_w, total_h), list(zip(top, row_height, strict=True))


def svg_element(graph: Graph, drawing: str, view_box: str, css_class: str, marker: str,
                label: str = "") -> str:
    return (f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-label="{html_text(label or graph.title or "Decision flowchart")}" '
            f'viewBox="{view_box}" font-family="sans-serif" font-size="{FONT}">'
            f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            'fill="#222"/></marker></defs>'
            + drawing.replace("url(#arrow)", f"url(#{marker})") + "</svg>")


SLIDE_ROW_GAP = 30  # room in a gap for an arrow's label above the cut and its head below it
BAND_CUT = 16  # where a band ends in the gap below its row: under the "No" label (at 12)


def row_bands(graph: Graph, fit: str = "standard") -> list[str]:
    """The chart for slides: one <svg> per row of boxes, each showing the whole drawing through
    a window on its row. Stacked they join into the chart; a slide may be continued between
    any two rows (edukit.core.slide_fit), the arrow's label above the cut, its head below."""
    drawing, (width, height), rows = layout(graph, SLIDE_ROW_GAP, fit)
    bands = []
    for n, (top, row_height) in enumerate(rows):
        start = -1 if n == 0 else top - SLIDE_ROW_GAP + BAND_CUT
        end = height - 1 if n == len(rows) - 1 else top + row_height + BAND_CUT
        label = f"{graph.title or 'Decision flowchart'}, row {n + 1} of {len(rows)}"
        bands.append(svg_element(graph, drawing, f"-1 {start} {width} {end - start}",
                                 f"flowchart-band fits-{fit}", f"arrow-{fit}-{n + 1}", label))
    return bands


def drawn_graph(graph: Graph) -> Graph:
    """The graph as drawn: an outcome that more than one box leads to is drawn once for each,
    beside the box that leads to it, so every answer is read just before its outcome (an
    outcome is an end: the copies lead nowhere, and the chart's paths are unchanged)."""
    ways_in: dict[str, int] = {}
    for node in graph.nodes.values():
        for _, target in node.exits:
            ways_in[target] = ways_in.get(target, 0) + 1
    shared = {n for n, count in ways_in.items() if count > 1 and graph.nodes[n].type == "outcome"}
    if not shared:
        return graph
    nodes = dict(graph.nodes)
    for node in graph.nodes.values():
        exits = []
        for label, target in node.exits:
            if target in shared:
                copy = f"{target} ({node.id} {label})"
                while copy in nodes:  # a file's own node id could read the same
                    copy += "'"
                nodes[copy] = Node(copy, "outcome", graph.nodes[target].text, ())
                target = copy
            exits.append((label, target))
        nodes[node.id] = Node(node.id, node.type, node.text, tuple(exits))
    for target in shared:
        del nodes[target]
    return Graph(graph.start, nodes, graph.title)


def reading_order(graph: Graph) -> list[tuple[str, str | None, str]]:
    """The boxes and answers in reading order, depth first from the start: a box as (id, None,
    ""), a question's answer as (question id, "yes"/"no", target id), each answer followed by
    the box it leads to (unless that box was read before: only where a box other than an
    outcome is shared)."""
    order: list[tuple[str, str | None, str]] = []
    seen: set[str] = set()

    def visit(node_id: str) -> None:
        seen.add(node_id)
        order.append((node_id, None, ""))
        node = graph.nodes[node_id]
        for label, target in node.exits:
            if node.type == "question":
                order.append((node_id, label, target))
            if target not in seen:
                visit(target)

    visit(graph.start)
    return order


STYLE = {  # fill, stroke, stroke width, corner radius: greys that read the same photocopied
    "start": ("#ffffff", "#222", 2.5, 14),
    "question": ("#f1f1f1", "#222", 1.5, 0),
    "action": ("#ffffff", "#222", 1.2, 4),
    "outcome": ("#e3e3e3", "#222", 2.5, 4),
}


def node_svg(node: Node, box: tuple[float, float, float, float], lines: list[str]) -> str:
    """A box and its text: one <text> element, a line in each <tspan>, so a screen reader
    reads the box as one paragraph."""
    x, y, w, h = box
    fill, stroke, width, radius = STYLE[node.type]
    weight = ' font-weight="bold"' if node.type in BOLD else ""
    # A space between the lines: a box's text reads "is reported", not "isreported".
    spans = " ".join(f'<tspan x="{x + w / 2}" y="{y + PAD + (i + 1) * LINE - 3}">'
                    f"{html_text(line)}</tspan>" for i, line in enumerate(lines))
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{radius}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}"/>'
            f'<text text-anchor="middle"{weight}>{spans}</text>')


def edge_route(a, b) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """The arrow's points from box a to box b, and where its label goes."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    if abs(ax - bx) < 1:  # same column: straight down
        return [(ax + aw / 2, ay + ah), (bx + bw / 2, by)], (ax + aw / 2 + 5, ay + ah + 12)
    if abs(ay - by) < 1:  # same row: straight across, level with the shorter box's middle
        mid = ay + min(ah, bh) / 2
        return [(ax + aw, mid), (bx, mid)], (ax + aw + 6, ay + ah / 2 - 4)
    # out of the side, then down onto the box's top (or up onto its bottom)
    end = by if by > ay else by + bh
    return ([(ax + aw, ay + ah / 2), (bx + bw / 2, ay + ah / 2), (bx + bw / 2, end)],
            (ax + aw + 6, ay + ah / 2 - 4))


def edge_svg(a, b) -> str:
    points, _ = edge_route(a, b)
    path = " ".join(f"{px},{py}" for px, py in points)
    return (f'<polyline points="{path}" fill="none" stroke="#222" stroke-width="1.4" '
            'marker-end="url(#arrow)"/>')


def label_svg(a, b, label: str) -> str:
    """A question's answer ("Yes", "No") beside its arrow."""
    _, (x, y) = edge_route(a, b)
    return f'<text x="{x}" y="{y}" font-weight="bold">{label.capitalize()}</text>'
