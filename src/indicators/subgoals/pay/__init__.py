"""Pay (sub-goal 2, economic equality): what the yearly pay survey ("lönekartläggning") must examine.

Diskrimineringslagen (2008:567) ch. 3 §§ 8-10 asks every employer, each year, to survey pay for
equal work and for work of equal value; the EU Pay Transparency Directive (2023/970) adds a report
of the gap by category of worker. A module per area, each with its indicators' metadata in
`<module>.meta.toml` beside it (registry.INDICATOR_MODULES lists them; nothing is re-exported here):

* `scope`: the people in scope and their pay in the chosen measure, the sums by gender, the gaps and
  the protection every pay table shares;
* `gap`: `pay_gap`, `pay_gap_trend`, the unadjusted gap, mean and median, for a unit and year (or years);
* `equal_work`: the same figures per unit x position and per position across the chosen unit;
* `equal_value`: `equal_value`, `equal_value_pairs`, groups by position and value level (the job
  evaluation's value group, else the job level), and each women-dominated group paid less than a group
  that is not women-dominated with an equal or lower value;
* `quartiles`: `pay_quartiles`, the share of women in each pay quartile (UK SI 2017/172 reg. 13);
* `transparency`: `pay_transparency`, the directive's art. 9 set;
* `model`: `adjusted_gap`, an OLS of log salary on gender and covariates (statsmodels);
* `distribution`: `salary_distribution`, percentiles by gender per position, for a box plot.

Salary: `monthly_salary` is the full-time monthly salary in SEK (docs/data-formats.md, "Data formats", the
staff sheet). Balans
assumes it is already full-time: it is never divided by FTE and nothing is weighted by FTE. A file
that gives actual (part-time) pay must be converted before import.

Two genders: pay figures compare women and men; people recorded with another or unknown gender, and
people without a salary, are outside every pay table (a group of one or two would expose them).

Privacy (privacy.py, the cell-key method): every table here is a *base* table that
`registry.compute` publishes. Counts of women and men with a salary carry the sums of their record
keys (`women__ck`) and magnitude keys (`women__mk`), and are perturbed by the p-table (at most ±2, the
measure "people", so the same women get the same published count on every page); each group's salary
sum is a magnitude perturbed by the ABS's top-contributor noise m·(u1·x1 + u2·x2/2) of its two largest
salaries (`__max`, `__max2`; m = magnitude_noise, 0.5 in goals.toml: a quarter to three quarters of
the top salary), u1 and u2 from the group's magnitude key. Its mean is S'/n; its median and the other
location statistics (percentiles, the geometric means behind the adjusted gap) each move by a noise of
their own of that size over n (`SALARY_STATISTICS`), so no ratio of two of them is exact. Every salary
figure is then published in whole hundreds of kronor and every gap to 0.1 percentage point (the
columns' declared precision). Gaps, women's pay as a percentage of men's and the flags are computed
afterwards from the published, rounded means and medians (`derive`), so they agree with the figures
beside them. A pay figure is shown only where at least k women and k men have a salary
(`every_gender`, on the true and on the published counts); groups counted by head (equal_value, the
quartile bands) follow the head-count rule. No table shows a minimum, maximum or quartile boundary,
and percentiles never touch the lowest or highest salary of a group (see `salary_distribution`).
Every table here is for one position or for all (`pay_scope`, privacy.one_position_or_all): several
chosen positions give all.

What now holds: a hidden group's figures cannot be worked out exactly by differencing, neither
within a table nor between queries (a sub-unit against its parent, all positions against one,
pay_transparency against equal_value): two overlapping groups carry a different noise each, from
magnitude keys that the count noise does not reveal, so the difference of two published sums is the
hidden salaries plus the difference of two noises of a quarter to three quarters of a top salary;
the rounding leaves no digit of a true count. Complementary suppression (hiding further groups so
that hidden ones cannot be solved for) is therefore gone: it protected one table's margins, and the
free filters make margins no single table knows of. What holds only in part: one difference can land
near the truth by chance (the two noises about equal), and the few differences that remain (one per
unit, employment type and year) can be averaged; the noise is bounded, not a guarantee. Those allowed
exact figures (`Filters.exact`, HR's pay survey and the art. 9 report) get the true figures with
nothing hidden.
"""
