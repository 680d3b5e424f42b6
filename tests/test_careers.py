"""Careers (issue 24), worked by hand on a small file over three years.

The school S has two departments, A and B. Nine people (K woman, M man), 2023-2025:

    person  2023                        2024                        2025
    P1 K    A lektor, permanent         A lektor, permanent         A professor, permanent      <- the promotion
    P2 M    A professor, permanent      A professor, permanent      (gone)                      <- a leaver 2025
    P3 K    A forskare, fixed-term      A forskare, permanent       A forskare, permanent       <- fixed-term to permanent
    P4 M    B lektor, permanent         A lektor, permanent         A lektor, permanent         <- the move B -> A
    P5 K    B doktorand, fixed-term     (gone)                                                  <- a leaver 2024
    P6 M                                A postdoktor, fixed-term    A postdoktor, fixed-term    <- an entrant 2024
    P7 K                                                            B doktorand, fixed-term     <- an entrant 2025
    P8 K                                                            A gästprofessor, fixed-term <- a visiting professor
    P9 M                                                            A adjungerad professor      <- an adjunct: no new professor

Exact figures (the exact tier sees every figure) unless a test says protected.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers import cli_main, load, row
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.store import database
from indicators.subgoals import benchmarks, careers

registry.load_all()
ROOT = Path(__file__).resolve().parents[1]

PEOPLE = [
    (2023, "P1", "A", "Universitetslektor", "K", "permanent"),
    (2023, "P2", "A", "Professor", "M", "permanent"),
    (2023, "P3", "A", "Forskare", "K", "temporary"),
    (2023, "P4", "B", "Universitetslektor", "M", "permanent"),
    (2023, "P5", "B", "Doktorand", "K", "temporary"),
    (2024, "P1", "A", "Universitetslektor", "K", "permanent"),
    (2024, "P2", "A", "Professor", "M", "permanent"),
    (2024, "P3", "A", "Forskare", "K", "permanent"),
    (2024, "P4", "A", "Universitetslektor", "M", "permanent"),
    (2024, "P6", "A", "Postdoktor", "M", "temporary"),
    (2025, "P1", "A", "Professor", "K", "permanent"),
    (2025, "P3", "A", "Forskare", "K", "permanent"),
    (2025, "P4", "A", "Universitetslektor", "M", "permanent"),
    (2025, "P6", "A", "Postdoktor", "M", "temporary"),
    (2025, "P7", "B", "Doktorand", "K", "temporary"),
    (2025, "P8", "A", "Gästprofessor", "K", "temporary"),
    (2025, "P9", "A", "Adjungerad professor", "M", "temporary"),
]


def people() -> pd.DataFrame:
    df = pd.DataFrame(PEOPLE, columns=["year", "person_id", "unit", "position", "gender", "employment_type"])
    df["parent_unit"] = "S"
    return df


@pytest.fixture
def con(db):
    load(db, "staff", people())
    return db


def exact(con, indicator: str, **filters) -> pd.DataFrame:
    return registry.compute(con, indicator, Filters(**filters), exact=True)


def stayed(df: pd.DataFrame, year: int, position: str) -> tuple[int, int]:
    """Those who stayed, by the identity start = stayed + the out-flows (published figures leave `stayed`
    out; the exact ones also give it as a row, which must agree)."""
    start, outs = (
        flow(df, year, position, "start"),
        [flow(df, year, position, o) for o in careers.OUT_FLOWS if o != "start"],
    )
    by_identity = tuple(start[i] - sum(o[i] for o in outs) for i in (0, 1))
    assert by_identity == flow(df, year, position, "stayed")
    return by_identity


def flow(df: pd.DataFrame, year: int, position: str, name: str) -> tuple[int, int]:
    r = row(df, year=year, position=position, flow=name)
    return int(r["women"]), int(r["men"])


def test_the_flows_of_a_department_add_up_by_hand(con):
    df = exact(con, "career_flows", unit="A", year=2025)
    # 2023 has no year before it: flows begin in 2024
    assert sorted(df["year"].unique()) == [2024, 2025]
    # A, 2024, all positions. start = A in 2023: P1 (K), P2 (M), P3 (K) -> 2 women, 1 man.
    # end = A in 2024: P1, P2, P3, P4, P6 -> 2 women, 3 men.
    # entrants: P6 (M, nowhere in 2023); moved_in: P4 (M, in B in 2023); stayed: P1, P2, P3 (same position;
    # P3's contract changed, which is no change of position when every employment type is chosen).
    assert flow(df, 2024, "all", "start") == (2, 1)
    assert flow(df, 2024, "all", "end") == (2, 3)
    assert flow(df, 2024, "all", "entrants") == (0, 1)
    assert flow(df, 2024, "all", "moved_in") == (0, 1)
    assert stayed(df, 2024, "all") == (2, 1)
    assert flow(df, 2024, "all", "leavers") == (0, 0)
    assert flow(df, 2024, "all", "to_permanent") == (1, 0)  # P3: fixed-term 2023, permanent 2024
    # end = stayed + entrants + moved_in + promoted_in + changed_in: 5 = 3 + 1 + 1 + 0 + 0
    # A, 2025: start = end of 2024 (2 W, 3 M); end = P1, P3, P4, P6, P8, P9 -> 3 W (P1, P3, P8), 3 M (P4, P6, P9).
    assert flow(df, 2025, "all", "start") == (2, 3)
    assert flow(df, 2025, "all", "end") == (3, 3)
    # P1 lektor -> professor in A: a promotion, counted into professor and out of lektor, and once in 'all'.
    assert flow(df, 2025, "all", "promoted_in") == (1, 0)
    assert flow(df, 2025, "all", "promoted_out") == (1, 0)
    assert flow(df, 2025, "professor", "promoted_in") == (1, 0)
    assert flow(df, 2025, "associate_professor", "promoted_out") == (1, 0)
    assert stayed(df, 2025, "associate_professor") == (0, 1)  # P4
    # P2 left the organisation; P8 and P9 are new to it.
    assert flow(df, 2025, "all", "leavers") == (0, 1)
    assert flow(df, 2025, "professor", "leavers") == (0, 1)
    assert flow(df, 2025, "all", "entrants") == (1, 1)
    assert stayed(df, 2025, "all") == (1, 2)  # P3; P4, P6
    # start 5 = stayed 3 + promoted_out 1 + leavers 1; end 6 = stayed 3 + promoted_in 1 + entrants 2
    # Rates: the exit rate of men 2025 is leavers / start = 1 / 3; the entry rate of women 1 / 3.
    r = row(df, year=2025, position="all", flow="leavers")
    assert r["rate_men"] == pytest.approx(1 / 3) and r["rate_women"] == 0
    assert row(df, year=2025, position="all", flow="entrants")["rate_women"] == pytest.approx(1 / 3)


def test_a_move_between_departments_is_no_move_for_their_school(con):
    # B, 2024: start P4 (M), P5 (K); P4 moved to A, P5 left; nobody at the end.
    b = exact(con, "career_flows", unit="B", year=2024)
    assert flow(b, 2024, "all", "moved_out") == (0, 1)
    assert flow(b, 2024, "all", "leavers") == (1, 0)
    assert flow(b, 2024, "all", "end") == (0, 0)
    # S, 2024: P4 stayed in the school (and in his position): a stayer, no move in or out.
    s = exact(con, "career_flows", unit="S", year=2024)
    assert flow(s, 2024, "all", "start") == (3, 2)  # P1, P3, P5; P2, P4
    assert stayed(s, 2024, "all") == (2, 2)  # P1, P3; P2, P4
    assert flow(s, 2024, "all", "moved_in") == flow(s, 2024, "all", "moved_out") == (0, 0)
    assert flow(s, 2024, "all", "leavers") == (1, 0) and flow(s, 2024, "all", "entrants") == (0, 1)


def test_the_employment_type_makes_a_new_contract_a_change(con):
    # Fixed-term staff of A only: P3's permanent contract in 2024 takes her out of the group (changed_out),
    # P6 enters it. start 2024 = P3 (K); end 2024 = P6 (M).
    df = exact(con, "career_flows", unit="A", year=2024, employment_type="temporary")
    assert flow(df, 2024, "all", "start") == (1, 0)
    assert flow(df, 2024, "all", "changed_out") == (1, 0)
    assert flow(df, 2024, "all", "end") == (0, 1) and flow(df, 2024, "all", "entrants") == (0, 1)


def test_the_transition_matrix_of_2025(con):
    df = exact(con, "career_transitions", unit="A", year=2025)
    links = {(r.from_position, r.to_position): (r.women, r.men) for r in df.itertuples()}
    assert links == {
        ("associate_professor", "professor"): (1, 0),  # P1
        ("associate_professor", "associate_professor"): (0, 1),  # P4
        ("professor", "leaver"): (0, 1),  # P2
        ("researcher", "researcher"): (1, 0),  # P3
        ("postdoc", "postdoc"): (0, 1),  # P6
        ("entrant", "professor"): (1, 1),  # P8 visiting, P9 adjunct: both new to the organisation
    }
    # 2024: P4 came from another unit (B)
    df = exact(con, "career_transitions", unit="A", year=2024)
    assert row(df, from_position="other_unit", to_position="associate_professor")["men"] == 1


def test_new_professors_count_the_promoted_and_the_visiting_not_the_adjunct(con):
    df = exact(con, "new_professors", unit="A", year=2025, year_from=2024, year_to=2025)
    # 2025: P1 (promoted, K) and P8 (visiting, K); P9's adjunct title is excluded (data/careers.toml).
    now = row(df, year=2025)
    assert (now["women"], now["men"]) == (2, 0) and now["share_women"] == 1.0
    # 2024: none (P4 came as a lektor). The period 2024-2025: 2 women of 2.
    assert (row(df, year=2024)["women"], row(df, year=2024)["men"]) == (0, 0)
    assert (now["women_period"], now["men_period"], now["share_women_period"]) == (2, 0, 1.0)
    # the target: goals.toml [careers] new_professor_target = 0.5, met (1.0 >= 0.5)
    assert now["target"] == 0.5 and now["target_source"] == "goals" and bool(now["on_course"])
    # the country beside it: no benchmark of newly recruited professors is shipped, so all professors,
    # the newest up to 2025: UKÄ/SCB 2020, 1 967 women and 4 656 men -> 1967 / 6623 = 0.29700
    assert now["national_category"] == "professor" and now["national_year"] == 2020
    assert now["national_share"] == pytest.approx(1967 / 6623)
    # a move between departments recruits nobody: the school S has the same two
    s = exact(con, "new_professors", unit="S", year=2025)
    assert (row(s, year=2025)["women"], row(s, year=2025)["men"]) == (2, 0)


def test_a_units_own_target_from_its_plan(con):
    from indicators.plan import records

    records.apply_changes(
        con,
        records.Changes(
            measures=[
                {
                    "unit": "A",
                    "year": 2025,
                    "title_sv": "Fler kvinnliga professorer",
                    "subgoal": 1,
                    "indicator": "new_professors",
                    "target_value": 60,
                    "target_year": 2027,
                    "status": "planned",
                }
            ]
        ),
        who="test",
        via="test",
    )
    now = row(exact(con, "new_professors", unit="A", year=2025), year=2025)
    assert (now["target"], now["target_year"], now["target_source"]) == (0.6, 2027, "plan")
    # the school has no plan of its own: goals.toml's target
    assert row(exact(con, "new_professors", unit="S", year=2025), year=2025)["target_source"] == "goals"


def test_time_in_position_before_promotion(con):
    df = exact(con, "promotion_waiting", unit="A", year=2025, year_from=2024)
    lektor = row(df, position="associate_professor")
    # P1 was promoted from lektor in 2025 after 2023-2024 as lektor; her spell began in 2023, the first
    # year of data, so its start is unknown: counted, not timed, no median.
    assert (lektor["promoted_women"], lektor["promoted_timed_women"]) == (1, 0)
    assert pd.isna(lektor["promoted_years_women"])
    # P4 is still a lektor in 2025 (since 2023: not timed either)
    assert (lektor["waiting_men"], lektor["waiting_timed_men"]) == (1, 0)
    # P6 has been a postdoc since 2024 (a known start): 2 years so far, 2024 and 2025
    postdoc = row(df, position="postdoc")
    assert (postdoc["waiting_men"], postdoc["waiting_timed_men"], postdoc["waiting_years_men"]) == (1, 1, 2.0)


def test_fixed_term_and_permanent_by_position(con):
    df = exact(con, "contract_types", unit="A", year=2025)
    prof = row(df, position="professor")
    # professors of A 2025: P1 permanent (K), P8 fixed-term (K), P9 fixed-term (M)
    assert (prof["women_permanent"], prof["women_temporary"], prof["men_permanent"], prof["men_temporary"]) == (
        1,
        1,
        0,
        1,
    )
    assert prof["share_temporary_women"] == 0.5 and prof["share_temporary_men"] == 1.0
    everyone = row(df, position="all")  # + P3 (K perm), P4 (M perm), P6 (M fixed-term)
    assert (everyone["women_permanent"], everyone["women_temporary"]) == (2, 1)
    assert (everyone["men_permanent"], everyone["men_temporary"]) == (1, 2)


def test_protected_a_leaver_or_a_promotion_of_one_is_hidden_and_the_exact_tier_sees_it(con):
    protected = registry.compute(con, "career_flows", Filters(unit="A", year=2025))
    for name in ("leavers", "promoted_in", "promoted_out", "entrants"):
        r = row(protected, year=2025, position="all", flow=name)
        assert bool(r["suppressed"]) and pd.isna(r["women"]) and pd.isna(r["men"]) and pd.isna(r["rate_men"]), name
    links = registry.compute(con, "career_transitions", Filters(unit="A", year=2025))
    assert links["suppressed"].all()  # every link of this small unit rests on one or two people
    assert exact(con, "career_transitions", unit="A", year=2025)["suppressed"].sum() == 0
    waiting = registry.compute(con, "promotion_waiting", Filters(unit="A", year=2025))
    assert pd.isna(row(waiting, position="associate_professor")["promoted_women"])


def test_the_end_of_a_flow_table_is_the_representation_cell(con, goals):
    # The same people counted as the same thing get the same published number: end 2025 of A's
    # professors is the representation table's professors of A 2025 (k = 1, so nothing is hidden).
    goals(privacy={"k": 1, "k_sick_leave": 1, "k_incidents": 1, "k_care": 1, "k_survey": 1})
    flows = registry.compute(con, "career_flows", Filters(unit="A", year=2025, year_from=2024))
    stock = registry.compute(con, "representation", Filters(unit="A", year=2025))
    for position in ("professor", "associate_professor", "all"):
        assert flow(flows, 2025, position, "end") == (
            int(row(stock, position=position)["women"]),
            int(row(stock, position=position)["men"]),
        )
    before = registry.compute(con, "representation", Filters(unit="A", year=2024))
    assert flow(flows, 2025, "all", "start") == (
        int(row(before, position="all")["women"]),
        int(row(before, position="all")["men"]),
    )


def test_benchmarks_shipped_and_imported(con):
    ships = benchmarks.shipped()
    assert {"professor", "associate_professor", "lecturer"} <= set(ships["category"])
    assert ships["source"].str.len().min() > 20  # every row names its document
    # a user's own figure: newly recruited professors, and a subject area; it then leads the new-professor table
    own = pd.DataFrame(
        {
            "år": [2024, 2020],
            "kategori": ["nyrekryterade professorer", "professorer"],
            "kvinnor": [120, 300],
            "män": [230, 900],
            "källa": ["UKÄ, egen sammanställning", "Egen"],
            "ämnesområde": [None, "Teknik"],
        }
    )
    load(con, "benchmarks", own)
    rows = benchmarks.national(con.cursor())
    assert row(rows, category="new_professor")["origin"] == "imported"
    assert len(rows[(rows["category"] == "professor") & (rows["year"] == 2020)]) == 2  # the country and Teknik
    now = row(exact(con, "new_professors", unit="A", year=2025), year=2025)
    assert now["national_category"] == "new_professor" and now["national_share"] == pytest.approx(120 / 350)
    table = exact(con, "national_benchmarks", unit="A", year=2025)
    prof = table[(table["category"] == "professor") & (table["national_year"] == 2020) & table["subject_area"].isna()]
    # A's professors 2025: P1, P8 (K), P9 (M) -> 2/3; the country 2020: 0.29700 -> +36.97 percentage points
    assert prof["share_women"].iloc[0] == pytest.approx(2 / 3)
    assert prof["difference_pp"].iloc[0] == pytest.approx((2 / 3 - 1967 / 6623) * 100)


def test_the_shipped_benchmarks_pass_the_import_check():
    out = subprocess.run(
        [sys.executable, "-m", "indicators", "check", str(ROOT / "data" / "benchmarks.csv"), "--kind", "benchmarks"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr


def test_the_ladder_is_data(con, tmp_path, monkeypatch):
    # With lektor and professor of one rank, P1's move is a change, not a promotion.
    path = tmp_path / "careers.toml"
    path.write_text((ROOT / "data" / "careers.toml").read_text().replace("professor = 4", "professor = 3"))
    monkeypatch.setenv("BALANS_CAREERS", str(path))
    df = exact(con, "career_flows", unit="A", year=2025)
    assert flow(df, 2025, "professor", "promoted_in") == (0, 0)
    assert flow(df, 2025, "professor", "changed_in") == (1, 0)
    assert careers.ladder()["professor"] == 3


def test_the_cells_follow_a_removal_and_its_undo(con):
    assert con.execute("SELECT sum(people) FROM career_cells").fetchone()[0] > 0
    batch = con.execute("SELECT max(batch_id) FROM import_batches").fetchone()[0]
    database.remove_batch(con, batch)
    assert con.execute("SELECT count(*) FROM career_cells").fetchone()[0] == 0
    database.undo_remove(con)
    assert con.execute("SELECT count(*) FROM career_cells").fetchone()[0] > 0


NEW_TABLES = (
    "career_flows",
    "career_transitions",
    "promotion_waiting",
    "contract_types",
    "new_professors",
    "national_benchmarks",
)


def cli(*args) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "indicators", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_the_command_line_exports_every_new_table_with_every_filter(tmp_path):
    db = tmp_path / "c.duckdb"
    people().to_csv(tmp_path / "staff.csv", index=False)
    # main() in process (helpers.cli_main), but for the refusal below: one real process of the new tables
    assert cli_main("import", tmp_path / "staff.csv", "--db", db).returncode == 0
    # Protected tables are for one position or all (privacy.one_position_or_all): a set is refused (exit 2)
    # and the exact tier keeps it.
    every = [
        "--unit",
        "A",
        "--year",
        "2025",
        "--from",
        "2024",
        "--to",
        "2025",
        "--positions",
        "professor",
        "--employment-type",
        "permanent",
        "--measure",
        "fte",
    ]
    several = [
        "--unit",
        "A",
        "--year",
        "2025",
        "--from",
        "2024",
        "--to",
        "2025",
        "--positions",
        "professor,associate_professor",
        "--employment-type",
        "permanent",
        "--measure",
        "fte",
    ]
    assert cli("export", "career_flows", *several, "--db", db).returncode == 2
    # every new table with every filter (test_export_sweep exports each in every format for two units)
    for table in NEW_TABLES:
        out = cli_main("export", table, *every, "--db", db)
        assert out.returncode == 0 and "Traceback" not in out.stderr, (table, out.stderr)
        assert out.stdout.lstrip("\ufeff").strip(), table
    assert cli_main("export", "new_professors", *every, "--swedish", "--db", db).returncode == 0
    assert cli_main("export", "career_transitions", *every, "--db", db, "-o", tmp_path / "t.xlsx").returncode == 0
    # the filters are applied: permanent professors and lektorer of A, 2025, exact: P1 promoted (K), P4 stayed (M);
    # P8 and P9 (fixed-term professors) and P2 (who left) are not in it
    out = cli_main("export", "career_flows", *several, "--exact", "--db", db)
    t = pd.read_csv(io.StringIO(out.stdout.lstrip("\ufeff")))
    end = t[(t["year"] == 2025) & (t["position"] == "all") & (t["flow"] == "end")].iloc[0]
    assert (end["women"], end["men"]) == (1, 1)
    assert set(t["position"]) == {"associate_professor", "professor", "all"}
