"""The ``natostruct`` command line: a thin argparse front end over the library.

``natostruct`` alone prints the tree of NATO as of today. Every query command
takes ``--json``. Exit codes: 0 done, 1 an unknown key, invalid data or an
output that cannot be written, 2 bad arguments, 130 interrupted, 141 the
reader of stdout went away. Errors are one short line on stderr.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import datetime as dt
import io
import json
import os
import re
import sys
from typing import TYPE_CHECKING, Final, NoReturn, TextIO, cast

import attrs

from natostruct.convert import CONVERTER
from natostruct.dates import PartialDate, today
from natostruct.errors import DatasetError, NatostructError, Problem, UnknownKeyError
from natostruct.export import FORMATS
from natostruct.fileformat import FORMAT_VERSION, READABLE_VERSIONS
from natostruct.model import FAMILIES
from natostruct.text import QUOTE_LIMIT, label, person, place, quote, span
from natostruct.tree import DOUBT_WORDS, count, tree

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from natostruct.changes import Change
    from natostruct.dataset import Dataset
    from natostruct.errors import Problem
    from natostruct.model import Entity, EntityKind, Holder, Location, MemberState, Note, Source
    from natostruct.people import Term
    from natostruct.tree import TreeNode

__all__ = ["build_parser", "entrypoint", "main"]

_PROG: Final = "natostruct"

#: The exit code when the reader of stdout goes away (128 + SIGPIPE, as a shell reports it).
_BROKEN_PIPE: Final = 141

#: What argparse echoes of its arguments: a value it quotes with repr(), or a bare word.
_ECHOED: Final = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+""")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        # argparse quotes a bad argument whole; cut a long one as quote() does.
        message = _ECHOED.sub(_cut_echoed, message)
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _cut_echoed(match: re.Match[str]) -> str:
    text = match[0]
    if len(text) <= QUOTE_LIMIT + 2:  # a quoted value may have its two quotes besides
        return text
    if text[0] in "'\"":
        return f"{text[: QUOTE_LIMIT + 1]}{text[0]}..."
    return f"{text[:QUOTE_LIMIT]}..."


#: The tree's overview (``natostruct`` alone) stops this many levels below the top.
OVERVIEW_DEPTH: Final = 3
#: The families the overview counts in one line instead of listing them, each
#: with its words for one and for several. A committee with nothing under it is
#: counted wherever it stands (the MC is not); the others at the top, with
#: what stands below them.
_COUNTED: Final = {
    "committee": ("committee", "committees"),
    "force structure": ("force structure HQ", "force structure HQs"),
    "centre of excellence": ("centre of excellence", "centres of excellence"),
    "delegation": ("delegation", "delegations"),
    "partner mission": ("partner mission", "partner missions"),
}


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
    kind: str | None = None
    category: str | None = None
    family: str | None = None
    country: str | None = None
    city: str | None = None
    any_site: bool = False
    all: bool = False
    bom: bool = False


def _date(text: str) -> dt.date:
    """A DATE argument: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (its first day), or ``today``."""
    if text.strip().casefold() == "today":
        return today()
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
        msg = f"expected a whole number 0 or more, got {quote(text)}"
        raise argparse.ArgumentTypeError(msg)
    return value


def build_parser() -> argparse.ArgumentParser:  # noqa: PLR0915 (a statement per option)
    """The argument parser of the ``natostruct`` command."""
    parser = _Parser(
        prog=_PROG,
        description="NATO's structure as typed, sourced, dated records.",
        epilog="With no command, prints the tree of NATO as of today. "
        "DATE is YYYY, YYYY-MM, YYYY-MM-DD or today.",
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
    tree.add_argument("--family", metavar="FAMILY", help="only this family (see `list --help`)")
    tree.add_argument(
        "--all", action="store_true", help="the whole tree (default: an overview, in text)"
    )

    show = command(
        "show", "Show one entity in full, or a member state, or the posts a person held."
    )
    show.add_argument(
        "key",
        metavar="KEY",
        help="an id, abbreviation, name or HQ city; a member state; a person's name",
    )
    as_of(show, "the whole history")

    listing = command("list", "List the entities that match every option given, by id.")
    listing.add_argument("--kind", choices=("body", "command", "division", "mission"))
    listing.add_argument("--category", metavar="CATEGORY", help="e.g. 'component command'")
    listing.add_argument("--family", metavar="FAMILY", help=f"one of: {', '.join(FAMILIES)}")
    listing.add_argument("--country", metavar="CODE", help="HQ country, alpha-2 or alpha-3")
    listing.add_argument("--city", metavar="CITY", help="HQ city")
    listing.add_argument(
        "--any-site", action="store_true", help="match --country and --city on any site"
    )
    as_of(listing, "today")

    search = command("search", "Find entities by name, abbreviation or alias.")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--limit", type=_count, default=10, metavar="N", help="default: 10")

    members = command("members", "List the member states, by accession date.")
    as_of(members, "today")

    who = command("who", "Say who held a post on a day.")
    who.add_argument(
        "key",
        metavar="POST",
        help="a post's abbreviation or title, current or former (SACEUR, CMC), "
        "or an entity, meaning its leading post",
    )
    as_of(who, "today")

    history = command("history", "List one entity's changes over time.")
    history.add_argument("key", metavar="KEY")

    diff = command("diff", "List what changed between two days.")
    diff.add_argument("date1", type=_date, metavar="DATE1")
    diff.add_argument("date2", type=_date, metavar="DATE2")

    export = command("export", "Write the data in another format.", query=False)
    export.add_argument("--format", required=True, choices=FORMATS)
    as_of(export, "the whole history")
    export.add_argument(
        "--root", metavar="KEY", help="only this entity and what stands below it, on its own"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    export.add_argument(
        "--bom",
        action="store_true",
        help="start a CSV with a UTF-8 byte order mark, so that Excel reads its accents",
    )

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
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    An error writing stdout is raised, not returned: :func:`entrypoint`
    reports it once the last of the output has been flushed too.
    """
    args = build_parser().parse_args(argv, namespace=_Args())
    handler = _HANDLERS[args.command or "tree"]
    try:
        return handler(args)
    except UnknownKeyError as exc:
        return _fail(str(exc))
    except DatasetError as exc:
        return _fail(str(exc).splitlines()[0])
    except UnicodeEncodeError:
        raise  # stdout lacks a character: an output problem, not a bad argument
    except (NatostructError, ValueError) as exc:
        return _fail(str(exc), 2)
    except OSError as exc:
        # Files are read and written with their names in the message; an
        # error without a file name is stdout's (a closed pipe, a full disk).
        if exc.filename is None:
            raise
        return _fail(f"{_printable(str(exc.filename))}: {_reason(exc)}")


def entrypoint() -> NoReturn:
    """The console script: run :func:`main` and exit with its code, never a traceback."""
    _prepare_streams()
    # Started with stdout closed (`natostruct >&-`), Python sets no sys.stdout.
    code = _fail("standard output is closed") if sys.stdout is None else _run()
    # What a failed stream still holds goes nowhere: Python's own flush at
    # exit would fail on it again, print "Exception ignored" and exit 120.
    for stream in (sys.stdout, sys.stderr):
        _settle(stream)
    sys.exit(code)


def _run() -> int:
    """Run :func:`main` and flush stdout; the exit code, whatever went wrong."""
    try:
        try:
            code = main()
        except SystemExit as exc:  # argparse's own exit: --help, --version, bad arguments
            code = exc.code if isinstance(exc.code, int) else 1
        sys.stdout.flush()  # here, so that a failure to write the last of it is reported
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _BROKEN_PIPE  # the reader went away (`natostruct tree | head`): stop quietly
    except OSError as exc:
        return _fail(f"cannot write standard output: {_reason(exc)}")
    except Exception as exc:  # noqa: BLE001 (a bug: one line, not a traceback)
        return _fail(f"internal error: {type(exc).__name__}: {exc}")
    return code


def _prepare_streams() -> None:
    """Let stdout and stderr take any text, whatever their encoding; buffer stdout."""
    # An encoding without a character (ASCII, cp1252) writes "?" for it on
    # stdout instead of failing halfway through; stderr writes Python's
    # escapes (\u0130), so that an error message still names the character.
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=errors)
    if isinstance(sys.stdout, io.TextIOWrapper) and type(sys.stdout.buffer) is io.FileIO:
        sys.stdout = _line_buffered(sys.stdout)


def _line_buffered(stream: io.TextIOWrapper) -> io.TextIOWrapper:
    """A line-buffered text stream on the file descriptor of the unbuffered ``stream``."""
    # Unbuffered (`python -u`, PYTHONUNBUFFERED), the text layer writes to the
    # file itself and drops, with no error, what a write cut short leaves
    # over (a pipe whose reader left, a full disk): the output would end early
    # with exit code 0. A buffer finishes each write or raises; flushed at
    # each line, the output still goes out as it is printed.
    raw = open(stream.fileno(), "wb", closefd=False)  # noqa: SIM115 (stdout stays open)
    # Python's own stdout writes "\n" as is, except on Windows.
    newline = None if os.name == "nt" else "\n"
    return io.TextIOWrapper(raw, stream.encoding, stream.errors, newline, line_buffering=True)


def _settle(stream: TextIO | None) -> None:
    """Flush ``stream``; if it cannot be written, point it at os.devnull."""
    if stream is None:
        return
    try:
        stream.flush()
    except OSError:
        try:
            fd = stream.fileno()
        except (OSError, ValueError):
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def _fail(message: str, code: int = 1) -> int:
    """Say ``message`` on stderr; return ``code``."""
    _say(message)
    return code


def _say(message: str) -> None:
    """Write ``natostruct: message`` as one line on stderr, if stderr can be written."""
    stream = sys.stderr
    # With stderr closed print() would fall back to stdout: say nothing instead.
    if stream is not None:
        # A stderr that fails cannot be told so either; the exit code still tells.
        with contextlib.suppress(OSError):
            print(f"{_PROG}: {message}", file=stream, flush=True)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _printable(text: str) -> str:
    r"""``text`` with its lone surrogates as escapes: ``bad\xff.json`` for ``bad\udcff.json``.

    A file name that is not valid UTF-8 comes in as a str holding lone
    surrogates (:func:`os.fsdecode`), which no encoder writes; shown this way
    the name is valid text, as Python's own repr() shows the bytes.
    """
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte of the name
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _shown(problem: Problem) -> Problem:
    """``problem`` with its lone surrogates escaped (see :func:`_printable`), to be printed."""
    return attrs.evolve(
        problem,
        file=_printable(problem.file),
        record=None if problem.record is None else _printable(problem.record),
        field=None if problem.field is None else _printable(problem.field),
        reason=_printable(problem.reason),
    )


def _dump(data: object) -> None:
    # Where stdout's encoding lacks characters, \uXXXX escapes keep the JSON exact.
    print(json.dumps(data, ensure_ascii=not _unicode(sys.stdout), indent=2))


def _unicode(stream: TextIO) -> bool:
    """Whether ``stream`` takes every character (no encoding at all, or a UTF)."""
    encoding: str | None = getattr(stream, "encoding", None)
    return encoding is None or codecs.lookup(encoding).name.startswith("utf")


def _write(path: str, text: str) -> bool:
    """Write ``text`` to the file ``path`` as UTF-8; if that fails, say so and return False."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:  # noqa: PTH123
            handle.write(text)
    except OSError as exc:
        # A failed write or close (a full disk) carries no file name: name it here.
        _fail(f"cannot write {_printable(path)}: {_reason(exc)}")
        return False
    return True


def _root() -> Dataset:
    from natostruct import dataset  # noqa: PLC0415 (the package imports this module's siblings)

    return dataset()


# --- the commands ----------------------------------------------------------------------


def _tree(args: _Args) -> int:
    root: Dataset = _root()
    view = root.as_of(args.as_of or today())
    _warn_beyond(view)
    nodes = tree(view, root=args.root, family=args.family, depth=args.depth)
    if args.json:
        _dump(nodes)
        return 0

    cut = view.data_as_of
    checked = "" if cut is None else f"; data checked to {cut.isoformat()}"
    legend = "Marked ?: may not have existed that day."

    def doubted(item: TreeNode) -> bool:
        return bool(item["doubts"]) or any(doubted(child) for child in item["children"])

    if any(doubted(item) for item in nodes):
        legend += " [in doubt: ...]: see `show` for the candidates."
    print(f"As of {view.date}{checked}. {legend}")

    overview = args.root is None and args.depth is None and args.family is None and not args.all
    _emit_tree(nodes, overview=overview)
    return 0


def _warn_beyond(view: Dataset) -> None:
    """One line on stderr when a view's day is past the day the data was last checked."""
    cut = view.data_as_of
    if view.beyond_data and cut is not None and view.date is not None:
        _say(
            f"{view.date} is after {cut}, the day the data was last checked;"
            " later changes are not in it"
        )


def _emit_tree(nodes: list[TreeNode], *, overview: bool) -> None:
    """Print the tree; the overview stops at :data:`OVERVIEW_DEPTH` and counts some families."""

    def emit(item: TreeNode, depth: int, level: int) -> None:
        text = label(item["name"], item["abbreviation"])
        if item["city"]:
            text += f" ({item['city']})"
        if not item["certain"]:
            text += " ?"
        if item["doubts"]:
            text += f" [in doubt: {', '.join(DOUBT_WORDS.get(f, f) for f in item['doubts'])}]"
        children = item["children"]
        if overview and level >= OVERVIEW_DEPTH and children:
            text += f" (+{count(children)} below)"
            children = []
        print("  " * depth + text)
        emit_all(children, depth + 1, level + 1)

    def emit_all(items: list[TreeNode], depth: int, level: int) -> None:
        counted: dict[str, int] = {}
        for item in items:
            family = item["family"]
            leaf_committee = family == "committee" and not item["children"]
            if overview and family in _COUNTED and (level == 0 or leaf_committee):
                counted[family] = counted.get(family, 0) + 1 + count(item["children"])
                continue
            emit(item, depth, level)
        for family, number in counted.items():
            one, several = _COUNTED[family]
            line = (
                f"{number} {one if number == 1 else several}: natostruct list --family '{family}'"
            )
            print("  " * depth + line)

    emit_all([item for item in nodes if item["superior_known"]], 0, 0)
    unplaced = [item for item in nodes if not item["superior_known"]]
    if unplaced:
        print("Superior not recorded on this day:")
    for item in unplaced:
        emit(item, 1, 1)
    if overview:
        print("The whole tree: natostruct tree --all")


def _entity_rows(
    entity: Entity, ds: Dataset, chain: Sequence[Entity], children: Sequence[Entity]
) -> list[tuple[str, str]]:
    """The labelled lines of `show`: kind, names, superiors, seats, nations, dates."""
    rows: list[tuple[str, str]] = [
        ("kind", entity.kind + (f" ({entity.category})" if entity.category else "")),
        ("family", entity.family or "not given"),
        ("organization", entity.organization),
    ]
    for alias in entity.aliases:
        dates = "" if alias.start is None and alias.end is None else f", {alias.period}"
        language = f", {alias.language}" if alias.language else ""
        rows.append(
            ("also", f"{label(alias.name, alias.abbreviation)} ({alias.kind}{language}{dates})")
        )
    rows.append(("superiors", " > ".join(e.abbreviation or e.name for e in chain) or "none"))
    if children:
        rows.append(("subordinates", ", ".join(_short(e, ds) for e in children)))
    if entity.location is not None:
        rows.append(("HQ", _place(entity.location)))
    rows.extend(("former HQ", _place(place)) for place in entity.former_locations)
    rows.extend(("other site", _place(place)) for place in entity.other_sites)
    if entity.framework_nations:
        nations = (
            n.country + ("" if n.start is None and n.end is None else f" [{n.period}]")
            for n in entity.framework_nations
        )
        rows.append(("framework nations", ", ".join(nations)))
    if entity.accredited is not None:
        rows.append(("accredited", str(entity.accredited.date)))
    rows.append(("established", str(entity.established or "unknown")))
    if entity.established is None and entity.attested is not None:
        bound = entity.attested
        earliest = "" if bound.earliest is None else f", not before {bound.earliest}"
        rows.append(("existed by", f"{bound.date}{earliest}"))
    if entity.disestablished is not None:
        rows.append(("disestablished", str(entity.disestablished)))
    elif entity.last_attested is not None:
        last = entity.last_attested
        latest = "" if last.latest is None else f", gone by {last.latest}"
        rows.append(("last known", f"{last.date}{latest}"))
    if entity.website:
        rows.append(("website", entity.website))
    return rows


def _show(args: _Args) -> int:
    root = _root()
    ds = root if args.as_of is None else root.as_of(args.as_of)
    _warn_beyond(ds)
    try:
        entity = ds.get(args.key)
    except UnknownKeyError as exc:
        # An entity key wins; then a member state; then a person's name.
        if exc.ambiguous:
            raise
        with contextlib.suppress(UnknownKeyError):
            return _show_member(ds.member(args.key), ds, as_json=args.json)
        found = ds.terms(args.key)
        if not found:
            raise
        return _show_terms(found, as_json=args.json)
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
    rows = _entity_rows(entity, ds, chain, children)
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
            acting = " (acting)" if holder.acting else ""
            print(f"    {holder.period}  {person(holder.name, holder.rank)}{acting}")
        for vacancy in post.vacancies:
            print(f"    {vacancy.period}  vacant, as a source records")
        if not post.holders and not post.vacancies:
            print("    no holder recorded")
    _print_notes_and_sources(entity.notes, entity.sources)
    return 0


def _show_member(member: MemberState, ds: Dataset, *, as_json: bool) -> int:
    delegations = [
        e for e in ds.filter(kind="mission") if getattr(e, "sending_state", None) == member.country
    ]
    if as_json:
        data = CONVERTER.unstructure(member)
        data["missions"] = [e.id for e in delegations]
        _dump(data)
        return 0
    print(f"{member.name}  [{member.country}, member state]")
    rows = [("accession", str(member.accession))]
    if member.signature is not None:
        rows.append(("signature", str(member.signature)))
    rows.extend(("outside integrated command", str(p)) for p in member.outside_integrated_command)
    rows.extend(("mission", f"{e.label} [{e.id}]") for e in delegations)
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    _print_notes_and_sources(member.notes, member.sources)
    return 0


def _show_terms(found: Sequence[Term], *, as_json: bool) -> int:
    if as_json:
        _dump(
            [
                {
                    "name": t.name,
                    "post": t.post,
                    "entity_id": t.entity_id,
                    "start": None if t.start is None else str(t.start),
                    "end": None if t.end is None else str(t.end),
                    "acting": t.acting,
                }
                for t in found
            ]
        )
        return 0
    for term in found:
        print(f"{term}  [{term.entity_id}]")
    return 0


def _print_notes_and_sources(notes: Sequence[Note], sources: Sequence[Source]) -> None:
    if notes:
        print("\n  notes:")
        for note in notes:
            field = f" {note.field}:" if note.field else ""
            print(f"    [{note.kind}]{field} {note.text}")
    if sources:
        print("\n  sources:")
        for source in sources:
            where = source.url or source.document or ""
            print(f"    - {source.title} ({source.quality}) {where}".rstrip())


def _short(entity: Entity, ds: Dataset) -> str:
    text = entity.abbreviation or entity.name
    if ds.date is None and entity.disestablished is not None:
        text += f" (until {entity.disestablished})"
    elif ds.date is None and entity.last_attested is not None:
        text += f" (last known {entity.last_attested.date})"
    return text


def _place(location: Location) -> str:
    text = place(location)
    if location.latitude is not None and location.longitude is not None:
        text += f"  ({location.latitude:.4f}, {location.longitude:.4f})"
    if location.start is not None or location.end is not None:
        text += f"  [{location.period}]"
    return text


def _search(args: _Args) -> int:
    root = _root()
    found = root.search(args.text, args.limit)
    member = None
    if root.get(args.text, None) is None:
        # No entity answers to the text as a key: a member state may
        # (`natostruct search Iceland`); an entity key wins (`IS`).
        with contextlib.suppress(UnknownKeyError):
            member = root.member(args.text)
    if args.json:
        rows: list[dict[str, str | None]] = []
        if member is not None:
            rows.append({"member_state": member.country, "name": member.name})
        rows.extend(
            {"id": e.id, "kind": e.kind, "abbreviation": e.abbreviation, "name": e.name}
            for e in found
        )
        _dump(rows)
        return 0
    if member is not None:
        print(f"{member.country}  {member.name} (member state since {member.accession})")
    for entity in found:
        print(f"{entity.id}  {entity.label}")
    return 0


def _list(args: _Args) -> int:
    view = _root().as_of(args.as_of or today())
    _warn_beyond(view)
    found = view.filter(
        kind=cast("EntityKind | None", args.kind),
        category=args.category,
        family=args.family,
        country=args.country,
        city=args.city,
        any_site=args.any_site,
    )
    if args.json:
        _dump(
            [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "family": e.family,
                    "category": e.category,
                    "abbreviation": e.abbreviation,
                    "name": e.name,
                    "city": e.location.city if e.location else None,
                    "country": e.location.country if e.location else None,
                }
                for e in found
            ]
        )
        return 0
    for entity in found:
        where = "" if entity.location is None else f"  ({place(entity.location)})"
        print(f"{entity.id}  {entity.label}{where}")
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


def _term(holder: Holder) -> str:
    acting = ", acting" if holder.acting else ""
    return f"{person(holder.name, holder.rank)} ({holder.period}{acting})"


def _who(args: _Args) -> int:
    root = _root()
    answer = root.who(args.key, args.as_of or today())
    _warn_beyond(root.as_of(answer.day))
    if args.json:
        _dump(
            {
                "date": answer.day.isoformat(),
                "entity_id": answer.entity_id,
                "entity": answer.entity,
                "post": answer.title,
                "abbreviation": answer.abbreviation,
                "status": answer.status,
                "holders": [_holder_json(h) for h in answer.holders],
                "candidates": [_holder_json(h) for h in answer.candidates],
            }
        )
        return 0
    name = answer.abbreviation or answer.title
    head = f"{name} ({answer.entity}) on {answer.day.isoformat()}"
    if answer.status == "held":
        print(f"{head}: {'; '.join(map(_term, answer.holders))}")
    elif answer.status == "in doubt":
        print(f"{head}: in doubt, one of {'; '.join(map(_term, answer.candidates))}")
    else:
        print(f"{head}: {answer.status}")
    return 0


def _holder_json(holder: Holder) -> dict[str, object]:
    return {
        "name": holder.name,
        "rank": holder.rank,
        "start": None if holder.start is None else str(holder.start),
        "end": None if holder.end is None else str(holder.end),
        "acting": holder.acting,
    }


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
    if args.root is not None:
        ds = ds.subset(args.root)
    if args.bom and args.format != "csv":
        return _fail("--bom is for --format csv", 2)
    text = ds.export(args.format)
    if args.bom:
        text = "\ufeff" + text
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
        return 0
    return 0 if _write(args.output, text) else 1


def _validate(args: _Args) -> int:
    from natostruct import load  # noqa: PLC0415 (the package imports this module's siblings)

    base = None if args.standalone else _root()
    try:
        ds = load(*args.files, base=base)
    except DatasetError as exc:
        problems = [_shown(p) for p in exc.problems]
        if args.json:
            _dump([p.to_dict() for p in problems])
        else:
            for problem in problems:
                print(problem)
        return 1
    if args.json:
        _dump([])
    else:
        files = ", ".join(map(_printable, args.files))
        print(f"valid: {files} ({len(ds)} entities in all)")
        # What the files do to the bundled records they replace, so that a
        # record that forgets a field does not drop it unnoticed.
        for replaced in ds.replaced:
            print(_printable(str(replaced)))
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
    if not _write(target, text):
        return 1
    print(f"wrote {_printable(target)} in format {args.to} ({len(records)} records)")
    return 0


def _print_problems(problems: Sequence[Problem]) -> int:
    for problem in problems:
        print(_shown(problem))  # a file name need not be valid UTF-8
    return 1


_HANDLERS: Final[dict[str, Callable[[_Args], int]]] = {
    "tree": _tree,
    "show": _show,
    "search": _search,
    "list": _list,
    "members": _members,
    "who": _who,
    "history": _history,
    "diff": _diff,
    "export": _export,
    "validate": _validate,
    "format": _format,
}
