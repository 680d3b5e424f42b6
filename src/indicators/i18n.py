"""Swedish and English for every label, title and message of the app, and numbers per language.

No Streamlit here: the charts, the HTML report and the tests use the same words. Swedish numbers
have a decimal comma and space-grouped thousands (Språkrådet: "12 345,6", a no-break space so the
number never wraps); the percent sign follows a space, as Swedish and SI usage both write it.
"""

from __future__ import annotations

import math

LANGS = ("sv", "en")

TEXT: dict[str, tuple[str, str]] = {
    # app frame
    "app_title": ("Balans – jämställdhetsindikatorer", "Balans – gender-equality indicators"),
    "demo_banner": ("Demodata – syntetiska, inte verkliga personer", "Demo data — synthetic, not real people"),
    "filters": ("Urval", "Filters"),
    "unit": ("Enhet", "Unit"),
    "whole_org": ("Hela organisationen", "The whole organisation"),
    "year": ("År", "Year"),
    "years": ("År för trender", "Years for trends"),
    "positions": ("Befattningar", "Positions"),
    "positions_all": ("Alla befattningar", "All positions"),
    "language": ("Språk / Language", "Språk / Language"),
    "measure": ("Mått", "Measure"),
    "headcount": ("Antal personer", "Headcount"),
    "fte": ("Årsarbetskrafter (FTE)", "Full-time equivalents (FTE)"),
    "present": ("Presentationsläge", "Presentation mode"),
    "exit_present": ("Avsluta presentationsläget", "Leave presentation mode"),
    "copy_link": ("Länken i adressfältet öppnar exakt denna vy.", "The link in the address bar reopens exactly this view."),
    # pages
    "page_overview": ("Översikt", "Overview"),
    "page_representation": ("Representation", "Representation"),
    "page_pay": ("Lön", "Pay"),
    "page_committees": ("Organ och nämnder", "Committees"),
    "page_import": ("Importera", "Import"),
    "page_export": ("Exportera", "Export"),
    "page_method": ("Metod", "Method"),
    # empty states and messages
    "no_data": ("Det finns inga data ännu. Gå till Importera för att läsa in filer, eller läs in demodata där.",
                "There are no data yet. Go to Import to load files, or load the demo data there."),
    "no_rows": ("Inga uppgifter för {unit} {year}. Välj en annan enhet eller ett annat år, eller importera data för det.",
                "Nothing for {unit} in {year}. Choose another unit or year, or import data for it."),
    "not_available": ("Indikatorn {id} finns inte i den här versionen ännu.",
                      "The indicator {id} is not available in this version yet."),
    "failed": ("Indikatorn {id} kunde inte beräknas: {error}", "The indicator {id} could not be computed: {error}"),
    "go_import": ("Gå till Importera", "Go to Import"),
    "hidden_reason": ("dolt: färre än {k} personer", "hidden: fewer than {k} persons"),
    "hidden_rows": ("{n} rader är dolda eftersom de bygger på färre än {k} personer.",
                    "{n} rows are hidden because they rest on fewer than {k} persons."),
    "about": ("Om indikatorn", "About this indicator"),
    "source": ("Källa", "Source"),
    "download_csv": ("CSV", "CSV"),
    "download_csv_sv": ("CSV (svensk Excel)", "CSV (Swedish Excel)"),
    "download_xlsx": ("Excel", "Excel"),
    "table": ("Tabell", "Table"),
    # overview
    "scorecard": ("De sex delmålen", "The six sub-goals"),
    "scorecard_units": ("Underenheterna", "The sub-units"),
    "scorecard_intro": ("Status mot målen i goals.toml för {unit}, {year}. Grönt: uppfyllt; rött: inte uppfyllt; grått: inga data eller dolt.",
                        "Status against the targets in goals.toml for {unit}, {year}. Green: met; red: not met; grey: no data or hidden."),
    "status_met": ("uppfyllt", "met"),
    "status_not_met": ("inte uppfyllt", "not met"),
    "status_no_data": ("inga data", "no data"),
    "status_hidden": ("dolt", "hidden"),
    "no_data_hint": ("Delmål utan data: importera dem under Importera.", "Sub-goals without data: import them on the Import page."),
    "headline": ("Andel kvinnor i {unit} {year}", "Share of women in {unit}, {year}"),
    # representation
    "by_position": ("Andel kvinnor per befattning", "Share of women by position"),
    "by_unit": ("Andel kvinnor per underenhet", "Share of women by sub-unit"),
    "trend": ("Utveckling över tid", "Trend over the years"),
    "pipeline": ("Karriärkedjan (saxdiagram)", "The career pipeline (scissors diagram)"),
    "gci": ("Glastaksindex (She Figures GCI)", "Glass Ceiling Index (She Figures GCI)"),
    "segregation": ("Segregation (Duncans index)", "Segregation (Duncan's index)"),
    "managers": ("Chefer", "Managers"),
    # pay and committees
    "pay_intro": ("Tabellerna är underlag för lönekartläggningen: varje skillnad ska analyseras.",
                  "The tables are where the pay survey can start: every gap must be looked at."),
    "committees_intro": ("Organens platser är offentliga och döljs inte.", "Committee seats are public and are not hidden."),
    # import
    "upload": ("Ladda upp en eller flera filer (xlsx, xls, ods, csv)", "Upload one or more files (xlsx, xls, ods, csv)"),
    "check_result": ("Kontroll av {file}", "Check of {file}"),
    "sheet_kind": ("Flik {sheet}: {kind}, {rows} rader, år {years}", "Sheet {sheet}: {kind}, {rows} rows, years {years}"),
    "problems": ("Problem", "Problems"),
    "no_problems": ("Inga problem hittades.", "No problems found."),
    "refused_file": ("Filen kan inte importeras förrän felen är rättade.", "The file cannot be imported until the errors are fixed."),
    "confirm_import": ("Importera", "Import"),
    "replace": ("Ersätt data för samma typ och år", "Replace data of the same kind and year"),
    "imported": ("Importerat: batch {ids}.", "Imported: batch {ids}."),
    "history": ("Importhistorik", "Import history"),
    "no_history": ("Inget har importerats ännu.", "Nothing has been imported yet."),
    "remove": ("Ta bort batch", "Remove batch"),
    "removed": ("Batch {id} togs bort ({n} rader).", "Batch {id} was removed ({n} rows)."),
    "undo_remove": ("Ångra borttagningen av batch {id}", "Undo the removal of batch {id}"),
    "restored": ("Batch {id} är återställd.", "Batch {id} is restored."),
    "templates": ("Mallar", "Templates"),
    "demo": ("Demodata", "Demo data"),
    "load_demo": ("Läs in demodata", "Load the demo data"),
    "remove_demo": ("Ta bort demodata", "Remove the demo data"),
    "demo_loaded": ("Demodata inlästa (batch {ids}).", "Demo data loaded (batches {ids})."),
    "demo_removed": ("Demodata borttagna ({n} batcher).", "Demo data removed ({n} batches)."),
    "demo_over": ("Demodata ersätter befintliga data för samma typ och år.", "The demo data replace existing data of the same kinds and years."),
    "cli_only": ("Data kan bara ändras från kommandoraden på servern (python -m indicators import).",
                 "Data can only be changed from the command line on the server (python -m indicators import)."),
    "passphrase": ("Administratörens lösenfras", "Administrator passphrase"),
    "wrong_passphrase": ("Fel lösenfras.", "Wrong passphrase."),
    "not_admin": ("Du har inte behörighet att ändra data.", "You are not allowed to change data."),
    # export
    "export_workbook": ("Alla indikatorer som en Excel-arbetsbok", "All indicators as one Excel workbook"),
    "export_html": ("Rapport som HTML (öppnas utan nät)", "Report as HTML (opens offline)"),
    "export_intro": ("Allt för {unit}, {year}, med små grupper dolda som på sidorna.",
                     "Everything for {unit}, {year}, with small groups hidden as on the pages."),
    "report_title": ("Balans – rapport för {unit}, {year}", "Balans – report for {unit}, {year}"),
    "report_generated": ("Skapad {when}", "Generated {when}"),
    # method
    "method_intro": ("Definition, formel och källa för varje indikator.", "Definition, formula and source of every indicator."),
    "subgoal": ("Delmål", "Sub-goal"),
    "gep_area": ("GEP-område", "GEP area"),
    "unit_of_measure": ("Enhet", "Unit of measure"),
    "columns": ("Kolumner", "Columns"),
    "target": ("Mål", "Target"),
    "suppression": ("Döljs under k = {k} personer", "Hidden below k = {k} persons"),
    "public": ("Offentliga uppgifter, döljs inte", "Public data, not hidden"),
    # charts
    "women": ("Kvinnor", "Women"),
    "men": ("Män", "Men"),
    "other": ("Annat/okänt", "Other/unknown"),
    "share_women": ("Andel kvinnor", "Share of women"),
    "share_men": ("Andel män", "Share of men"),
    "band": ("Jämn fördelning 40–60 %", "Balanced 40–60 %"),
    "hidden": ("dolt", "hidden"),
    "count": ("antal", "count"),
    "finding_position": ("Kvinnor är {share} av {position} i {unit} {year}", "Women are {share} of {position} in {unit}, {year}"),
    "finding_trend": ("Kvinnor är {share} av {position} i {unit} {year}, {change} från {then} {first}",
                      "Women are {share} of {position} in {unit} in {year}, {change} from {then} in {first}"),
    "up": ("upp", "up"),
    "down": ("ned", "down"),
    "unchanged": ("oförändrat", "unchanged"),
    "finding_units": ("{n} av {total} underenheter i {unit} har en jämn fördelning", "{n} of {total} sub-units of {unit} are balanced"),
    "finding_bodies": ("{n} av {total} organ i {unit} har en jämn fördelning {year}", "{n} of {total} bodies in {unit} are balanced in {year}"),
    "finding_gci": ("Glastaksindex {value} i {unit} (1 = ingen skillnad)", "Glass Ceiling Index {value} in {unit} (1 = parity)"),
    "finding_gap": ("Kvinnors lön är {value} lägre än mäns i {unit} {year}", "Women are paid {value} less than men in {unit}, {year}"),
    "finding_gap_neg": ("Kvinnors lön är {value} högre än mäns i {unit} {year}", "Women are paid {value} more than men in {unit}, {year}"),
    "finding_pipeline": ("Andelen kvinnor från doktorand till professor i {unit} {year}", "The share of women from PhD student to professor in {unit}, {year}"),
    "finding_segregation": ("Duncans segregationsindex i {unit}", "Duncan's segregation index in {unit}"),
    "gap_pct": ("Löneskillnad (%)", "Pay gap (%)"),
    "quartile": ("Lönekvartil", "Pay quartile"),
}

POSITIONS = {
    "phd_student": ("doktorander", "PhD students"),
    "postdoc": ("postdoktorer", "postdocs"),
    "researcher": ("forskare", "researchers"),
    "assistant_professor": ("biträdande lektorer", "assistant professors"),
    "lecturer": ("adjunkter", "lecturers"),
    "associate_professor": ("lektorer", "associate professors"),
    "professor": ("professorer", "professors"),
    "non_academic": ("teknisk/administrativ personal", "technical/administrative staff"),
    "other": ("övriga", "other staff"),
    "all": ("alla anställda", "all staff"),
    # pipeline stages
    "students": ("studenter", "students"),
    "graduates": ("examinerade", "graduates"),
    "A": ("grad A", "grade A"), "B": ("grad B", "grade B"), "C": ("grad C", "grade C"), "D": ("grad D", "grade D"),
}

BODY_TYPES = {"decision": ("beslutande", "decision-making"), "decision-making": ("beslutande", "decision-making"),
              "decision_making": ("beslutande", "decision-making"),
              "preparatory": ("beredande", "preparatory"), "other": ("övriga", "other")}

# Column headings of the tables the pages show (the downloaded files keep the canonical names, so a
# script reading them does not depend on the language).
COLUMNS = {
    "year": ("År", "Year"), "position": ("Befattning", "Position"), "unit": ("Enhet", "Unit"),
    "women": ("Kvinnor", "Women"), "men": ("Män", "Men"), "other": ("Annat/okänt", "Other/unknown"),
    "total": ("Totalt", "Total"), "share_women": ("Andel kvinnor", "Share of women"),
    "ci_low": ("95 % KI, nedre", "95 % CI, low"), "ci_high": ("95 % KI, övre", "95 % CI, high"),
    "balanced": ("Jämn", "Balanced"), "suppressed": ("Dold", "Hidden"),
    "fte_women": ("FTE kvinnor", "FTE women"), "fte_men": ("FTE män", "FTE men"),
    "fte_other": ("FTE annat", "FTE other"), "fte_total": ("FTE totalt", "FTE total"),
    "subgoal": ("Delmål", "Sub-goal"), "title": ("Delmål", "Sub-goal"), "indicator": ("Indikator", "Indicator"),
    "value": ("Värde", "Value"), "target": ("Mål", "Target"), "status": ("Status", "Status"),
    "previous": ("Förra året", "Last year"), "direction": ("Riktning", "Direction"),
    "body": ("Organ", "Body"), "body_type": ("Typ", "Type"), "chair_gender": ("Ordförande", "Chair"),
    "batch_id": ("Batch", "Batch"), "kind": ("Typ", "Kind"), "file_name": ("Fil", "File"),
    "sheet": ("Flik", "Sheet"), "years": ("År", "Years"), "row_count": ("Rader", "Rows"),
    "imported_at": ("Importerad", "Imported"), "synthetic": ("Syntetisk", "Synthetic"),
    "replaced_by": ("Ersatt av", "Replaced by"), "file": ("Fil", "File"), "row": ("Rad", "Row"),
    "column": ("Kolumn", "Column"), "message": ("Meddelande", "Message"), "level": ("Nivå", "Level"),
    "gci": ("GCI", "GCI"), "note": ("Anmärkning", "Note"), "stage": ("Steg", "Stage"),
    "share_men": ("Andel män", "Share of men"),
}

SHARE_LIKE = ("share", "ci_low", "ci_high")


def t(key: str, lang: str = "en", **values) -> str:
    """The text for key in the language, with {placeholders} filled; an unknown key shows itself."""
    pair = TEXT.get(key)
    text = key if pair is None else pair[0 if lang == "sv" else 1]
    return text.format(**values) if values else text


def pick(pair: tuple[str, str] | None, lang: str, default: str = "") -> str:
    return default if pair is None else pair[0 if lang == "sv" else 1]


def position(code: str, lang: str = "en") -> str:
    return pick(POSITIONS.get(code), lang, str(code))


def body_type(code, lang: str = "en") -> str:
    return pick(BODY_TYPES.get(str(code)), lang, "" if code is None else str(code))


def column(name: str, lang: str = "en") -> str:
    return pick(COLUMNS.get(name), lang, name.replace("_", " "))


def status(code: str, lang: str = "en") -> str:
    return t(f"status_{code}", lang) if f"status_{code}" in TEXT else str(code)


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x) or (isinstance(x, float) and math.isinf(x))
    except (TypeError, ValueError):  # pd.NA
        return True


def number(x, lang: str = "en", decimals: int = 0) -> str:
    """12345.6 -> '12 345,6' (sv) or '12,345.6' (en); a missing value -> '–'."""
    if _missing(x):
        return "–"
    text = f"{float(x):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "\u2212") if lang == "sv" and text.startswith("-") else text


def percent(share, lang: str = "en", decimals: int = 0) -> str:
    """A share 0..1 as '27 %' (a space before % in both languages, as Swedish and SI write it)."""
    return "–" if _missing(share) else f"{number(float(share) * 100, lang, decimals)}\u00a0%"


def pct_points(value, lang: str = "en", decimals: int = 1) -> str:
    """A value already in percent (a pay gap of 3.2) as '3,2 %'."""
    return "–" if _missing(value) else f"{number(value, lang, decimals)}\u00a0%"
