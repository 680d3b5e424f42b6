"""The yearly plan and the pay survey's record: measures with owners, deadlines and follow-up.

What a unit's equality group (at KTH the JML group, at Chalmers the local gender equality group) plans
each year and follows up, kept beside the numbers it is about: measures per unit and year (sub-goal,
goal area, the linked indicator and the unit's own target, who, when, status, cost, evidence,
participants), and the pay survey's record (Diskrimineringslagen ch. 3 §§ 8-12, EU 2023/970 art. 9-10),
every change audited. README, "The plan and the pay survey's record".

Split by job, from the bottom up; each module imports only those above it in this list:

* `links`     the indicators a measure may work towards ([link.plan] in columns.toml) and whether a
              target on one is a share. The scorecard (goals.py) reads the same declaration, not this
              package: the plan's follow-up reaches the charts, which reach the scorecard;
* `fields`    the template's sheets and their fields: headers from columns.toml, choices from
              catalogue/plan.toml;
* `rules`     one cell read, one measure or finding checked, the art. 10 path; problems as codes;
* `records`   the three tables read, and every change checked, written in one transaction and audited;
* `followup`  each measure against its indicator and target, progress by sub-goal, the charts' targets,
              the slide (the only module that needs the charts);
* `survey`    the pay survey's record for a year, computed from the pay indicators (exact);
* `editor`    what the Plan page's data editors change;
* `workbook`  the template, a plan in the template's form, the record as xlsx and offline HTML;
* `importer`  a filled template checked (ingest.Problem with codes, in the page's language) and imported.

The cut follows what each caller needs: the overview needs `followup`,
the demo `records` and `survey`, the command line `importer` and `workbook`. `followup` and `survey`
are apart although both read: the record is exact and for administrators, the plan is published.
Callers import from the module that holds the name; this file hands nothing on. Every word shown is
in catalogue/plan.toml and every column's label in columns.toml, so every table goes through
columns.shown like any other table. No Streamlit here.
"""
