"""The ``natostruct`` command line: a thin argparse front end over the library.

``natostruct`` alone prints the tree of NATO as of today. Every query command
takes ``--json``. Exit codes: 0 done, 1 an unknown key or invalid data,
2 bad arguments. Errors are one short line on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import TYPE_CHECKING, Final, NoReturn, TypedDict, cast

from natostruct.convert import CONVERTER
from natostruct.dates import PartialDate, today
from natostruct.errors import DatasetError, NatostructError, UnknownKeyError
from natostruct.export import FORMATS
from natostruct.fileformat import FORMAT_VERSION, READABLE_VERSIONS
from natostruct.text import label, place, span

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from natostruct.changes import Change
    from natostruct.dataset import Dataset
    from natostruct.errors import Problem
    from natostruct.model import Entity, Location

__all__ = ["build_parser", "entrypoint", "main"]

_PROG: Final = "natostruct"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


class _TreeNode(TypedDict):
    """One entity of ``tree --json``, with the entities below it."""

    id: str
    abbreviation: str | None
    name: str
    city: str | None
    #: False for an entity that only may have existed that day (shown with ``?``).
    certain: bool
    #: False at the top level for an entity whose recorded superior is unknown that day.
    superior_known: bool
    #: The values in doubt that day (``name``, ``parent_id``, ``location``, ``head``),
    #: each with its candidates, the one shown first.
    doubts: dict[str, list[str]]
    children: list[_TreeNode]


#: How the tree names the fields a view leaves in doubt.
_DOUBT_WORDS: Final = {"parent_id": "superior", "location": "HQ"}


class _Args(argparse.Namespace):
    """The parsed command line (every attribute any command may set)."""

    command: str | None = None
    json: bool = False
    as_of: dt.date | None = None
    root: str | None = None
    depth: int | None = None
    key: str = ""
    text: str = ""
    limit: int = 10
    date1: dt.date = dt.date.min
    date2: dt.date = dt.date.min
    format: str = ""
    output: str | None = None
    files: Sequence[str] = ()
    standalone: bool = False
    file: str = ""
    to: int = 2


def _date(text: str) -> dt.date:
    """A DATE argument: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (its first day)."""
    try:
        return PartialDate.parse(text).first_day
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _count(text: str) -> int:
    """A non-negative integer argument."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        msg = f"expected a whole number 0 or more, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``natostruct`` command."""
    parser = _Parser(
        prog=_PROG,
        description="NATO's structure as typed, sourced, dated records.",
        epilog="With no command, prints the tree of NATO as of today. "
        "DATE is YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    from natostruct import __version__  # noqa: PLC0415 (avoids an import cycle)

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, *, query: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if query:
            sub.add_argument("--json", action="store_true", help="print JSON")
        return sub

    def as_of(sub: argparse.ArgumentParser, default: str) -> None:
        sub.add_argument(
            "--as-of", type=_date, metavar="DATE", help=f"the day to look at (default: {default})"
        )

    tree = command("tree", "Print the organisation as an indented tree.")
    tree.add_argument("root", nargs="?", metavar="ROOT", help="start here (default: the top)")
    as_of(tree, "today")
    tree.add_argument("--depth", type=_count, metavar="N", help="levels below the root to show")

    show = command("show", "Show one entity in full.")
    show.add_argument("key", metavar="KEY", help="an id, abbreviation, name or HQ city")
    as_of(show, "the whole history")

    search = command("search", "Find entities by name, abbreviation or alias.")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--limit", type=_count, default=10, metavar="N", help="default: 10")

    members = command("members", "List the member states, by accession date.")
    as_of(members, "today")

    history = command("history", "List one entity's changes over time.")
    history.add_argument("key", metavar="KEY")

    diff = command("diff", "List what changed between two days.")
    diff.add_argument("date1", type=_date, metavar="DATE1")
    diff.add_argument("date2", type=_date, metavar="DATE2")

    export = command("export", "Write the data in another format.", query=False)
    export.add_argument("--format", required=True, choices=FORMATS)
    as_of(export, "the whole history")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")

    validate = command(
        "validate", "Check data files; print every problem as FILE: RECORD: FIELD: REASON."
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument(
        "--standalone", action="store_true", help="check the files alone, not on top of the data"
    )

    reformat = command(
        "format",
        "Rewrite a data file in the current format (a sources table cited by key), in place.",
        query=False,
    )
    reformat.add_argument("file", metavar="FILE")
    reformat.add_argument(
        "--to", type=int, choices=READABLE_VERSIONS, default=FORMAT_VERSION, help="format version"
    )
    reformat.add_argument(
        "-o", "--output", metavar="FILE", help="write here instead (- for stdout)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = build_parser().parse_args(argv, namespace=_Args())
    handler = _HANDLERS[args.command or "tree"]
    try:
        return handler(args)
    except UnknownKeyError as exc:
        return _fail(str(exc))
    except DatasetError as exc:
        return _fail(str(exc).splitlines()[0])
    except (NatostructError, ValueError) as exc:
        return _fail(str(exc), 2)
    except BrokenPipeError:
        raise  # the reader went away; entrypoint() stops quietly
    except OSError as exc:
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}")


def entrypoint() -> NoReturn:
    """The console script: run :func:`main` and exit with its code, never a traceback."""
    try:
        code = main()
        sys.stdout.flush()
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        # The reader went away (``natostruct tree | head``): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    except Exception as exc:  # noqa: BLE001 (a bug: one line, not a traceback)
        code = _fail(f"internal error: {type(exc).__name__}: {exc}")
    sys.exit(code)


def _fail(message: str, code: int = 1) -> int:
    print(f"{_PROG}: {message}", file=sys.stderr)
    return code


def _dump(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _root() -> Dataset:
    from natostruct import dataset  # noqa: PLC0415 (the package imports this module's siblings)

    return dataset()


# --- the commands ----------------------------------------------------------------------


def _tree(args: _Args) -> int:
    root: Dataset = _root()
    day = args.as_of or today()
    view = root.as_of(day)
    view_day = cast("dt.date", view.date)
    _warn_beyond(view)
    uncertain = view.uncertain()
    below_uncertain: dict[str | None, list[Entity]] = {}
    for entity in uncertain:
        below_uncertain.setdefault(entity.parent_id, []).append(entity)
    unsure = {e.id for e in uncertain}
    unplaced = {e.id for e in view.superior_unknown()}
    # One that may have existed, at the top only because its superior is not
    # shown that day, is listed with those whose superior is not recorded.
    unplaced.update(
        e.id
        for e in below_uncertain.get(None, ())
        if root.get(e.id).parent_id is not None or root.get(e.id).reporting_lines
    )
    tops: tuple[Entity, ...]
    if args.root is not None:
        tops = (view.get(args.root),)
    else:
        # NATO's own bodies first (the NAC on top), then missions, then others.
        tops = tuple(
            sorted(
                (*(e for e in view if e.parent_id is None), *below_uncertain.get(None, ())),
                # Those whose superior is unknown that day come last, under a heading.
                key=lambda e: (
                    e.id in unplaced,
                    e.organization != "NATO",
                    e.kind == "mission",
                    e.id,
                ),
            )
        )
    limit = args.depth

    def node(entity: Entity, depth: int) -> _TreeNode:
        # Doubts come from the whole record: `entity` stands as it is that day.
        doubts = root.get(entity.id).doubts_on(view_day)
        below: tuple[Entity, ...] = ()
        if limit is None or depth < limit:
            shown = () if entity.id in unsure else view.children(entity.id)
            below = tuple(sorted((*shown, *below_uncertain.get(entity.id, ())), key=lambda e: e.id))
        return {
            "id": entity.id,
            "abbreviation": entity.abbreviation,
            "name": entity.name,
            "city": entity.location.city if entity.location else None,
            "certain": entity.id not in unsure,
            "superior_known": depth > 0 or entity.id not in unplaced,
            "doubts": {d.field: list(d.candidates) for d in doubts},
            "children": [node(child, depth + 1) for child in below],
        }

    nodes = [node(top, 0) for top in tops]
    if args.json:
        _dump(nodes)
        return 0

    cut = view.data_as_of
    checked = "" if cut is None else f"; data checked to {cut.isoformat()}"
    legend = "Marked ?: may not have existed that day."

    def doubted(item: _TreeNode) -> bool:
        return bool(item["doubts"]) or any(doubted(child) for child in item["children"])

    if any(doubted(item) for item in nodes):
        legend += " [in doubt: ...]: see `show` for the candidates."
    print(f"As of {view.date}{checked}. {legend}")

    def emit(item: _TreeNode, depth: int) -> None:
        text = label(item["name"], item["abbreviation"])
        if item["city"]:
            text += f" ({item['city']})"
        if not item["certain"]:
            text += " ?"
        if item["doubts"]:
            text += f" [in doubt: {', '.join(_DOUBT_WORDS.get(f, f) for f in item['doubts'])}]"
        print("  " * depth + text)
        for child in item["children"]:
            emit(child, depth + 1)

    heading = False
    for item in nodes:
        if not item["superior_known"] and not heading:
            print("Superior not recorded on this day:")
            heading = True
        emit(item, 1 if heading else 0)
    return 0


def _warn_beyond(view: Dataset) -> None:
    """One line on stderr when a view's day is past the day the data was last checked."""
    cut = view.data_as_of
    if view.beyond_data and cut is not None and view.date is not None:
        print(
            f"{_PROG}: {view.date} is after {cut}, the day the data was last checked;"
            " later changes are not in it",
            file=sys.stderr,
        )


def _show(args: _Args) -> int:
    root = _root()
    ds = root if args.as_of is None else root.as_of(args.as_of)
    _warn_beyond(ds)
    entity = ds.get(args.key)
    chain = ds.chain_of_command(entity)[1:]
    children = ds.children(entity)
    if args.json:
        data = CONVERTER.unstructure(entity)
        data["as_of"] = None if ds.date is None else ds.date.isoformat()
        data["doubts"] = {d.field: list(d.candidates) for d in ds.doubts(entity)}
        data["chain_of_command"] = [e.id for e in chain]
        data["subordinates"] = [e.id for e in children]
        _dump(data)
        return 0
    print(f"{entity.label}  [{entity.id}, {span(ds.date)}]")
    rows: list[tuple[str, str]] = [
        ("kind", entity.kind + (f" ({entity.category})" if entity.category else "")),
        ("organization", entity.organization),
    ]
    for alias in entity.aliases:
        dates = "" if alias.start is None and alias.end is None else f", {alias.period}"
        rows.append(("also", f"{label(alias.name, alias.abbreviation)} ({alias.kind}{dates})"))
    rows.append(("superiors", " > ".join(e.abbreviation or e.name for e in chain) or "none"))
    if children:
        rows.append(("subordinates", ", ".join(_short(e, ds) for e in children)))
    if entity.location is not None:
        rows.append(("HQ", _place(entity.location)))
    rows.extend(("former HQ", _place(place)) for place in entity.former_locations)
    rows.append(("established", str(entity.established or "unknown")))
    if entity.disestablished is not None:
        rows.append(("disestablished", str(entity.disestablished)))
    if entity.website:
        rows.append(("website", entity.website))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    for doubt in ds.doubts(entity):
        print(f"  in doubt that day: {doubt.field}: {' or '.join(doubt.candidates)}")
    if entity.description:
        print(f"\n  {entity.description}")
    for post in entity.posts:
        title = post.title + (f" ({post.abbreviation})" if post.abbreviation else "")
        print(f"\n  {title}{', head' if post.leading else ''}")
        for holder in post.holders:
            who = f"{holder.rank} {holder.name}" if holder.rank else holder.name
            acting = " (acting)" if holder.acting else ""
            print(f"    {holder.period}  {who}{acting}")
        for vacancy in post.vacancies:
            print(f"    {vacancy.period}  vacant, as a source records")
        if not post.holders and not post.vacancies:
            print("    no holder recorded")
    if entity.notes:
        print("\n  notes:")
        for note in entity.notes:
            field = f" {note.field}:" if note.field else ""
            print(f"    [{note.kind}]{field} {note.text}")
    if entity.sources:
        print("\n  sources:")
        for source in entity.sources:
            where = source.url or source.document or ""
            print(f"    - {source.title} ({source.quality}) {where}".rstrip())
    return 0


def _short(entity: Entity, ds: Dataset) -> str:
    text = entity.abbreviation or entity.name
    if ds.date is None and entity.disestablished is not None:
        text += f" (until {entity.disestablished})"
    return text


def _place(location: Location) -> str:
    text = place(location)
    if location.latitude is not None and location.longitude is not None:
        text += f"  ({location.latitude:.4f}, {location.longitude:.4f})"
    if location.start is not None or location.end is not None:
        text += f"  [{location.period}]"
    return text


def _search(args: _Args) -> int:
    found = _root().search(args.text, args.limit)
    if args.json:
        _dump(
            [
                {"id": e.id, "kind": e.kind, "abbreviation": e.abbreviation, "name": e.name}
                for e in found
            ]
        )
        return 0
    for entity in found:
        print(f"{entity.id}  {entity.label}")
    return 0


def _members(args: _Args) -> int:
    view = _root().as_of(args.as_of or today())
    _warn_beyond(view)
    found = view.members()
    if args.json:
        _dump([CONVERTER.unstructure(m) for m in found])
        return 0
    for member in found:
        print(f"{member.accession!s:<10}  {member.country}  {member.name}")
    return 0


def _changes(changes: Sequence[Change], as_json: bool) -> int:
    if as_json:
        _dump([c.to_dict() for c in changes])
        return 0
    for change in changes:
        print(change)
    return 0


def _history(args: _Args) -> int:
    return _changes(_root().history(args.key), args.json)


def _diff(args: _Args) -> int:
    root = _root()
    _warn_beyond(root.as_of(args.date2))
    return _changes(root.diff(args.date1, args.date2), args.json)


def _export(args: _Args) -> int:
    root = _root()
    ds = root if args.as_of is None else root.as_of(args.as_of)
    _warn_beyond(ds)
    text = ds.export(args.format)
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:  # noqa: PTH123
            handle.write(text)
    return 0


def _validate(args: _Args) -> int:
    from natostruct import load  # noqa: PLC0415 (the package imports this module's siblings)

    base = None if args.standalone else _root()
    try:
        ds = load(*args.files, base=base)
    except DatasetError as exc:
        if args.json:
            _dump([p.to_dict() for p in exc.problems])
        else:
            for problem in exc.problems:
                print(problem)
        return 1
    if args.json:
        _dump([])
    else:
        print(f"valid: {', '.join(args.files)} ({len(ds)} entities in all)")
    return 0


def _format(args: _Args) -> int:
    from natostruct import fileformat, loader  # noqa: PLC0415 (cattrs only when a file is read)

    # Read as load() reads: a FIFO, a device or a file over the size limit is
    # a problem printed like the others, not a hang or a MemoryError.
    try:
        data = loader.read_file(args.file)
    except DatasetError as exc:
        return _print_problems(exc.problems)
    placed, table, problems = fileformat.read(args.file, data)
    if problems:
        return _print_problems(problems)
    records = [item.record for item in placed]
    document, _ = fileformat.write(records, version=args.to, keys=table)
    text = fileformat.dumps(document)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    target = args.output or args.file
    with open(target, "w", encoding="utf-8", newline="") as handle:  # noqa: PTH123
        handle.write(text)
    print(f"wrote {target} in format {args.to} ({len(records)} records)")
    return 0


def _print_problems(problems: Sequence[Problem]) -> int:
    for problem in problems:
        print(problem)
    return 1


_HANDLERS: Final[dict[str, Callable[[_Args], int]]] = {
    "tree": _tree,
    "show": _show,
    "search": _search,
    "members": _members,
    "history": _history,
    "diff": _diff,
    "export": _export,
    "validate": _validate,
    "format": _format,
}
