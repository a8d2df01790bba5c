"""The who-said-what matrix: derived from the quotes alone, shifts and empty cells included."""

from __future__ import annotations

import datetime as dt

from onrecord.builder import pipeline
from onrecord.stories.config import DEFAULT_STANCES
from onrecord.stories.model import Actor, Quote, Story, Topic
from onrecord.views import matrix
from tests.conftest import VALID_STORY

STANCE = {s.id: s for s in DEFAULT_STANCES}
KREMLIN = Actor("peskov", "Dmitri Peskov", "Kremlin spokesperson", "Russian government")
MINISTRY = Actor("zakharova", "Maria Zakharova", "Foreign ministry", "Russian government")
WASHINGTON = Actor("us", "US government", "", "United States")
SILENT = Actor("tass", "Tass", "State news agency", "Russian media")
BLAME = Topic("is-responsible", "Islamic State carried out the attack")
HELP = Topic("western-help", "Russia accepts western help")


def quote(n: int, actor: Actor, topic: Topic, stance: str, day: int) -> Quote:
    return Quote(f"q{n}", actor, dt.date(2024, 3, day), topic, STANCE[stance], f"Said {n}.")


def story() -> Story:
    quotes = (  # in date order, as the loader hands them over
        quote(1, WASHINGTON, BLAME, "supports", 7),
        quote(2, MINISTRY, BLAME, "questions", 23),
        quote(3, MINISTRY, BLAME, "disputes", 24),
        quote(4, MINISTRY, BLAME, "disputes", 25),
        quote(6, KREMLIN, HELP, "disputes", 25),
        quote(5, MINISTRY, BLAME, "questions", 26),
    )
    return Story("s", "content/s.md", "T", "", dt.date(2024, 3, 26),
                 (KREMLIN, MINISTRY, WASHINGTON, SILENT), (BLAME, HELP), quotes)


def cell(view: matrix.Matrix, actor: Actor, topic: Topic) -> matrix.Cell:
    row = next(r for r in view.rows if r.actor == actor)
    return row.cells[view.topics.index(topic)]


def test_rows_are_grouped_by_actor_group_in_story_order():
    view = matrix.for_story(story())
    assert [g.name for g in view.groups] == ["Russian government", "United States",
                                             "Russian media"]
    assert [r.actor.id for r in view.groups[0].rows] == ["peskov", "zakharova"]
    assert view.grouped


def test_cell_holds_every_quote_in_date_order_and_the_latest_stance():
    view = matrix.for_story(story())
    zakharova = cell(view, MINISTRY, BLAME)
    assert [q.id for q in zakharova.quotes] == ["q2", "q3", "q4", "q5"]
    assert zakharova.latest.id == "q5"
    assert zakharova.stance.id == "questions"
    assert [s.id for s in zakharova.stances] == ["questions", "disputes"]


def test_each_change_of_stance_is_a_shift_with_both_dates():
    shifts = cell(matrix.for_story(story()), MINISTRY, BLAME).shifts
    assert [(s.before.id, s.before_date.day, s.after.id, s.after_date.day) for s in shifts] == [
        ("questions", 23, "disputes", 24), ("disputes", 25, "questions", 26)]
    assert cell(matrix.for_story(story()), WASHINGTON, BLAME).shifts == ()


def test_a_speaker_with_nothing_on_a_claim_gets_an_empty_cell():
    view = matrix.for_story(story())
    empty = cell(view, SILENT, HELP)
    assert empty.quotes == () and empty.stance is None and empty.latest is None
    assert all(not c.quotes for c in next(r for r in view.rows if r.actor == SILENT).cells)


def test_summary_sentence_is_generated_from_the_data():
    summary = matrix.for_story(story()).summary
    assert summary.startswith(
        "6 statements by 3 speakers on 2 claims, between 7 and 26 March 2024.")
    assert ("Maria Zakharova questions (shifted from questions on 23 March 2024, then disputes "
            "on 25 March 2024)") in summary
    assert "On “Russia accepts western help”: Dmitri Peskov disputes." in summary


def test_rendered_matrix_marks_shifts_empty_cells_and_table_semantics(project):
    shifted = VALID_STORY.replace("""  - actor: us
    date: 2024-03-23""", """  - actor: peskov
    date: 2024-03-26
    topic: is-responsible
    stance: disputes
    text: That is not the case.
  - actor: us
    date: 2024-03-23""").replace(
        "topics:\n", "topics:\n  court: The suspects are being prosecuted\n")
    plan = pipeline.plan(project({"content/a.md": shifted}))
    html = plan.outputs["a/index.html"].decode()
    table = html[html.index('<table class="matrix-table"'):html.index("</table>")]
    assert "<caption" in table and 'scope="col"' in table and 'scope="row"' in table
    assert 'scope="rowgroup"' in table  # group headers: Russian government, United States
    assert table.count("No statement on record") == 2  # nobody spoke on the court case
    shift = table[table.index('class="shift"'):]
    assert "Declines to comment" in shift[:300] and "Disputes" in shift[:400]
    assert "25 March 2024" in shift[:400] and "26 March 2024" in shift[:400]
    assert table.count("<details>") == 2 and table.count("<summary>") == 2  # keyboard: summary
