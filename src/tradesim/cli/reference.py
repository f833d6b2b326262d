"""The command reference, as Markdown, generated from the Typer application itself: every command and option
with its type, default and help text. ``docs/reference/cli.md`` is this text; a test keeps them the same
(``python -m tradesim.cli.reference > docs/reference/cli.md`` writes it anew)."""

from __future__ import annotations

from typing import Any


def _escape(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _kind(param: Any) -> str:
    """What an option takes, in words, from its annotation (typer builds click's types only when parsing)."""
    import enum
    import pathlib
    import types
    import typing

    if getattr(param, "is_flag", False):
        return "flag"
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    repeatable = typing.get_origin(annotation) is list or any(typing.get_origin(a) is list for a in args)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (typing.Union, list):
        annotation = next((a for a in args if typing.get_origin(a) is not list), args[0] if args else str)
        if typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        kind = " \\| ".join(str(m.value) for m in annotation)
    else:
        kind = {int: "integer", float: "number", str: "text", bool: "flag", pathlib.Path: "path"}.get(
            annotation, "text"
        )
    return f"{kind}, repeatable" if repeatable or getattr(param, "multiple", False) else kind


def _option(param: Any) -> dict[str, str]:
    names = ", ".join(f"`{n}`" for n in (*param.opts, *param.secondary_opts))
    default = param.default
    if hasattr(default, "value"):  # an enum member
        default = default.value
    flag = getattr(param, "is_flag", False)
    shown = "" if default is None or flag or callable(default) or default in ((), []) else f"`{default}`"
    return {
        "option": names,
        "type": _kind(param),
        "default": "required" if param.required else shown,
        "help": _escape(getattr(param, "help", None) or ""),
    }


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    from typer import Context

    found = []
    context = Context(group, info_name=prefix)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        path = f"{prefix} {name}"
        found.append((path, command))
        if hasattr(command, "list_commands"):  # a group of commands (typer vendors click's classes)
            found += _commands(command, path)
    return found


def markdown() -> str:
    """The reference page: the application's help, then one section a command, in ``tradesim --help``'s order."""
    import typer

    from tradesim.cli import app

    root = typer.main.get_command(app)
    lines = [
        "# Command reference",
        "",
        "Generated from the command line itself (`python -m tradesim.cli.reference`); a test fails when it",
        "drifts. Every command also takes `-h`/`--help`.",
        "",
        _escape(root.help or ""),
        "",
    ]
    for path, command in _commands(root, "tradesim"):
        context = typer.Context(command, info_name=path)
        usage = " ".join(command.collect_usage_pieces(context))
        lines += [f"## `{path}`", "", _escape(command.help or command.short_help or ""), ""]
        lines += ["```text", f"{path} {usage}".rstrip(), "```", ""]
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        for argument in arguments:
            name = (argument.metavar or argument.name or "").upper()
            lines.append(f"Argument `{name}`: {_escape(getattr(argument, 'help', None) or '')}")
            lines.append("")
        options = [_option(p) for p in command.params if p.param_type_name == "option" and not p.hidden]
        if options:
            lines += ["| option | type | default | help |", "| --- | --- | --- | --- |"]
            lines += [f"| {o['option']} | {o['type']} | {o['default']} | {o['help']} |" for o in options]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover - the docs' regeneration
    print(markdown(), end="")
