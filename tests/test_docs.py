"""The README keeps in step with the command line: its reference lists every command (and
group subcommand) `kg --help` has, nothing else, and only options the commands take."""

from __future__ import annotations

import re

import click
import pytest

from kg.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _reference() -> list[str]:
    """The usage part of each line of the README's "Command line" code block."""
    section = README.split("\n## Command line\n", 1)[1]
    block = section.split("```", 2)[1]
    return [
        re.split(r"\s{2,}", line.strip())[0]
        for line in block.splitlines()
        if line.startswith("kg ") and not line.startswith("kg --help")
    ]


def _command(words: list[str]) -> tuple[str, click.Command]:
    command: click.Command = main
    path = []
    for word in words:
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
        path.append(word)
    return " ".join(path), command


def _documented() -> dict[str, str]:
    return {_command(usage.split()[1:])[0]: usage for usage in _reference()}


def _every_command(group: click.Group, prefix: str = "") -> set[str]:
    names = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names |= _every_command(command, f"{prefix}{name} ")
        else:
            names.add(f"{prefix}{name}")
    return names


def test_reference_lists_every_command() -> None:
    documented = set(_documented())
    assert "" not in documented, "a README reference line names no kg command"
    assert documented == _every_command(main)


@pytest.mark.parametrize("usage", _reference())
def test_reference_options_exist(usage: str) -> None:
    name, command = _command(usage.split()[1:])
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", usage):
        assert option in options, f"`kg {name}` has no option {option}"


def test_commands_in_examples_exist() -> None:
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", README, re.S)
    used = {
        word
        for block in blocks
        for word in re.findall(r"(?:^|&&|\||;)\s*kg (?:-q )?([a-z][a-z-]*)", block, re.M)
    }
    assert used, "no kg command in the README's examples"
    assert used <= set(main.commands), used - set(main.commands)
