"""Posts by name, and who held one on a day (``Dataset.who`` and ``natostruct who``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import natostruct
from natostruct import cli
from natostruct.dates import Holds
from natostruct.errors import AmbiguousKeyError, UnknownKeyError
from natostruct.posts import STATUSES

DS = natostruct.dataset()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestFindPost:
    @pytest.mark.parametrize(
        ("key", "entity", "title"),
        [
            ("SACEUR", "aco", "Supreme Allied Commander Europe"),
            ("saceur", "aco", "Supreme Allied Commander Europe"),
            ("CMC", "mc", "Chair of the Military Committee"),
            # a former title, and an entity key meaning its leading post
            ("Chairman of the Military Committee", "mc", "Chair of the Military Committee"),
            ("ims", "ims", "Director General of the International Military Staff"),
            ("Allied Command Atlantic", "saclant", "Supreme Allied Commander Atlantic"),
        ],
    )
    def test_names(self, key: str, entity: str, title: str) -> None:
        found, post = DS.post(key)
        assert (found.id, post.title) == (entity, title)

    def test_a_view_finds_former_posts(self) -> None:
        found, _ = DS.as_of("2020-01-01").post("SACLANT")
        assert found.id == "saclant"

    def test_unknown_post(self) -> None:
        with pytest.raises(UnknownKeyError, match="no post 'SACUER'; did you mean SACEUR"):
            DS.post("SACUER")

    def test_shared_title_is_ambiguous(self) -> None:
        with pytest.raises(AmbiguousKeyError) as caught:
            DS.post("Commander")
        assert len(caught.value.candidates) > 1


class TestWho:
    def test_every_answer_agrees_with_the_post(self) -> None:
        """On the first day of each year, who says what the post's own rules say."""
        offenders = []
        for key in ("SACEUR", "SACLANT", "CMC", "SG", "DGIMS", "CINCHAN"):
            entity, post = DS.post(key)
            for year in range(1950, 2027):
                day = dt.date(year, 1, 1)
                answer = DS.who(key, day)
                expected = post.holders_on(day)
                if answer.holders != expected or answer.day != day:
                    offenders.append(f"{key} {day}: {answer.holders} != {expected}")
                if answer.status == "held" and entity.exists_on(day) is Holds.NOT:
                    offenders.append(f"{key} {day}: held before or after the entity")
        assert offenders == []

    def test_statuses(self) -> None:
        assert DS.who("SACEUR", "1989-11-09").status == "held"
        assert DS.who("SACLANT", "2010").status == "not in existence"
        statuses = {
            DS.who(key, year).status for key in ("CMC", "SG", "DCMC") for year in range(1949, 2027)
        }
        assert statuses <= set(STATUSES)
        assert {"held", "in doubt", "not recorded"} <= statuses

    def test_an_entity_that_may_not_have_existed(self) -> None:
        """A post of an entity that only may have existed that day, with no holder named, says so."""
        entity, post = DS.post("jisd")
        day = "2017-06-01"
        assert entity.exists_on(dt.date(2017, 6, 1)) is Holds.MAYBE
        assert post.holders_on(dt.date(2017, 6, 1)) == ()
        assert DS.who("jisd", day).status == "may not have existed"

    def test_not_a_string(self) -> None:
        with pytest.raises(TypeError, match="as str, got NoneType"):
            DS.who(None)  # type: ignore[arg-type]

    def test_an_entity_without_a_leading_post(self) -> None:
        headless = next(e for e in DS if e.head is None)
        with pytest.raises(UnknownKeyError, match="has no leading post"):
            DS.post(headless.id)

    def test_a_year_as_an_int(self) -> None:
        assert DS.who("SACEUR", 1990).day == dt.date(1990, 1, 1)
        assert DS.as_of(1990) == DS.as_of("1990-01-01")
        with pytest.raises(TypeError):
            DS.as_of(True)

    def test_default_day(self) -> None:
        assert DS.as_of("1990-05-05").who("SACEUR").day == dt.date(1990, 5, 5)


class TestCommand:
    def test_galvin(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "who", "SACEUR", "--as-of", "1989-11-09")
        assert code == 0
        assert "John Galvin" in out

    def test_in_doubt_lists_the_candidates(self, capsys: pytest.CaptureFixture[str]) -> None:
        answer = DS.who("CMC", "1960-06-01")
        assert answer.status == "in doubt"
        code, out, _ = run(capsys, "who", "CMC", "--as-of", "1960-06-01")
        assert code == 0
        assert "in doubt" in out
        assert all(h.name in out for h in answer.candidates)

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "who", "DGIMS", "--as-of", "2020-01-01", "--json")
        data = json.loads(out)
        assert code == 0
        assert data["status"] == "held"
        assert data["holders"][0]["name"] == DS.who("DGIMS", "2020-01-01").holders[0].name

    def test_today(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "who", "SG", "--as-of", "today", "--json")
        assert code == 0
        assert json.loads(out)["date"] == dt.date.today().isoformat()

    def test_unknown_post_exits_1(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(capsys, "who", "no-such-post")
        assert (code, out) == (1, "")
        assert err.startswith("natostruct: no post")
