"""`init`, `member add|list|remove` and `council set|unset|show`: setting up the council."""

from typing import Annotated

import typer

from ..record.model import SIGNATURES, Council, Member
from ..record.schema import INITIALS_RE, valid_text
from ..rules import names
from ..text.errors import YiguanError
from ..text.messages import Listed, t
from .common import folder, notes, say, warn


def init(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help=t("help.opt.council_name"))] = "居民议事会",
    org: Annotated[str | None, typer.Option("--org", help=t("help.opt.council_org"),
                                            show_default=False)] = None,
    notice_place: Annotated[str | None, typer.Option(
        "--notice-place", help=t("help.opt.notice_place"), show_default=False)] = None,
    contact: Annotated[str | None, typer.Option("--contact", help=t("help.opt.council_contact"),
                                                show_default=False)] = None,
) -> None:
    """Create the data folder and council.toml with the default rules."""
    data = folder(ctx)
    council = Council(name=valid_text(name.strip(), "line", "name"),
                      org=_public_value("org", org) if org else None,
                      notice_place=_public_value("notice_place", notice_place)
                      if notice_place else None,
                      contact=_public_value("contact", contact) if contact else None)
    try:
        created = data.init(council)
    except YiguanError as error:
        if error.key != "store.exists":
            raise
        # most often the repository's own bundled example: say how to start another
        raise YiguanError("council.init_exists", path=error.params["path"]) from None
    for path in created:
        say("council.created", path=str(path))
    from ..git.support import find_git_root

    if find_git_root(data.root) is not None:
        say("council.offer_git_setup")


def member_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("help.arg.member_name"), show_default=False)],
    initials: Annotated[
        str | None, typer.Option("--initials", help=t("help.opt.initials"), show_default=False)
    ] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", help=t("help.opt.phone"), show_default=False)
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help=t("help.opt.member_note"), show_default=False)
    ] = None,
) -> None:
    """Add a member to the roster (initials by pypinyin unless given)."""
    data = folder(ctx)
    name = valid_text(name.strip(), "name", "name")
    data.load_council()  # a missing council.toml is reported before pypinyin is loaded
    if initials is None:
        initials = names.initials_for(name)
        if not initials:
            raise YiguanError("council.no_initials", name=name)
    initials = initials.strip().lower()
    if not INITIALS_RE.match(initials):
        raise YiguanError("council.bad_initials", initials=initials)
    with data.edit_council() as change:
        council = change.value
        if council.member(name):
            raise YiguanError("council.duplicate_member", name=name)
        twin = names.lookalike(name, (m.name for m in council.members))
        if twin:
            raise YiguanError("council.lookalike_member", name=name, other=twin)
        twins = [m.name for m in council.members if m.initials == initials]
        council.members.append(Member(
            name=name, initials=initials,
            phone=valid_text(phone.strip(), "line", "phone") if phone else None,
            note=valid_text(note.strip(), "text", "note") if note else None))
    say("council.member_added", name=name, initials=initials, n=len(council.members))
    if twins:
        warn("council.same_initials", initials=initials, others=Listed(twins))
    notes(change.notes)


def member_list(
    ctx: typer.Context,
    private: Annotated[bool, typer.Option("--private", help=t("help.opt.private"))] = False,
) -> None:
    """Print the roster."""
    data = folder(ctx)
    council = data.load_council()
    if private:
        from ..store.private import with_particulars

        council = with_particulars(council, data.load_private())
    from . import output

    columns = [t("col.number"), t("col.name"), t("col.initials")]
    if private:
        columns += [t("col.phone"), t("col.note")]
    rows = []
    for number, member in enumerate(council.members, 1):
        row = [str(number), member.name, member.initials]
        if private:
            row += [member.phone or "", member.note or ""]
        rows.append(row)
    output.table(t("council.roster_title", name=council.name, n=len(council.members)),
                 columns, rows, empty=t("council.roster_empty"))


def member_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("help.arg.member_name"), show_default=False)],
) -> None:
    """Remove a member from the roster; past meetings keep their records."""
    data = folder(ctx)
    with data.edit_council() as change:
        council = change.value
        person = names.find(name, names.people((m.name, m.initials) for m in council.members))
        council.members = [m for m in council.members if m.name != person.name]
    say("council.member_removed", name=person.name, n=len(council.members))
    notes(change.notes)


# --- the council's public particulars (council set / unset / show) ----------------------

SETTABLE = ("name", "org", "notice_place", "contact", "number_pattern", "signatures")


def _key(key: str) -> str:
    """`notice-place` or `notice_place`; anything else is refused with the list."""
    wanted = key.strip().replace("-", "_")
    if wanted not in SETTABLE:
        raise YiguanError("council.bad_key", key=key, keys=Listed(SETTABLE))
    return wanted


def _public_value(key: str, value: str) -> str:
    if key == "signatures":  # who signs the minutes: one of SIGNATURES
        choice = value.strip().lower()
        if choice not in SIGNATURES:
            raise YiguanError("council.bad_signatures", value=value,
                              choices=Listed(SIGNATURES))
        return choice
    text = valid_text(value.strip(), "line", f"council_{key}")
    if key == "number_pattern":  # the 文号 of notices (record/numbers.py)
        from ..record.numbers import valid_pattern

        return valid_pattern(text)
    return text


def _shown(key: str, value: str | None) -> str:
    """A particular as `council show` and `council set` say it."""
    if key == "signatures":  # unset: the default, everyone present signs
        return t(f"council.signatures.{value or SIGNATURES[0]}")
    return value or t("council.not_set")


def council_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help=t("help.arg.council_key"), show_default=False,
                                       metavar="KEY")],
    value: Annotated[str, typer.Argument(help=t("help.arg.council_value"),
                                         show_default=False, metavar="VALUE")],
) -> None:
    """Set one of the council's public particulars."""
    data = folder(ctx)
    attribute = _key(key)
    text = _public_value(attribute, value)
    with data.edit_council() as change:
        setattr(change.value, attribute, text)
    say("council.set_done", key_key=f"council.key.{attribute}", value=_shown(attribute, text))
    notes(change.notes)


def council_unset(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help=t("help.arg.council_key"), show_default=False,
                                       metavar="KEY")],
) -> None:
    """Remove one of the council's public particulars."""
    data = folder(ctx)
    attribute = _key(key)
    if attribute == "name":
        raise YiguanError("council.name_required")
    with data.edit_council() as change:
        setattr(change.value, attribute, None)
    say("council.unset_done", key_key=f"council.key.{attribute}")
    notes(change.notes)


def council_show(ctx: typer.Context) -> None:
    """Print the council's public particulars."""
    council = folder(ctx).load_council()
    from . import output

    output.pairs([(t(f"council.key.{key}") + f" ({key})", _shown(key, getattr(council, key)))
                  for key in SETTABLE]
                 + [(t("council.key.members"), str(len(council.members)))])


def _council_app() -> typer.Typer:
    from . import guarded

    app = typer.Typer(no_args_is_help=True, help=t("help.council"))
    app.command("set", help=t("help.council.set"))(guarded(council_set))
    app.command("unset", help=t("help.council.unset"))(guarded(council_unset))
    app.command("show", help=t("help.council.show"))(guarded(council_show))
    return app


def _member_app() -> typer.Typer:
    from . import guarded

    app = typer.Typer(no_args_is_help=True, help=t("help.member"))
    app.command("add", help=t("help.member.add"))(guarded(member_add))
    app.command("list", help=t("help.member.list"))(guarded(member_list))
    app.command("remove", help=t("help.member.remove"))(guarded(member_remove))
    return app


COMMANDS = {"init": init}
GROUPS = {"member": _member_app, "council": _council_app}
