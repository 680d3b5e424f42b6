"""Swedish and English for every label, title and message of the app, and numbers per language.

No Streamlit here: the charts, the HTML report and the tests use the same words. Swedish numbers
have a decimal comma and space-grouped thousands (Språkrådet: "12 345,6", a no-break space so the
number never wraps); the percent sign follows a space, as Swedish and SI usage both write it.
"""

from __future__ import annotations

import math

from . import book, books, in_any, named, vocabulary

try:  # pandas' NA when pandas is there (it always is in the app)
    from pandas import NA as pd_NA
except ImportError:  # pragma: no cover
    pd_NA = object()

LANGS = ("sv", "en")


def _in_book_texts(key: str) -> tuple[str, str] | None:
    """A sentence of a catalogue book's [text] for a key TEXT does not hold (a page title of pay.toml)."""
    for name in books():
        pair = book(name).text.get(key)
        if pair is not None:
            return pair
    return None


TEXT: dict[str, tuple[str, str]] = {
    # app frame
    "app_title": ("Balans – jämställdhetsindikatorer", "Balans – gender-equality indicators"),
    "demo_banner": ("Demodata – syntetiska, inte verkliga personer", "Demo data — synthetic, not real people"),
    "demo_banner_what": ("Demodata – syntetiska, inte verkliga personer: {what}.",
                         "Demo data — synthetic, not real people: {what}."),
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
    "partial_mark": (" (ofullständigt)", " (partial)"),
    "partial_warning": ("{year} är ett ofullständigt år för {unit}: {n} enheter som hade personal {previous} har ingen "
                        "{year} ({units}). Siffrorna för {year} bygger bara på de enheter som är importerade. Senaste "
                        "fullständiga år: {default}.",
                        "{year} is a partial year for {unit}: {n} units with staff in {previous} have none in {year} "
                        "({units}). The figures of {year} rest only on the units imported. The latest complete "
                        "year: {default}."),
    "partial_warning_one": ("{year} är ett ofullständigt år för {unit}: en enhet som hade personal {previous} har ingen "
                            "{year} ({units}). Siffrorna för {year} bygger bara på de enheter som är importerade. "
                            "Senaste fullständiga år: {default}.",
                            "{year} is a partial year for {unit}: one unit with staff in {previous} has none in "
                            "{year} ({units}). The figures of {year} rest only on the units imported. The latest "
                            "complete year: {default}."),
    "unknown_unit_url": ("Enheten ”{unit}” i länken finns inte i data; här visas {shown} i stället.",
                         "The unit “{unit}” in the link is not in the data; showing {shown} instead."),
    "unknown_year_url": ("Året ”{year}” i länken har inga data (år med data: {first}–{last}); här visas {shown} i stället.",
                         "The year “{year}” in the link has no data (years with data: {first}–{last}); showing {shown} instead."),
    "copy_link": ("Länken i adressfältet öppnar exakt denna vy.", "The link in the address bar reopens exactly this view."),
    # pages
    "page_overview": ("Översikt", "Overview"),
    "page_representation": ("Representation", "Representation"),
    "page_pay": ("Lön", "Pay"),
    "page_committees": ("Organ och nämnder", "Committees"),
    "page_import": ("Importera", "Import"),
    "page_export": ("Exportera", "Export"),
    "page_method": ("Metod", "Method"),
    "page_plan": ("Plan och uppföljning", "Plan and follow-up"),
    "page_recruitment": ("Rekrytering och befordran", "Recruitment and promotion"),
    "page_education": ("Utbildning", "Education"),
    "page_care": ("Obetalt omsorgsarbete", "Unpaid care work"),
    "page_health": ("Hälsa", "Health"),
    "page_safety": ("Trakasserier och kränkningar", "Harassment and victimisation"),
    "nav_subgoals": ("Delmålen", "The sub-goals"),
    "nav_data": ("Data", "Data"),
    "go_to": ("Till sidan", "Open the page"),
    # empty states and messages
    "no_data": ("Det finns inga data ännu. Gå till Importera för att läsa in filer, eller läs in demodata där.",
                "There are no data yet. Go to Import to load files, or load the demo data there."),
    "no_data_cli": ("Inget är importerat ännu. Data läses in på servern: python -m indicators import FIL "
                    "(eller python -m indicators demo för demodata).",
                    "Nothing has been imported yet. Data are loaded on the server: python -m indicators import FILE "
                    "(or python -m indicators demo for the demo data)."),
    "no_data_not_admin": ("Inget är importerat ännu. En administratör läser in data under Importera.",
                          "Nothing has been imported yet. An administrator loads data on the Import page."),
    # An empty table says what is the case: nothing of its kind imported at all, or nothing for this
    # unit and year, or (empty_<indicator>) what an empty answer means for that indicator.
    "no_rows": ("Inga uppgifter för {unit} {year}. Välj en annan enhet eller ett annat år.",
                "Nothing for {unit} in {year}. Choose another unit or year."),
    "no_kind": ("Inga uppgifter av det här slaget ({kind}) är importerade ännu.",
                "No data of this kind ({kind}) have been imported yet."),
    "no_subunits": ("{unit} har inga underenheter.", "{unit} has no sub-units."),
    "empty_equal_value_pairs": ("Inga par hittades: ingen kvinnodominerad grupp i {unit} {year} har lägre medellön än en "
                                "grupp som inte är kvinnodominerad på samma eller lägre befattningsnivå.",
                                "No pairs found: no women-dominated group in {unit} in {year} is paid less on average "
                                "than a group that is not women-dominated at the same or a lower job level."),
    "empty_equal_work": ("Inga grupper av lika arbete att jämföra i {unit} {year}.",
                         "No groups doing equal work to compare in {unit} in {year}."),
    "empty_equal_value": ("Inga grupper med befattningsnivå i {unit} {year}: arbetsvärderingen (befattningsnivå) saknas i personaldata.",
                          "No groups with a job level in {unit} in {year}: the job evaluation (job level) is missing from the staff data."),
    "empty_students": ("Inga utbildningsprogram hör till {unit} {year}.", "No study programmes belong to {unit} in {year}."),
    "empty_students_trend": ("Inga utbildningsprogram hör till {unit}.", "No study programmes belong to {unit}."),
    "empty_completion": ("Inga utbildningsprogram hör till {unit} {year}.", "No study programmes belong to {unit} in {year}."),
    "empty_committee_bodies": ("{unit} har inga organ eller nämnder i uppgifterna för {year}.",
                               "{unit} has no committees or boards in the data for {year}."),
    "empty_committee_summary": ("{unit} har inga organ eller nämnder i uppgifterna.",
                                "{unit} has no committees or boards in the data."),
    "active_filters": ("Urval", "Filters"),
    "filter_unit": ("enhet {unit}", "unit {unit}"),
    "filter_year": ("år {year}", "year {year}"),
    "filter_range": ("trender {first}–{last}", "trends {first}–{last}"),
    "filter_positions": ("befattningar: {positions}", "positions: {positions}"),
    "gap_within": ("skillnad inom ±{value}", "gap within ±{value}"),
    "not_available": ("Indikatorn {id} finns inte i den här versionen ännu.",
                      "The indicator {id} is not available in this version yet."),
    "chart_failed": ("Diagrammet för {id} kunde inte ritas: {error}", "The chart of {id} could not be drawn: {error}"),
    "failed": ("Indikatorn {id} kunde inte beräknas: {error}", "The indicator {id} could not be computed: {error}"),
    "go_import": ("Gå till Importera", "Go to Import"),
    "hidden_reason": ("dolt: färre än {k} personer", "hidden: fewer than {k} persons"),
    # A row whose total is shown and whose women and men are not (one of them is 1..k-1): the split is hidden.
    "hidden_split": ("kvinnor/män dolda: färre än {k} av ett kön (totalt {total})",
                     "women/men hidden: fewer than {k} of one gender (total {total})"),
    "split_hidden": ("kvinnor/män dolda", "women/men hidden"),
    # A row whose women and men are shown and whose figures are not (pay needs k women and k men).
    "hidden_figures": ("siffrorna dolda: färre än {k} kvinnor eller män", "figures hidden: fewer than {k} women or men"),
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
    "scorecard_intro": ("Status mot målen i goals.toml (eller enhetens eget mål i planen) för {unit}, {year}. Grönt: uppfyllt; rött: inte uppfyllt; grått: inga data eller dolt.",
                        "Status against the targets in goals.toml (or the unit's own target in its plan) for {unit}, {year}. Green: met; red: not met; grey: no data or hidden."),
    "status_met": ("uppfyllt", "met"),
    "status_not_met": ("inte uppfyllt", "not met"),
    "status_no_data": ("inga data", "no data"),
    "status_hidden": ("dolt", "hidden"),
    "no_data_hint": ("Delmål utan data: importera dem under Importera.", "Sub-goals without data: import them on the Import page."),
    "no_data_hint_read_only": ("Delmål utan data: uppgifterna för dem är inte importerade.",
                               "Sub-goals without data: their data have not been imported."),
    "headline": ("Andel kvinnor i {unit} {year}", "Share of women in {unit}, {year}"),
    # Each sub-goal's headline by name (goals.HEADLINES): the card's indicator column and the first
    # finding of the page it leads to both say it.
    "headline_seats": ("Kvinnors andel av platserna i organen", "Women's share of committee seats"),
    "headline_pay": ("Medianlöneskillnad", "Median pay gap"),
    "headline_students": ("Kvinnors andel av studenterna", "Women's share of students"),
    "headline_care": ("Mäns föräldraledighetskvot", "Men's parental-leave ratio"),
    "headline_sick": ("Sjukfrånvarokvot kvinnor/män", "Sick-leave ratio women/men"),
    "headline_exposed": ("Kvinnor utsatta för sexuella trakasserier (enkät)", "Women exposed to sexual harassment (survey)"),
    # representation
    "by_position": ("Andel kvinnor per befattning", "Share of women by position"),
    "by_unit": ("Andel kvinnor per underenhet", "Share of women by sub-unit"),
    "trend": ("Utveckling över tid", "Trend over the years"),
    "own_target_line": ("Enhetens mål: {value} år {year}", "Unit's target: {value} by {year}"),
    "pipeline": ("Karriärkedjan (saxdiagram)", "The career pipeline (scissors diagram)"),
    "gci": ("Glastaksindex (She Figures GCI)", "Glass Ceiling Index (She Figures GCI)"),
    "segregation": ("Segregation (Duncans index)", "Segregation (Duncan's index)"),
    "managers": ("Chefer", "Managers"),
    # pay and committees
    "pay_intro": ("Varje löneskillnad på sidan är i procent av mäns lön, (män − kvinnor) / män × 100: positiv när "
                  "kvinnor har lägre lön, negativ när de har högre. Ojusterad om den inte sägs vara justerad. "
                  "Tabellerna är underlag för lönekartläggningen: varje skillnad ska analyseras.",
                  "Every pay gap on this page is in percent of men's pay, (men − women) / men × 100: positive when "
                  "women are paid less, negative when they are paid more. Unadjusted unless it says adjusted. "
                  "The tables are where the pay survey can start: every gap must be looked at."),
    "committees_intro": ("Organens platser är offentliga och döljs inte.", "Committee seats are public and are not hidden."),
    # import
    "upload": ("Ladda upp en eller flera filer (xlsx, xls, ods, csv)", "Upload one or more files (xlsx, xls, ods, csv)"),
    "upload_help": ("Dra filerna till rutan nedan eller klicka på knappen i den (Browse files) för att välja dem. "
                    "Rutans egna texter är Streamlits och finns bara på engelska. Högst 200 MB per fil.",
                    "Drag the files onto the box below, or click its button (Browse files) to choose them. "
                    "At most 200 MB a file."),
    "check_result": ("Kontroll av {file}", "Check of {file}"),
    "sheet_kind": ("Flik {sheet}: {kind}, {rows} rader, år {years}", "Sheet {sheet}: {kind}, {rows} rows, years {years}"),
    "problems": ("Problem", "Problems"),
    "no_problems": ("Inga problem hittades.", "No problems found."),
    "refused_file": ("Filen kan inte importeras förrän felen är rättade.", "The file cannot be imported until the errors are fixed."),
    "confirm_import": ("Importera", "Import"),
    "replace": ("Ersätt data för samma typ och år", "Replace data of the same kind and year"),
    "imported": ("Importerat: batch {ids}.", "Imported: batch {ids}."),
    "imported_partial": ("{year} täcker bara en del av organisationen: {n} enheter som hade personal {previous} har "
                         "ingen {year}. Året visas som ofullständigt, och den som öppnar appen ser {default}, tills en "
                         "fil med hela organisationens {year} importeras med ”Ersätt data för samma typ och år” (den "
                         "ersätter det som finns för {year} nu).",
                         "{year} covers only part of the organisation: {n} units with staff in {previous} have none "
                         "in {year}. The year is shown as partial, and visitors see {default}, until a file with the "
                         "whole organisation's {year} is imported with “Replace data of the same kind and year” (it "
                         "replaces what {year} holds now)."),
    "imported_partial_one": ("{year} täcker bara en del av organisationen: en enhet som hade personal {previous} har "
                             "ingen {year}. Året visas som ofullständigt, och den som öppnar appen ser {default}, "
                             "tills en fil med hela organisationens {year} importeras med ”Ersätt data för samma typ "
                             "och år” (den ersätter det som finns för {year} nu).",
                             "{year} covers only part of the organisation: one unit with staff in {previous} has none "
                             "in {year}. The year is shown as partial, and visitors see {default}, until a file with "
                             "the whole organisation's {year} is imported with “Replace data of the same kind and "
                             "year” (it replaces what {year} holds now)."),
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
    "writer_busy": ("Data ändras just nu av en annan Balans-process: {command} (process {pid}, sedan {since}). "
                    "Vi väntade {waited} s. Försök igen när den är klar.",
                    "The data are being changed by another Balans process: {command} (pid {pid}, since {since}). "
                    "Waited {waited} s. Try again when it has finished."),
    "demo_over": ("Demodata ersätter tidigare demodata för samma typ och år, men aldrig verkliga importerade data.",
                  "The demo data replace earlier demo data of the same kinds and years, never really imported data."),
    "demo_refused": ("Demodata lästes inte in: de skulle ersätta verkliga, importerade data ({batches}). Ta bort de "
                     "batcherna först, eller läs in demodata i en annan databas från kommandoraden.",
                     "The demo data were not loaded: they would replace really imported data ({batches}). Remove "
                     "those batches first, or load the demo into another database from the command line."),
    "batch_short": ("batch {id}, {what}", "batch {id}, {what}"),
    "kind_years": ("{kind} för {years}", "{kind} for {years}"),
    "demo_file": ("demodata (syntetiska)", "demo data (synthetic)"),
    "file_named": ("filen {file}", "the file {file}"),
    "already_imported": ("{file}, flik {sheet}: {kind} för {years} är redan importerat i batch {batch} ({file_name}, "
                         "{when}). Kryssa i ”{replace}” ovanför knappen för att ersätta det.",
                         "{file}, sheet {sheet}: {kind} for {years} was already imported in batch {batch} "
                         "({file_name}, {when}). Tick “{replace}” above the button to replace it."),
    "remove_pick": ("Batch att ta bort", "Batch to remove"),
    "remove_placeholder": ("Välj en batch …", "Choose a batch …"),
    "batch_label": ("Batch {id}: {what}, {rows} rader, {file}", "Batch {id}: {what}, {rows} rows, {file}"),
    "remove_what": ("Det här tas bort: batch {id}, {what}, {rows} rader från {source} (importerad {when}).",
                    "This will be removed: batch {id}, {what}, {rows} rows from {source} (imported {when})."),
    "remove_confirm": ("Jag förstår att batch {id} och dess {rows} rader tas bort",
                       "I understand that batch {id} and its {rows} rows will be removed"),
    "remove_undo_note": ("Borttagningen kan ångras tills nästa import eller borttagning.",
                         "The removal can be undone until the next import or removal."),
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
    "method_intro": ("Definition, formel och källa för varje indikator. Löneskillnader är i procent av mäns lön, "
                     "(män − kvinnor) / män × 100, positiva när kvinnor har lägre lön; den justerade skillnaden "
                     "(regressionens koefficient b i log-lön) räknas om till samma mått, (1 − e^b) × 100.",
                     "Definition, formula and source of every indicator. Pay gaps are in percent of men's pay, "
                     "(men − women) / men × 100, positive when women are paid less; the adjusted gap (the "
                     "regression's coefficient b on log pay) is converted to the same measure, (1 − e^b) × 100."),
    "subgoal": ("Delmål", "Sub-goal"),
    "gep_area": ("GEP-område", "GEP area"),
    "unit_of_measure": ("Enhet", "Unit of measure"),
    "columns": ("Kolumner", "Columns"),
    "target": ("Mål", "Target"),
    "suppression": ("Skyddas med cellnyckelmetoden; döljs under k = {k} personer",
                    "Protected by the cell-key method; hidden below k = {k} persons"),
    # disclosure control (privacy.py) and exact figures
    "positions_widened": ("Siffrorna visas för en befattning eller för alla, aldrig för flera valda befattningar "
                          "tillsammans: med varje urval möjligt skulle en enskild persons lön eller ett dolt litet antal "
                          "kunna räknas fram ur skillnaderna mellan urvalen. Siffrorna här gäller därför alla "
                          "befattningar. Välj en befattning för att se just den.",
                          "Figures are shown for one position or for all, never for several chosen positions "
                          "together: with every selection possible, one person's salary or a hidden small count could "
                          "be worked out from the differences between selections. The figures here are therefore for "
                          "all positions. Choose one position to see it alone."),
    "protected_note": ("Siffrorna är något justerade för att skydda enskilda personer, så som SCB gör; "
                       "delar summerar därför inte alltid exakt till totalen.",
                       "Figures are adjusted slightly to protect individuals, as Statistics Sweden does; "
                       "parts may not add up to totals."),
    "exact_mark": ("exakta siffror – konfidentiellt", "exact figures — confidential"),
    "exact_toggle": ("Exakta siffror (konfidentiellt)", "Exact figures (confidential)"),
    "exact_help": ("För lönekartläggningen och EU-rapporten: inga siffror justeras och små grupper visas. "
                   "Bara för administratörer.",
                   "For the pay survey and the EU report: no figure is adjusted and small groups are shown. "
                   "Administrators only."),
    "exact_banner": ("Exakta siffror – konfidentiellt. Inget är justerat eller dolt: dela dem bara med dem "
                     "som har rätt att se dem.",
                     "Exact figures — confidential. Nothing is adjusted or hidden: share them only with those "
                     "entitled to see them."),
    "exact_passphrase": ("Lösenfras för exakta siffror", "Passphrase for exact figures"),
    "exact_file": ("exakt-konfidentiellt", "exact-confidential"),
    "method_privacy_title": ("Så skyddas enskilda personer", "How individuals are protected"),
    "method_privacy": (
        "Balans visar aldrig en siffra som bygger på färre än k personer, och ingen jämförelse mellan två vyer "
        "(enheter, år, befattningar, sidor, nedladdningar) ska kunna ge tillbaka en person. Därför används "
        "**cellnyckelmetoden**, som SCB använder för befolkningsstatistiken från referensår 2025, ABS i "
        "TableBuilder och ONS:\n\n"
        "1. Varje post (en person ett visst år, eller en rad i ett aggregerat blad) har en slumpnyckel 0–255, "
        "härledd ur den nyckelade pseudonymen och året: samma person har en ny nyckel varje år, så att en "
        "nyckel som någon lyckas räkna ut ett år inte pekar ut någon ett annat år.\n"
        "2. En cells nyckel är summan av dess posters nycklar modulo 256.\n"
        "3. P-tabellen nedan ger brus ur cellnyckeln: högst ±{d}, noll förblir noll, och ett antal på minst k "
        "visas aldrig under k. Samma personer ger därför alltid samma siffra, i varje vy, och skillnaden mellan "
        "två vyer är brus, inte en person.\n"
        "4. Summor (löner, dagar) får brus av cellens två största enskilda bidrag, sammanlagt {m1}–{m2} % av "
        "det största, ur en egen nyckel för storheter som antalens brus inte avslöjar (ABS metod). Ett "
        "medelvärde är den justerade summan delad med antalet; median, percentiler och geometriskt medelvärde "
        "får var sitt eget brus av samma storlek, så att ingen kvot mellan dem är exakt.\n"
        "5. Andelar, kvoter, intervall och löneskillnader räknas från de justerade siffrorna, så att de stämmer "
        "med antalen bredvid. Det som bygger på färre än k personer döljs (k i data/goals.toml: {ks}).\n"
        "6. Siffrorna visas och laddas ned med den noggrannhet en läsare använder, aldrig fler siffror: löner i "
        "hela hundratal kronor, andelar och löneskillnader på 0,1 procentenhet, dagar i hela dagar, "
        "årsarbetskrafter i hela.\n"
        "7. Lönesiffror visas för en befattning eller för alla, aldrig för flera valda tillsammans.\n\n"
        "Administratörer kan visa exakta siffror för lönekartläggningen; allt som görs så märks "
        "\"exakta siffror – konfidentiellt\".",
        "Balans never shows a figure resting on fewer than k persons, and no comparison of two views (units, "
        "years, positions, pages, downloads) should give a person back. It therefore uses the **cell-key "
        "method**, as Statistics Sweden does for its population statistics from reference year 2025, the "
        "ABS in TableBuilder and the ONS:\n\n"
        "1. Every record (a person in one year, or one row of an aggregated sheet) has a random key 0–255, "
        "derived from its keyed pseudonym and the year: a person has a new key every year, so a key someone "
        "manages to work out in one year names nobody in another.\n"
        "2. A cell's key is the sum of its records' keys modulo 256.\n"
        "3. The p-table below turns the cell key into noise: at most ±{d}, zero stays zero, and a count of at "
        "least k is never shown below k. The same people therefore always give the same number, in every "
        "view, and the difference of two views is noise, not a person.\n"
        "4. Sums (salaries, days) get noise from the cell's two largest single contributions, {m1}–{m2} % of "
        "the largest in all, from a key of their own that the counts' noise does not reveal (the ABS's method "
        "for magnitudes). A mean is the adjusted sum over the count; medians, percentiles and geometric means "
        "each get a noise of their own of the same size, so that no ratio between them is exact.\n"
        "5. Shares, ratios, intervals and pay gaps are computed from the adjusted figures, so they agree with "
        "the counts beside them. What rests on fewer than k persons is hidden (k in data/goals.toml: {ks}).\n"
        "6. Figures are shown and downloaded with the precision a reader uses, never more digits: salaries in "
        "whole hundreds of kronor, shares and pay gaps to 0.1 percentage point, days in whole days, FTE "
        "whole.\n"
        "7. Pay figures are shown for one position or for all, never for several chosen together.\n\n"
        "Administrators can show exact figures for the pay survey; everything made that way is marked "
        "\"exact figures — confidential\"."),
    "ptable_noise": ("brus", "noise"),
    "ptable_share": ("andel av cellnycklarna", "share of cell keys"),
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
    "finding_units": ("{n} av {total} underenheter i {unit} har en jämn fördelning {year}", "{n} of {total} sub-units of {unit} are balanced in {year}"),
    # Titles count only what is shown: a hidden sub-unit or programme is neither balanced nor not.
    "finding_units_hidden": ("{n} av {total} visade underenheter i {unit} har en jämn fördelning {year}; dolda: {hidden}",
                             "{n} of {total} shown sub-units of {unit} are balanced in {year}; {hidden} hidden"),
    "finding_bodies": ("{n} av {total} organ i {unit} har en jämn fördelning {year}", "{n} of {total} bodies in {unit} are balanced in {year}"),
    "finding_gci": ("Glastaksindex {value} i {unit} {year} (1 = ingen skillnad)", "Glass Ceiling Index {value} in {unit}, {year} (1 = parity)"),
    # The pay page's headline: the median gap, named as the overview's card names it (goals.HEADLINES[2]).
    "finding_gap": ("Kvinnors medianlön är {value} lägre än mäns i {unit} {year} (medianlöneskillnaden, ojusterad)",
                    "Women's median salary is {value} lower than men's in {unit}, {year} (the unadjusted median pay gap)"),
    "finding_gap_neg": ("Kvinnors medianlön är {value} högre än mäns i {unit} {year} (medianlöneskillnaden {gap}, ojusterad)",
                        "Women's median salary is {value} higher than men's in {unit}, {year} (unadjusted median pay gap {gap})"),
    "finding_pipeline": ("Andelen kvinnor från doktorand till professor i {unit} {year}", "The share of women from PhD student to professor in {unit}, {year}"),
    "finding_segregation": ("Duncans segregationsindex i {unit}", "Duncan's segregation index in {unit}"),
    "gap_pct": ("Ojusterad löneskillnad (% av mäns lön)", "Unadjusted pay gap (% of men's pay)"),
    "quartile": ("Lönekvartil", "Pay quartile"),
    "quartile_1": ("Lägsta kvartilen", "Lowest quartile"), "quartile_2": ("Andra kvartilen", "Second quartile"),
    "quartile_3": ("Tredje kvartilen", "Third quartile"), "quartile_4": ("Högsta kvartilen", "Highest quartile"),
    "finding_quartiles": ("Kvinnor är {top} av de högst betalda och {low} av de lägst betalda i {unit} {year}",
                          "Women are {top} of the best-paid quarter and {low} of the lowest-paid in {unit}, {year}"),
    "finding_gap_trend": ("Medianlöneskillnaden är {value} i {unit} {year}, mot {then} {first}",
                          "The median pay gap is {value} in {unit} in {year}, against {then} in {first}"),
    "finding_spread": ("Kvinnors medianlön är lägre än mäns i {n} av {total} befattningar i {unit} {year}",
                       "Women's median salary is below men's in {n} of {total} positions in {unit}, {year}"),
    "median": ("Median", "Median"), "mean": ("Medel", "Mean"),
    "median_gap": ("Medianlöneskillnad", "Median pay gap"), "mean_gap": ("Medellöneskillnad", "Mean pay gap"),
    "monthly_salary": ("Heltidslön per månad (kr)", "Full-time monthly salary (SEK)"),
    "salary_spread": ("Lönespridning (10, 25, 50, 75 och 90 %)", "Salary spread (10th, 25th, 50th, 75th and 90th percentiles)"),
    "finding_segregation_value": ("Duncans segregationsindex är {value} i {unit} {year}, mot {then} {first} (0 = ingen segregation)",
                                  "Duncan's segregation index is {value} in {unit} in {year}, against {then} in {first} (0 = none)"),
    "managers_lower": ("chefer", "managers"),
    "all_bodies": ("alla organ", "all bodies"),
    "gci_undefined": ("odefinierat: inga kvinnor är professorer", "undefined: no women are professors"),
    "parity": ("ingen skillnad", "parity"),
    "no_chart": ("Inget diagram: för få personer för att visa något. Tabellen visar vad som finns.",
                 "No chart: too few persons to show anything. The table shows what there is."),
    "finding_seats": ("{name}: {share} i {unit} {year}, mot {then} {first}",
                      "{name}: {share} in {unit} in {year}, against {then} in {first}"),
    # education
    "education_intro": ("Delmål 3: jämställd utbildning. Andel kvinnor per program och nivå, och om kvinnor och män fullföljer lika.",
                        "Sub-goal 3: equal education. The share of women per programme and level, and whether women and men complete alike."),
    "finding_programmes": ("{n} av {total} program i {unit} har en jämn fördelning {year}",
                           "{n} of {total} programmes in {unit} are balanced in {year}"),
    "finding_programmes_hidden": ("{n} av {total} visade program i {unit} har en jämn fördelning {year}; dolda: {hidden}",
                                  "{n} of {total} shown programmes in {unit} are balanced in {year}; {hidden} hidden"),
    "finding_students_trend": ("{name}: {share} i {unit} {year}, mot {then} {first}",
                               "{name}: {share} in {unit} in {year}, against {then} in {first}"),
    "completion": ("Examen per nybörjare", "Degrees per new entrant"),
    "finding_completion": ("På grundnivå tar {women} av kvinnorna och {men} av männen examen i {unit} ({first}–{last})",
                           "At first cycle, {women} of women and {men} of men take a degree in {unit} ({first}–{last})"),
    # care
    "care_intro": ("Delmål 4: jämn fördelning av det obetalda hem- och omsorgsarbetet. Föräldraledighet och vab per person, och mäns andel av föräldraledigheten mot deras andel av personalen.",
                   "Sub-goal 4: an equal share of unpaid care work. Parental leave and care of a sick child per person, and men's share of parental leave against their share of staff."),
    "men_share_parental": ("Mäns andel av föräldraledighetsdagarna", "Men's share of parental-leave days"),
    "men_share_staff": ("Mäns andel av personalen", "Men's share of staff"),
    "finding_care": ("{name}: {ratio} i {unit} {year} – män tog {parental} av föräldraledigheten och är {staff} av "
                     "personalen (1 = i proportion)",
                     "{name}: {ratio} in {unit}, {year} – men took {parental} of parental leave and are {staff} of "
                     "staff (1 = in proportion)"),
    "days_per_person": ("Dagar per person", "Days per person"),
    "finding_care_days": ("{women} föräldradagar per kvinna och {men} per man i {unit} {year}",
                          "{women} parental-leave days per woman and {men} per man in {unit}, {year}"),
    "parental_per_woman": ("Föräldraledighet per kvinna", "Parental leave per woman"),
    "parental_per_man": ("Föräldraledighet per man", "Parental leave per man"),
    "care_per_woman": ("Vab per kvinna", "Care of sick child per woman"),
    "care_per_man": ("Vab per man", "Care of sick child per man"),
    # health
    "health_intro": ("Delmål 5: jämställd hälsa. Sjukfrånvaron som andel av tillgänglig tid, FTE-viktad.",
                     "Sub-goal 5: equal health. Sick leave as a share of available time, weighted by FTE."),
    "sick_rate": ("Sjukfrånvaro", "Sick-leave rate"),
    "finding_sick": ("{name}: {ratio} i {unit} {year} – sjukfrånvaron är {women} för kvinnor och {men} för män",
                     "{name}: {ratio} in {unit}, {year} – sick leave is {women} for women and {men} for men"),
    # safety
    "safety_intro": ("Delmål 6: mäns våld mot kvinnor ska upphöra. Anmälda ärenden per 100 anställda; små tal döljs.",
                     "Sub-goal 6: men's violence against women must stop. Reported cases per 100 staff; small numbers are hidden."),
    "incidents": ("Anmälda ärenden", "Reported cases"),
    "finding_incidents": ("{women} ärenden per 100 kvinnor och {men} per 100 män bland {population} i {unit} {year}",
                          "{women} cases per 100 women and {men} per 100 men among {population} in {unit}, {year}"),
    "finding_exposed": ("{name}: {share} i {unit} {year}", "{name}: {share} in {unit}, {year}"),
    "finding_exposed_cases": ("{name}: {share} i {unit} {year} – anmälda ärenden: {women} per 100 kvinnor och {men} per "
                              "100 män bland {population}",
                              "{name}: {share} in {unit}, {year} – reported cases: {women} per 100 women and {men} per "
                              "100 men among {population}"),
    "pop_staff": ("de anställda", "staff"), "pop_students": ("studenterna", "students"),
    "per_100": ("per 100 personer", "per 100 persons"),
    # recruitment
    "recruitment_intro": ("Andel kvinnor i varje steg från sökande till anställd, och hur stor del av de sökande kvinnorna och männen som går vidare.",
                          "The share of women at each stage from applicant to appointed, and how many of the women and men who apply go on."),
    "per_unit": ("Per underenhet", "Per sub-unit"),
    "rollup": ("Sammantaget", "Rolled up"),
    "funnel": ("Rekryteringstratten", "The recruitment funnel"),
    "finding_funnel": ("Kvinnor är {applicants} av de sökande och {appointed} av de anställda i {unit} {year}",
                       "Women are {applicants} of applicants and {appointed} of those appointed in {unit}, {year}"),
    "simpson_note": ("Jämför alltid båda delarna: den sammanslagna bilden kan vända på den som varje underenhet visar (Simpsons paradox), när kvinnor och män söker sig till enheter med olika konkurrens.",
                     "Always read both sides: the rolled-up picture can reverse what every sub-unit shows (Simpson's paradox), when women and men apply to units with different competition."),
    "simpson_found": ("Här vänder det: i varje underenhet går det annorlunda för kvinnor än sammantaget. Läs per underenhet.",
                      "It happens here: every sub-unit shows the opposite of the roll-up. Read the sub-units."),
    "promotions": ("Befordringar", "Promotions"),
    "finding_promotions": ("{women} av kvinnornas och {men} av männens ansökningar om befordran beviljades i {unit} {year}",
                           "{women} of women's and {men} of men's promotion applications were granted in {unit}, {year}"),
}

LEVELS = {"first": ("grundnivå", "first cycle"), "second": ("avancerad nivå", "second cycle"),
          "third": ("forskarnivå", "third cycle"), "all": ("alla nivåer", "all levels")}
MEASURES = {"registered": ("registrerade", "registered"), "new_entrants": ("nybörjare", "new entrants"),
            "degrees": ("examina", "degrees")}
CATEGORIES = {"harassment": ("trakasserier", "harassment"), "sexual_harassment": ("sexuella trakasserier", "sexual harassment"),
              "discrimination": ("diskriminering", "discrimination"), "victimisation": ("repressalier", "victimisation"),
              "all": ("alla ärenden", "all cases")}
STAGES = {"applicants": ("sökande", "applicants"), "shortlisted": ("kallade", "shortlisted"),
          "offered": ("erbjudna", "offered"), "appointed": ("anställda", "appointed")}

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
    # She Figures' grades, named by who is in them (schema.SHE_FIGURES_GRADE): "grad C" alone says
    # nothing to a reader who does not know She Figures.
    "A": ("professorer (grad A)", "professors (grade A)"), "B": ("lektorer (grad B)", "associate professors (grade B)"),
    "C": ("meriteringsanställda (grad C)", "early-career staff (grade C)"), "D": ("doktorander (grad D)", "PhD students (grade D)"),
}

BODY_TYPES = {"all": ("alla organ", "all bodies"), "decision": ("beslutande", "decision-making"), "decision-making": ("beslutande", "decision-making"),
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
    "name_sv": ("Namn (sv)", "Name (sv)"), "name_en": ("Namn (en)", "Name (en)"), "is_total": ("Summa", "Total row"),
    "level": ("Nivå", "Level"), "programme": ("Program", "Programme"), "measure": ("Mått", "Measure"),
    "category": ("Kategori", "Category"), "population": ("Per", "Per"), "source": ("Källa", "Source"),
    "target_met": ("Målet nått", "Target met"), "first_year": ("Från år", "From"), "last_year": ("Till år", "To"),
    "new_women": ("Nybörjare, kvinnor", "New entrants, women"), "new_men": ("Nybörjare, män", "New entrants, men"),
    "degrees_women": ("Examina, kvinnor", "Degrees, women"), "degrees_men": ("Examina, män", "Degrees, men"),
    "completion_women": ("Examen per nybörjare, kvinnor", "Completion, women"),
    "completion_men": ("Examen per nybörjare, män", "Completion, men"),
    "ratio_women_men": ("Kvot kvinnor/män", "Ratio women/men"),
    "parental_days_women": ("Föräldradagar, kvinnor", "Parental days, women"),
    "parental_days_men": ("Föräldradagar, män", "Parental days, men"),
    "care_days_women": ("Vab-dagar, kvinnor", "Care days, women"), "care_days_men": ("Vab-dagar, män", "Care days, men"),
    "parental_per_woman": ("Föräldradagar per kvinna", "Parental days per woman"),
    "parental_per_man": ("Föräldradagar per man", "Parental days per man"),
    "care_per_woman": ("Vab-dagar per kvinna", "Care days per woman"), "care_per_man": ("Vab-dagar per man", "Care days per man"),
    "men_share_parental": ("Mäns andel av föräldradagarna", "Men's share of parental days"),
    "men_share_staff": ("Mäns andel av personalen", "Men's share of staff"),
    "parity_ratio": ("Kvot (1 = i proportion)", "Ratio (1 = in proportion)"),
    "sick_days_women": ("Sjukdagar, kvinnor", "Sick days, women"), "sick_days_men": ("Sjukdagar, män", "Sick days, men"),
    "available_days_women": ("Tillgängliga dagar, kvinnor", "Available days, women"),
    "available_days_men": ("Tillgängliga dagar, män", "Available days, men"),
    "rate_women": ("Andel/takt, kvinnor", "Rate, women"), "rate_men": ("Andel/takt, män", "Rate, men"),
    "rate_total": ("Andel/takt, alla", "Rate, all"),
    "long_term_women": ("Långtidssjuka kvinnor", "Long-term sick women"), "long_term_men": ("Långtidssjuka män", "Long-term sick men"),
    "population_women": ("Kvinnor (bas)", "Women (base)"), "population_men": ("Män (bas)", "Men (base)"),
    "population_total": ("Alla (bas)", "All (base)"),
    "respondents_women": ("Svarande kvinnor", "Respondents, women"), "respondents_men": ("Svarande män", "Respondents, men"),
    "exposed_women": ("Utsatta kvinnor", "Exposed, women"), "exposed_men": ("Utsatta män", "Exposed, men"),
    "exposed_share_women": ("Utsatta, andel kvinnor", "Exposed, share of women"),
    "exposed_share_men": ("Utsatta, andel män", "Exposed, share of men"),
    "conversion_women": ("Gick vidare, kvinnor", "Went on, women"), "conversion_men": ("Gick vidare, män", "Went on, men"),
    "conversion_women_low": ("KI nedre, kvinnor", "CI low, women"), "conversion_women_high": ("KI övre, kvinnor", "CI high, women"),
    "conversion_men_low": ("KI nedre, män", "CI low, men"), "conversion_men_high": ("KI övre, män", "CI high, men"),
    "conversion_ratio": ("Kvot kvinnor/män", "Ratio women/men"),
    "applied_women": ("Sökte, kvinnor", "Applied, women"), "applied_men": ("Sökte, män", "Applied, men"),
    "applied_other": ("Sökte, annat", "Applied, other"), "granted_women": ("Beviljades, kvinnor", "Granted, women"),
    "granted_men": ("Beviljades, män", "Granted, men"), "granted_other": ("Beviljades, annat", "Granted, other"),
    "success_women": ("Beviljandegrad, kvinnor", "Success, women"), "success_men": ("Beviljandegrad, män", "Success, men"),
    "success_women_low": ("KI nedre, kvinnor", "CI low, women"), "success_women_high": ("KI övre, kvinnor", "CI high, women"),
    "success_men_low": ("KI nedre, män", "CI low, men"), "success_men_high": ("KI övre, män", "CI high, men"),
    "success_ratio": ("Kvot kvinnor/män", "Ratio women/men"),
    "share_women_applied": ("Andel kvinnor bland sökande", "Share of women, applied"),
    "share_women_granted": ("Andel kvinnor bland beviljade", "Share of women, granted"),
    "mean_women": ("Medellön kvinnor", "Mean, women"), "mean_men": ("Medellön män", "Mean, men"),
    "median_women": ("Medianlön kvinnor", "Median, women"), "median_men": ("Medianlön män", "Median, men"),
    "mean_gap_pct": ("Ojusterad löneskillnad, medel (% av mäns)", "Unadjusted pay gap, mean (% of men's)"),
    "median_gap_pct": ("Ojusterad löneskillnad, median (% av mäns)", "Unadjusted pay gap, median (% of men's)"),
    "women_pct_of_men_mean": ("Kvinnors medellön i % av mäns", "Women's mean as % of men's"),
    "women_pct_of_men_median": ("Kvinnors medianlön i % av mäns", "Women's median as % of men's"),
    "flag": ("Flagga", "Flag"), "quartile": ("Kvartil", "Quartile"), "duncan": ("Duncans D", "Duncan's D"),
    "categories": ("Kategorier", "Categories"), "gender": ("Kön", "Gender"), "n": ("Antal", "Number"),
    "job_level": ("Befattningsnivå", "Job level"), "mean_salary": ("Medellön", "Mean salary"),
    "women_dominated": ("Kvinnodominerad", "Women-dominated"), "covariates": ("Förklarande faktorer", "Covariates"),
    "unadjusted_gap_pct": ("Ojusterad löneskillnad, geometriskt medel (% av mäns)",
                           "Unadjusted pay gap, geometric mean (% of men's)"),
    "adjusted_gap_pct": ("Justerad löneskillnad (% av mäns)", "Adjusted pay gap (% of men's)"),
    "adjusted_gap_low_pct": ("Justerad löneskillnad, 95 % KI nedre (% av mäns)",
                             "Adjusted pay gap, 95 % CI low (% of men's)"),
    "adjusted_gap_high_pct": ("Justerad löneskillnad, 95 % KI övre (% av mäns)",
                              "Adjusted pay gap, 95 % CI high (% of men's)"),
    "difference": ("Skillnad i medellön, b − a (kr)", "Difference in mean salary, b − a (SEK)"),
    "difference_pct": ("Skillnad i medellön (% av grupp b:s)", "Difference in mean salary (% of group b's)"),
    "share_explained": ("Andel förklarad", "Share explained"), "part": ("Del", "Part"),
    "bodies": ("Organ", "Bodies"), "bodies_balanced": ("Organ i balans", "Bodies balanced"),
    "share_bodies_balanced": ("Andel organ i balans", "Share of bodies balanced"),
    "share_chairs_women": ("Andel kvinnliga ordförande", "Share of women chairs"),
    "chairs_women": ("Ordförande, kvinnor", "Chairs, women"), "chairs_men": ("Ordförande, män", "Chairs, men"),
    "chairs_other": ("Ordförande, annat", "Chairs, other"), "grade": ("Grad", "Grade"),
    "position_category": ("Befattningskategori", "Position category"),
    "change_1y_pp": ("Förändring 1 år (p.e.)", "Change 1 year (pp)"), "change_5y_pp": ("Förändring 5 år (p.e.)", "Change 5 years (pp)"),
}

SHARE_LIKE = ("share", "ci_low", "ci_high")


def t(key: str, lang: str = "en", **values) -> str:
    """The text for key in the language, with {placeholders} filled; an unknown key shows itself. A key
    "<book>:<key>" is that catalogue book's word (catalogue.named); another key these tables do not hold
    is looked up in every book's [text] (the pay book's page titles)."""
    pair = TEXT.get(key) or named(key) or _in_book_texts(key)
    text = key if pair is None else pair[0 if lang == "sv" else 1]
    return text.format(**values) if values else text


def pick(pair: tuple[str, str] | None, lang: str, default: str = "") -> str:
    return default if pair is None else pair[0 if lang == "sv" else 1]


def position(code: str, lang: str = "en") -> str:
    return pick(POSITIONS.get(code), lang, str(code))


def body_type(code, lang: str = "en") -> str:
    return pick(BODY_TYPES.get(str(code)), lang, "" if code is None else str(code))


def level(code, lang: str = "en") -> str:
    return pick(LEVELS.get(str(code)), lang, str(code))


def measure(code, lang: str = "en") -> str:
    return pick(MEASURES.get(str(code)), lang, str(code))


def category(code, lang: str = "en") -> str:
    return pick(CATEGORIES.get(str(code)), lang, str(code))


def stage(code, lang: str = "en") -> str:
    return pick(STAGES.get(str(code)), lang, position(code, lang))


def column(name: str, lang: str = "en") -> str:
    return pick(COLUMNS.get(name), lang, name.replace("_", " "))


def status(code: str, lang: str = "en") -> str:
    return t(f"status_{code}", lang) if f"status_{code}" in TEXT else str(code)


def _missing(x) -> bool:
    # Without exceptions on the common path: tables format thousands of cells a run.
    if x is None:
        return True
    if isinstance(x, (int, float)) or hasattr(x, "dtype"):
        try:
            return not math.isfinite(x)
        except (TypeError, ValueError):
            return True
    return x is pd_NA or x != x


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


def split_hidden(row) -> bool:
    """A hidden row that still shows its total while women and men are left out: what is hidden is
    the split, not the group (representation's rule: one gender has 1..k-1, the total rests on k)."""
    total = row.get("total")
    return ("women" in row and "men" in row and _missing(row.get("women")) and _missing(row.get("men"))
            and not _missing(total) and float(total) > 0)


def hidden_reason(row, k: int, lang: str = "en") -> str:
    """Why a hidden row is hidden, as the chart and the table beside it both say it: the split (the
    total is shown), the figures (women and men are shown, too few of one for pay: the art. 9
    report's 0 women and 12 men) or the whole group."""
    if split_hidden(row):
        return t("hidden_split", lang, k=k, total=number(row.get("total"), lang))
    if "women" in row and "men" in row and not _missing(row.get("women")) and not _missing(row.get("men")):
        return t("hidden_figures", lang, k=k)
    return t("hidden_reason", lang, k=k)


def pct_points(value, lang: str = "en", decimals: int = 1) -> str:
    """A value already in percent (a pay gap of 3.2) as '3,2 %'."""
    return "–" if _missing(value) else f"{number(value, lang, decimals)}\u00a0%"


# --- problems found in an imported file ---------------------------------------------------------
# Each problem the checks (store/check.py) find has a code; its words are here, (Swedish, English). The command line
# prints the English of CLI_PROBLEMS where it differs (it names Balans' own column names), else the
# English here: those are the exact words tests/data/bad/expected.csv checks. A page shows the
# language it is in, with the file's own headers (the *_in_file parameters).
PROBLEMS: dict[str, tuple[str, str]] = {
    "empty_file": ("filen är tom", "the file is empty"),
    "too_large": ("filen är {size} MB, över gränsen på {limit} MB", "the file is {size} MB, over the limit of {limit} MB"),
    "not_spreadsheet": ("'{suffix}' är inte en filtyp som Balans läser (xlsx, xls, ods eller csv)",
                        "'{suffix}' is not a spreadsheet type Balans reads (xlsx, xls, ods or csv)"),
    "password": ("arbetsboken är lösenordsskyddad: spara den utan lösenord och försök igen",
                 "the workbook is password-protected: save it without a password and try again"),
    "renamed": ("filen är ingen riktig {suffix}-arbetsbok (har den bytt namn?)",
                "the file is not a real {suffix} workbook (was it renamed?)"),
    "damaged": ("arbetsboken är skadad eller ofullständig och kan inte öppnas",
                "the workbook is damaged or truncated and cannot be opened"),
    "bomb": ("arbetsboken säger att den packas upp till {size} MB, över gränsen på {limit} MB (en komprimeringsbomb?)",
             "the workbook says it unpacks to {size} MB, over the limit of {limit} MB (a compressed bomb?)"),
    "no_separator": ("ingen kolumnavgränsare (; , eller tabb) på första raden",
                     "no column separator (; , or tab) found in the first line"),
    "misaligned": ("kolumnerna stämmer inte: rad {line} har {fields} fält, fler än rubrikraden",
                   "the columns do not line up: row {line} has {fields} fields, more than the header"),
    "misaligned_comma": ("kolumnerna stämmer inte: rad {line} har {fields} fält, fler än rubrikraden "
                         "(decimalkomma i en kommaseparerad fil? spara den med semikolon)",
                         "the columns do not line up: row {line} has {fields} fields, more than the header "
                         "(decimal commas in a comma-separated file? save it with semicolons)"),
    "misaligned_other": ("kolumnerna stämmer inte: {detail}", "the columns do not line up: {detail}"),
    "cannot_open": ("filen kan inte öppnas: {detail}", "cannot open the file: {detail}"),
    "unreadable": ("arbetsboken kan inte läsas ({detail})", "the workbook cannot be read ({detail})"),
    "error_cell": ("en felcell ({value}): rätta den eller töm cellen", "an error cell ({value}): correct it or empty the cell"),
    "formula_no_result": ("en formel utan sparat resultat: skriv in värdet, eller öppna och spara filen i Excel så att "
                          "formlerna får resultat",
                          "a formula with no saved result: type the value in, or open and save the file in Excel so "
                          "that its formulas have results"),
    "names_dropped": ("en kolumn med namn sparas aldrig: den togs bort", "a column of names is never stored: it was dropped"),
    "unknown_column": ("okänd kolumn för en flik med {kind}: utelämnad", "unknown column for a {kind} sheet: left out"),
    "duplicate_column": ("samma kolumn som {first_in_file}: behåll bara den ena",
                         "the same column as {first_in_file}: keep only one of them"),
    "missing_column": ("den obligatoriska kolumnen saknas (godtas också: {aliases})",
                       "the required column is missing (also accepted: {aliases})"),
    "missing_derivable": ("den obligatoriska kolumnen saknas, och inget id i filen är ett personnummer att läsa den ur "
                          "(godtas också: {aliases})",
                          "the required column is missing, and no id in the file is a personnummer to read it from "
                          "(also accepted: {aliases})"),
    "not_derived": ("inget värde: filen har ingen sådan kolumn, och radens id är inget personnummer att läsa det ur",
                    "no value: the file has no such column, and this row's id is not a personnummer to read it from"),
    "merged_header": ("sammanfogade rubrikceller {cells}: dela upp dem så att varje kolumn får en egen rubrik",
                      "merged header cells {cells}: unmerge them so that every column has a header of its own"),
    "no_header": ("en kolumn med värden men utan rubrik: utelämnad", "a column with values but no header: left out"),
    "totals_row": ("en summarad: ta bort den (Balans summerar själv, och en summa skulle räkna alla två gånger)",
                   "a totals row: remove it (Balans adds up by itself, and a total would count everyone twice)"),
    "column_empty": ("kolumnen är tom på varje rad", "the column is empty in every row"),
    "empty_required": ("tomt värde i en obligatorisk kolumn", "empty value in a required column"),
    "not_year": ("inte ett år mellan 1950 och {last} (i filen: '{found}')",
                 "not a year between 1950 and {last} (found '{found}')"),
    "date_as_year": ("ett datum där ett år ska stå: skriv bara året, t.ex. 2024 (i filen: '{found}')",
                     "a date where a year belongs: write the year alone, e.g. 2024 (found '{found}')"),
    "not_birth_year": ("inte ett födelseår (i filen: '{found}')", "not a birth year (found '{found}')"),
    "bad_fte": ("sysselsättningsgraden måste vara över 0 och högst 100 % (i filen: '{found}')",
                "FTE must be above 0 and at most 100 % (found '{found}')"),
    "fte_percent_among_fractions": (
        "'{found}' bland andelar: {n} av kolumnens {total} värden är andelar (0–1), där '{found}' är över 1 (100 %); "
        "skriv andelen (t.ex. 0,8), eller '{found} %' om procent är menat",
        "'{found}' among fractions: {n} of the column's {total} values are fractions (0–1), where '{found}' is over "
        "1 (100 %); write the fraction (e.g. 0.8), or '{found} %' if percent is meant"),
    "fte_fraction_among_percent": (
        "'{found}' bland procentsatser: {n} av kolumnens {total} värden är i procent (1–100), där '{found}' vore "
        "{found} %; skriv procentsatsen (t.ex. 80 för 80 %), eller '{found} %' om det är menat (en cell formaterad "
        "som procent i Excel innehåller 0,8 för 80 %)",
        "'{found}' among percentages: {n} of the column's {total} values are in percent (1–100), where '{found}' "
        "would be {found} %; write the percentage (e.g. 80 for 80 %), or '{found} %' if that is meant (a cell "
        "formatted as percent in Excel holds 0.8 for 80 %)"),
    "fte_mixed": ("kolumnen har lika många andelar (0–1) som procentsatser (1–100), {n} av varje, så det går inte att "
                  "se hur '{found}' ska läsas: skriv alla på ett sätt, eller sätt % efter procentsatserna",
                  "the column holds as many fractions (0–1) as percentages (1–100), {n} of each, so '{found}' cannot "
                  "be read: write every value one way, or put % after the percentages"),
    "fte_fraction_in_percent_column": (
        "rubriken säger procent, men '{found}' är en andel (0–1): skriv procentsatsen (t.ex. 80 för 80 %), eller "
        "'{found} %' om det är menat",
        "the header says percent, but '{found}' is a fraction (0–1): write the percentage (e.g. 80 for 80 %), or "
        "'{found} %' if that is meant"),
    "fte_percent_in_fraction_column": (
        "rubriken säger andel (0–1), men '{found}' är över 1: skriv andelen (t.ex. 0,8), eller '{found} %' om "
        "procent är menat",
        "the header says fractions (0–1), but '{found}' is over 1: write the fraction (e.g. 0.8), or '{found} %' "
        "if percent is meant"),
    "bad_salary": ("inte en månadslön i kronor mellan 1 000 och {top} (i filen: '{found}')",
                   "not a monthly salary in SEK between 1 000 and {top} (found '{found}')"),
    "salary_annual": ("'{found}' är mer än en månadslön kan vara ({top} kr): en årslön? Kolumnen ska ha heltidslönen "
                      "per månad ({month} kr i månaden, om det är en årslön)",
                      "'{found}' is more than a monthly salary can be ({top} SEK): an annual salary? The column holds "
                      "the full-time salary per month ({month} a month, if this is a year's pay)"),
    "header_annual": ("rubriken säger årsbelopp ('{unit}'): Balans läser heltidslönen per månad (månadslön); ge "
                      "månadslönerna",
                      "the header says annual amounts ('{unit}'): Balans reads the full-time salary per month "
                      "(månadslön); give the monthly salaries"),
    "header_hours": ("rubriken säger timmar ('{unit}'): Balans räknar dagar här; ge antalet dagar",
                     "the header says hours ('{unit}'): Balans counts days here; give the number of days"),
    "header_unit": ("rubriken anger enheten '{unit}', som den här kolumnen inte skrivs i: ta bort enheten eller ge "
                    "kolumnen som mallen har den",
                    "the header gives the unit '{unit}', which this column is not written in: remove the unit or "
                    "give the column as the template has it"),
    "days_over_available": ("{found} dagar är fler än personalen hade ({available} dagar): timmar i stället för dagar?",
                            "{found} days are more than the staff had ({available} days): hours rather than days?"),
    "not_number": ("inte ett tal (i filen: '{found}')", "not a number (found '{found}')"),
    "bad_days": ("inte ett antal dagar från 0 till 366 (i filen: '{found}')",
                 "not a number of days from 0 to 366 (found '{found}')"),
    "bad_count": ("inte ett antal (ett heltal, 0 eller mer) (i filen: '{found}')",
                  "not a count (a whole number, 0 or more) (found '{found}')"),
    "ambiguous_thousands": ("'{found}': tusentalsavgränsare eller decimaler? Ett antal har inga decimaler: skriv "
                            "talet utan avgränsare eller med mellanslag (1000 eller 1 000)",
                            "'{found}': a thousands separator or decimals? A count has no decimals: write the number "
                            "without a separator or with a space (1000 or 1 000)"),
    "bad_bool": ("inte ja/nej (i filen: '{found}')", "not yes/no (ja/nej) (found '{found}')"),
    "unknown_value": ("okänt värde '{found}' (förväntat ett av: {choices})",
                      "unknown value '{found}' (expected one of: {choices})"),
    "unmapped_titles": ("{n} befattning(ar) finns inte i data/positions.csv och räknas som 'övriga': {titles}",
                        "{n} job title(s) not in data/positions.csv, counted as 'other': {titles}"),
    "two_parents": ("enheten {unit} har två överordnade enheter ({first} och {second})",
                    "unit {unit} appears with two parent units ({first} and {second})"),
    "duplicate_person": ("samma person två gånger samma år (rad {rows})", "the same person twice in one year (rows {rows})"),
    "duplicate_key": ("samma {keys_in_file} två gånger (rad {rows})", "the same {keys_in_file} twice (rows {rows})"),
    "duplicate_person_across_sheets": ("samma person samma år som på flik {first_sheet}, rad {first_row}",
                                       "the same person in the same year as on sheet {first_sheet}, row {first_row}"),
    "duplicate_person_across_files": ("samma person samma år som i {first_file}, flik {first_sheet}, rad {first_row}",
                                      "the same person in the same year as in {first_file}, sheet {first_sheet}, "
                                      "row {first_row}"),
    "duplicate_key_across_sheets": ("samma {keys_in_file} som på flik {first_sheet}, rad {first_row}",
                                    "the same {keys_in_file} as on sheet {first_sheet}, row {first_row}"),
    "duplicate_key_across_files": ("samma {keys_in_file} som i {first_file}, flik {first_sheet}, rad {first_row}",
                                   "the same {keys_in_file} as in {first_file}, sheet {first_sheet}, row {first_row}"),
    "unknown_sheet": ("det går inte att se vad fliken innehåller: döp den efter sitt slag ({kinds}) eller ge den "
                      "rubriker som år, anställningsnummer, enhet, befattning, kön",
                      "cannot tell what this sheet holds: name it after its kind ({kinds}) or give headers such "
                      "as year, person_id, unit, position, gender"),
    "store_refused": ("databasen tog inte emot fliken ({detail}): inget importerades",
                      "the database refused the sheet ({detail}): nothing was imported"),
    "no_data_rows": ("filen innehåller inga datarader", "the file holds no data rows"),
}
# The plan's problems (src/indicators/plan/), whose words are in catalogue/plan.toml.
PROBLEMS.update(vocabulary("plan", "problem"))
# The command line's words where they name Balans' internal column names rather than the file's.
CLI_PROBLEMS: dict[str, str] = {
    "duplicate_column": "the column {column_name} appears twice",
    "duplicate_key": "the same {keys} twice (rows {rows})",
    "duplicate_key_across_sheets": "the same {keys} as on sheet {first_sheet}, row {first_row}",
    "duplicate_key_across_files": "the same {keys} as in {first_file}, sheet {first_sheet}, row {first_row}",
}
# Sheet kinds as a page names them (the Swedish is also a sheet name Balans recognises).
KIND_NAMES = {"staff": ("personal", "staff"), "committees": ("organ", "committees"), "units": ("enheter", "units"),
              "students": ("studenter", "students"), "leave": ("frånvaro", "leave"),
              "incidents": ("ärenden", "incidents"), "recruitment": ("rekrytering", "recruitment"),
              "plan": ("plan och lönekartläggning", "plan and pay survey")}
# The fixed vocabularies' values as a page shows them (schema.py holds every accepted spelling).
CHOICES = {"permanent": ("tillsvidare", "permanent"), "temporary": ("visstid", "temporary"),
           "decision-making": ("beslutande", "decision-making"), "preparatory": ("beredande", "preparatory"),
           "chair": ("ordförande", "chair"), "vice_chair": ("vice ordförande", "vice chair"),
           "member": ("ledamot", "member"), "deputy": ("suppleant", "deputy"), "secretary": ("sekreterare", "secretary"),
           "teacher": ("lärare", "teacher"), "student": ("student", "student"), "external": ("extern", "external"),
           "staff": ("personal", "staff"), "first": ("grundnivå", "first cycle"),
           "second": ("avancerad nivå", "second cycle"), "third": ("forskarnivå", "third cycle"),
           "harassment": ("trakasserier", "harassment"), "sexual_harassment": ("sexuella trakasserier", "sexual harassment"),
           "discrimination": ("diskriminering", "discrimination"), "victimisation": ("kränkande särbehandling", "victimisation"),
           "other": ("övrigt", "other")}
YES_NO = {True: ("ja", "yes"), False: ("nej", "no")}
GENDERS = {"woman": ("kvinna", "woman"), "man": ("man", "man"), "other": ("annat/okänt", "other/unknown")}
# The words around a problem's place: "fil.xlsx, flik Personal, rad 3, kolumn kön: ..."
WHERE = {"sheet": ("flik", "sheet"), "row": ("rad", "row"), "column": ("kolumn", "column"),
         "warning": ("varning", "warning"), "error": ("fel", "error")}


def target_words(text, lang: str = "en"):
    """A scorecard's target (goals.py writes it once, in symbols) as the page's language reads it:
    "|gap| ≤ 5 %" as "skillnad inom ±5 %" / "gap within ±5 %" (|gap| is a formula, not a word), and
    in Swedish with decimal commas ("≥ 0,8"). Anything not a string is returned as it is."""
    import re
    if not isinstance(text, str):
        return text
    text = re.sub(r"\|gap\|\s*≤\s*(\S+ %)", lambda m: t("gap_within", lang, value=m.group(1)), text)
    if lang == "sv":
        text = re.sub(r"(?<=\d)\.(?=\d)", ",", text)
    return text


def kind_name(code: str, lang: str = "en") -> str:
    return pick(KIND_NAMES.get(str(code)) or in_any("kind", code), lang, str(code))


def choice(code, lang: str = "en") -> str:
    return pick(CHOICES.get(str(code)) or in_any("choices", code), lang, str(code))


def gender(code, lang: str = "en") -> str:
    return pick(GENDERS.get(str(code)), lang, str(code))


def problem_text(code: str, lang: str = "en", cli: bool = False, **params) -> str:
    """A problem's message. cli=True: the command line's English, which names Balans' column names;
    otherwise the page's words in lang, which name the file's own headers (params *_in_file)."""
    if cli:
        template = CLI_PROBLEMS.get(code) or (PROBLEMS.get(code) or in_any("problems", code))[1]
        values = {k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in params.items()}
        return template.format(**values)
    values = dict(params)
    if "kind" in values:
        values["kind"] = kind_name(values["kind"], lang)
    if "kinds" in values:
        values["kinds"] = ", ".join(kind_name(k, lang) for k in values["kinds"])
    if "choices" in values:
        values["choices"] = ", ".join(choice(c, lang) for c in values["choices"])
    values = {k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in values.items()}
    return pick(PROBLEMS.get(code) or in_any("problems", code), lang, code).format(**values)


def year_span(years) -> str:
    """[2015, 2016, ..., 2025] -> '2015–2025'; [2015, 2017, 2018] -> '2015, 2017–2018'; none -> ''."""
    ys = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)


def synthetic_note(years_by_kind: dict, lang: str = "en") -> str | None:
    """Which kinds and years are demo data (store.synthetic_years), as the banner says it: "Demo data —
    synthetic, not real people: staff for 2015–2025, …"; None when nothing is."""
    if not years_by_kind:
        return None
    by_span: dict[str, list[str]] = {}  # kinds of the same years said together
    for kind, years in years_by_kind.items():
        by_span.setdefault(year_span(years), []).append(kind_name(kind, lang))
    last = " och " if lang == "sv" else " and "
    what = "; ".join(t("kind_years", lang, kind=", ".join(kinds[:-1]) + last + kinds[-1] if len(kinds) > 1 else kinds[0],
                       years=span) for span, kinds in by_span.items())
    return t("demo_banner_what", lang, what=what)


def kind_years(kind: str, years, lang: str = "en") -> str:
    """'staff for 2015–2025' (personal för 2015–2025); a kind without years (units) alone."""
    span = year_span(years if years is not None else [])
    return t("kind_years", lang, kind=kind_name(kind, lang), years=span) if span else kind_name(kind, lang)
