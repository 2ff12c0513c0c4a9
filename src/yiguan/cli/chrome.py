"""Typer's own words — usage lines, help chrome, usage errors — in the interface language.

Typer and its vendored click speak English: `Usage: yiguan vote [OPTIONS] {M}`,
`Missing option '--date'.`, `[required]`. yiguan's command and group classes
(`Command`, `Group`, given to Typer as `cls`) put yiguan's words there instead:

* the usage line is written here (`用法：yiguan vote [选项] 动议编号`): typer 0.28's
  `TyperArgument.make_metavar(usage=True)` wraps every required argument in braces
  (`{M}`), so the pieces are built from the arguments' labels, click's way
  (`NAME`, `[NAME]`, `NAME...`);
* argument and option labels (`动议编号`, `姓名`, a type hint such as `整数 ≥0` for
  `<int range> [x>=0]`) come from the catalogue, set on the parameters only when help or
  a usage error is printed;
* Typer's help and error chrome is set through the constants of `typer.rich_utils`
  (panel titles, `[必填]`, `[默认：…]`, the "Try … for help" line), on first need:
  importing rich_utils costs what Typer would pay anyway to print;
* usage errors are caught on their way out of the root group and raised again as one
  with a message in the interface language, built from what the exception knows (the
  parameter, the option name, the close matches) — exit code 2 as before.

With YIGUAN_LANG=en, Typer's English stays; only the usage line loses its braces.
"""

import re
from difflib import get_close_matches
from typing import Any

from typer import Abort
from typer._click import exceptions as click_errors
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from ..text.messages import Listed, current_language, listed, locale, t

_installed: str | None = None


def install() -> None:
    """Set Typer's help and error chrome in the current language (once per process)."""
    global _installed
    lang = current_language()
    if _installed == lang:
        return
    import typer.rich_utils as chrome

    if not hasattr(chrome, "_yiguan_english"):
        # what Typer had, so that switching back to English (tests) restores it
        chrome._yiguan_english = {name: getattr(chrome, name)  # type: ignore[attr-defined]
                                  for name in _CHROME}
    english: dict[str, Any] = chrome._yiguan_english  # type: ignore[attr-defined]
    for name, key in _CHROME.items():
        if name == "highlighter":
            continue
        setattr(chrome, name, english[name] if locale(lang).typer_native else t(key))
    chrome.highlighter = _folding(english["highlighter"])
    _installed = lang


# typer.rich_utils constant → catalogue key; a language Typer speaks (English) keeps
# Typer's own value
_CHROME = {
    "DEPRECATED_STRING": "chrome.deprecated",
    "DEFAULT_STRING": "chrome.default",
    "ENVVAR_STRING": "chrome.envvar",
    "REQUIRED_LONG_STRING": "chrome.required",
    "RANGE_STRING": "chrome.range",
    "ARGUMENTS_PANEL_TITLE": "chrome.panel.arguments",
    "OPTIONS_PANEL_TITLE": "chrome.panel.options",
    "COMMANDS_PANEL_TITLE": "chrome.panel.commands",
    "ERRORS_PANEL_TITLE": "chrome.panel.error",
    "ABORTED_TEXT": "chrome.aborted",
    "RICH_HELP": "chrome.try_help",
    "highlighter": "",
}


def _folding(highlighter: Any) -> Any:
    """Typer's option highlighter, made to fold text that has no spaces to wrap at.

    A table cell crops a 'word' wider than its column with `…`, and a Chinese sentence is
    one word to rich. Folding breaks it at the column's edge, as Chinese text may be."""
    base = type(highlighter)
    if getattr(base, "folds", False):
        return highlighter

    class Folding(base):  # type: ignore[valid-type,misc]
        folds = True

        def highlight(self, text: Any) -> None:
            super().highlight(text)
            text.overflow = "fold"

    return Folding()


# --- labels ---------------------------------------------------------------------------

def label(command: str, param: Any) -> str | None:
    """What the help and errors call a parameter: the catalogue's label for this
    command's parameter, or for arguments (options) of that name, else None."""
    from ..text.messages import catalogue

    words = catalogue(current_language())
    kind = "arg" if isinstance(param, TyperArgument) else "opt"
    for key in (f"label.{command}.{param.name}", f"label.{kind}.{param.name}"):
        if key in words:
            return words[key]
    return None


def argument_label(command: str, param: Any) -> str:
    found = label(command, param)
    if found is not None:
        return found
    return param.metavar or (param.name or "").upper()


def _type_hint(param: Any) -> str | None:
    """A hint for an option's value from its type (整数, 文字, 路径…), if the
    catalogue has one."""
    from ..text.messages import catalogue

    key = f"chrome.type.{param.type.name.replace(' ', '_')}"
    return catalogue(current_language()).get(key)


def _range(kind: Any) -> str:
    low, high = kind.min, kind.max
    if high is None:
        return f"{'>' if kind.min_open else '≥'}{low}"
    if low is None:
        return f"{'<' if kind.max_open else '≤'}{high}"
    return f"{low}–{high}"


def _label_params(command: Any, ctx: Any) -> None:
    """Put the labels on the command's parameters before help or an error shows them.

    In Chinese a range is part of the label (`票数 ≥0`): Typer's `[x>=0]` is off. In a
    language Typer speaks (English), Typer's type hints and ranges stay."""
    name = ctx.info_name or ""
    own_hints = not locale().typer_native  # else Typer's own (English) stay
    for param in command.params:
        if isinstance(param, TyperArgument):
            param.metavar = argument_label(name, param)
            hint = _type_hint(param) if own_hints else None
            if hint is not None and param.type.name != hint:
                # the help's type column shows <str>: a copy of the shared type, renamed
                import copy

                param.type = copy.copy(param.type)
                param.type.name = hint
        elif isinstance(param, TyperOption) and not (param.is_flag or param.count):
            found = label(name, param)
            if found is None and param.metavar is None:
                found = _type_hint(param) if own_hints else None
            if found is None:
                continue
            if own_hints and (getattr(param.type, "min", None) is not None
                              or getattr(param.type, "max", None) is not None):
                found += " " + _range(param.type)
            param.metavar = found


# --- the usage line --------------------------------------------------------------------

def _usage_pieces(command: Any, ctx: Any) -> list[str]:
    pieces = [t("chrome.options_metavar")] if command.options_metavar else []
    for param in command.params:
        if not isinstance(param, TyperArgument) or param.hidden:
            continue
        piece = argument_label(ctx.info_name or "", param)
        if param.nargs != 1 and not piece.endswith(("...", "…")):
            piece += "..."
        pieces.append(piece if param.required else f"[{piece}]")
    if isinstance(command, TyperGroup):
        pieces.append(t("chrome.command_metavar"))
    return pieces


# --- usage errors ------------------------------------------------------------------------

def translated(error: Exception) -> Exception:
    """The usage error to show: in Chinese, one built from what `error` knows; in
    English (a language click speaks), `error` itself."""
    install()
    if locale().typer_native or not isinstance(error, click_errors.UsageError) \
            or isinstance(error, click_errors.NoArgsIsHelpError):
        return error
    ctx = error.ctx
    if ctx is not None:
        _label_params(ctx.command, ctx)
    message = _message(error)
    fresh = click_errors.UsageError(message, ctx)
    fresh.exit_code = error.exit_code
    return fresh


# click's messages, matched only when an error is shown (patterns, compiled on first use)
_NOT_A_NUMBER = r"^(?P<value>.*) is not a valid (?:integer|int|float)[\w ]*\.$"
_OUT_OF_RANGE = r"^(?P<value>.*) is not in the range .*\.$"
_PATH = (r"^\w+ (?P<path>'.*') (?P<what>does not exist|is a file|is a directory|"
         r"is not readable|is not writable)\.$")
_EXTRA = r"^Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)$"


def _message(error: Any) -> str:
    ctx = error.ctx
    command = ctx.info_name if ctx is not None else ""
    if isinstance(error, click_errors.MissingParameter):
        param = error.param
        if isinstance(param, TyperArgument):
            return t("usage.missing_argument", name=argument_label(command, param))
        if param is not None:
            return t("usage.missing_option", name=_option_names(param))
        return t("usage.missing_value")
    if isinstance(error, click_errors.NoSuchOption):
        text = t("usage.no_such_option", option=error.option_name)
        if error.possibilities:
            text += t("usage.did_you_mean", names=Listed(sorted(error.possibilities)))
        return text
    if isinstance(error, click_errors.BadOptionUsage):
        key = ("usage.option_takes_no_value" if "does not take" in error.message
               else "usage.option_needs_value")
        return t(key, option=error.option_name)
    if isinstance(error, click_errors.BadParameter):
        return _bad_value(error, command)
    unknown = getattr(error, "yiguan_unknown_command", None)
    if unknown is not None:
        text = t("usage.no_such_command", name=unknown)
        close = getattr(error, "yiguan_close_commands", [])
        if close:
            text += t("usage.did_you_mean", names=Listed(close))
        return text
    if error.message == "Missing command.":
        return t("usage.missing_command")
    extra = re.match(_EXTRA, error.message, re.S)
    if extra:
        return t("usage.extra_arguments", args=extra["args"])
    return _own_or_generic(error.message)


def _bad_value(error: Any, command: str) -> str:
    param = error.param
    if param is None:
        what = error.param_hint if isinstance(error.param_hint, str) else ""
    elif isinstance(param, TyperArgument):
        what = argument_label(command, param)
    else:
        what = _option_names(param)
    kind: Any = getattr(param, "type", None)
    detail: str
    if hasattr(kind, "_normalized_mapping"):
        choices = listed(kind._normalized_mapping(ctx=error.ctx).values())
        detail = t("usage.not_a_choice", choices=choices)
    elif (match := re.match(_OUT_OF_RANGE, error.message, re.S)) and kind is not None:
        detail = t("usage.out_of_range", value=match["value"], range=_range(kind))
    elif match := re.match(_NOT_A_NUMBER, error.message, re.S):
        detail = t("usage.not_a_number", value=match["value"])
    elif match := re.match(_PATH, error.message, re.S):
        detail = t("usage.path." + match["what"].split()[-1], path=match["path"])
    else:
        detail = _own_or_generic(error.message)
    return t("usage.bad_value", what=what, detail=detail) if what else detail


def _own_or_generic(message: str) -> str:
    """A message yiguan wrote itself (Chinese) as it is; click's English never."""
    return message if not re.search("[A-Za-z]{3,}", message) or _has_han(message) \
        else t("usage.bad_input")


def _has_han(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _option_names(param: Any) -> str:
    return str(max(param.opts, key=len))  # --output rather than -o / --output


# --- the classes Typer builds yiguan's commands with ---------------------------------------

class _Chrome:
    """What yiguan's command and group classes share."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(_usage_pieces(self, ctx)),
                              prefix=t("chrome.usage"))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc,no-any-return]
        except click_errors.UsageError as error:
            if error.ctx is None:  # the option parser knows no context: say whose usage
                error.ctx, error.cmd = ctx, ctx.command
            raise

    def format_help(self, ctx: Any, formatter: Any) -> None:
        install()
        _label_params(self, ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("chrome.help_option")
        return option


class Command(_Chrome, TyperCommand):
    """A yiguan command: usage line and help in the interface language."""


class Group(_Chrome, TyperGroup):
    """A yiguan group; the root one turns usage errors into the interface language."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except click_errors.UsageError as error:
            raise _outgoing(self, error) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except click_errors.UsageError as error:
            raise _outgoing(self, error) from None
        except Abort:
            install()
            raise

    # alias → command name: the root group's (Root.taking), none for a sub-app's
    aliases: dict[str, str] = {}

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click_errors.UsageError as error:
            if type(error) is click_errors.UsageError and args and \
                    args[0] not in self.commands:
                error.yiguan_unknown_command = args[0]  # type: ignore[attr-defined]
                # a Chinese name is two to four characters, and the usual slip is one
                # character for another of the same sound (签道 for 签到): half the name
                cutoff = 0.6 if args[0].isascii() else 0.5
                error.yiguan_close_commands = get_close_matches(  # type: ignore[attr-defined]
                    args[0], [*self.commands, *self.aliases], cutoff=cutoff)
            raise


class Root(Group):
    """yiguan itself: a command typed by its alias (`签到`) is the command of that name
    (`sign`) — the same parameters, output and usage line — and the help ends with the
    table of aliases."""

    @classmethod
    def taking(cls, aliases: dict[str, str]) -> type["Root"]:
        """The root group's class for this table of aliases (alias → command name)."""
        return type(cls.__name__, (cls,), {"aliases": aliases})

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in self.aliases:
            args = [self.aliases[args[0]], *args[1:]]
        return super().resolve_command(ctx, args)

    def _aliased(self) -> list[tuple[str, str]]:
        return [(alias, name) for alias, name in self.aliases.items() if name in self.commands]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)
        from typer.core import HAS_RICH

        if HAS_RICH and self.rich_markup_mode is not None and self._aliased():
            _print_aliases(self._aliased())

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        """The table of aliases in click's plain help (TYPER_USE_RICH=0); the rich help
        does not call this."""
        super().format_epilog(ctx, formatter)
        pairs = self._aliased()
        if pairs:
            with formatter.section(t("chrome.aliases")):
                formatter.write_text(t("chrome.aliases_note"))
                width = formatter.width - formatter.current_indent
                for line in _alias_lines(pairs, width):
                    formatter.write(" " * formatter.current_indent
                                    + "".join(text for text, _ in line) + "\n")


def _alias_lines(pairs: list[tuple[str, str]], width: int) -> list[list[tuple[str, bool]]]:
    """The aliases in as many columns as `width` holds, read down each column in the
    order of the help: each line as pieces (text, whether it is a command's name)."""
    from ..render.table import width as columns_of

    alias_width = max(columns_of(alias) for alias, _ in pairs)
    name_width = max(columns_of(name) for _, name in pairs)
    gap = 3
    across = max(1, (width + gap) // (alias_width + 1 + name_width + gap))
    down = -(-len(pairs) // across)
    lines = []
    for row in range(down):
        line: list[tuple[str, bool]] = []
        entries = pairs[row::down]
        for column, (alias, name) in enumerate(entries):
            line.append((alias + " " * (alias_width - columns_of(alias) + 1), False))
            line.append((name, True))
            if column + 1 < len(entries):
                line.append((" " * (name_width - columns_of(name) + gap), False))
        lines.append(line)
    return lines


def _print_aliases(pairs: list[tuple[str, str]]) -> None:
    """The table of aliases as a panel after Typer's, in its style."""
    import typer.rich_utils as rich_chrome
    from rich.panel import Panel
    from rich.text import Text

    console = rich_chrome._get_rich_console()
    body = Text(t("chrome.aliases_note"), overflow="fold")
    for line in _alias_lines(pairs, console.width - 4):  # 4: the border and its padding
        body.append("\n")
        for text, is_name in line:
            body.append(text, style=rich_chrome.STYLE_COMMANDS_TABLE_FIRST_COLUMN
                        if is_name else "")
    console.print(Panel(body, border_style=rich_chrome.STYLE_COMMANDS_PANEL_BORDER,
                        title=t("chrome.aliases"),
                        title_align=rich_chrome.ALIGN_COMMANDS_PANEL))


def adopt(sub: Any) -> Any:
    """A sub-app (`member`, `agenda`) whose commands Typer builds with yiguan's class."""
    for info in sub.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = Command
    return sub


def _outgoing(group: Group, error: Exception) -> Exception:
    """Translate once, at the outermost group."""
    if getattr(error, "yiguan_translated", False):
        return error
    fresh = translated(error)
    fresh.yiguan_translated = True  # type: ignore[attr-defined]
    return fresh
