"""The shortcuts the launch takes (issue 17) give the answers the long way gives."""
from __future__ import annotations

import pytest

from edukit import cli
from edukit.core.text import BIDI_CONTROLS, has_bidi_controls


def test_the_quick_look_for_text_direction_controls_finds_exactly_what_the_pattern_finds():
    for code in [*range(0xD800), *range(0xE000, 0x10000), 0x1F600, 0x10FFFF]:
        char = chr(code)
        assert has_bidi_controls(f"lesson {char} text") == bool(BIDI_CONTROLS.search(char)), hex(code)
    assert has_bidi_controls("\u202eevil.exe txt.md")  # positive control: Trojan Source
    assert not has_bidi_controls("plain \u200f right-to-left mark")  # a mark reorders nothing


@pytest.mark.parametrize("argv", [
    ["open", "who-can-i-tell"], ["present", "who-can-i-tell"], ["open", "list"], ["open", ""],
    ["open", "lessons/my lesson.md"], ["present", "./a b/module.md"],
])
def test_the_app_s_own_command_line_is_read_as_the_parser_reads_it(argv):
    assert cli.parse_args(argv) == cli.build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [
    ["open", "--content", "x", "who-can-i-tell"], ["--content", "x", "open", "a"], ["open"],
    ["open", "a", "b"], ["list"], ["export", "a", "-o", "x.pdf"],
])
def test_any_other_command_line_goes_to_the_parser(argv, monkeypatch):
    calls = []
    real = cli.build_parser

    def counting():
        calls.append(argv)
        return real()
    monkeypatch.setattr(cli, "build_parser", counting)
    try:
        cli.parse_args(argv)
    except SystemExit:  # a usage mistake is the parser's own message
        pass
    assert calls == [argv]


def test_a_mistake_on_the_app_s_command_line_is_still_the_parser_s_one_line(capsys):
    with pytest.raises(SystemExit):
        cli.parse_args(["open", "--nonsense"])
    assert "edukit: open: " in capsys.readouterr().err
