"""The demo university's job evaluation (issue 21), synthetic: a factor plan each year after DO's
Analys Lönelots (four criteria, eleven sub-factors, five levels each) weighted as many municipal plans
were, knowledge 45 %, responsibility 30 %, effort 15 %, working conditions 10 % (so the tilt warning
shows: knowledge 4.5 times, responsibility exactly 3), and every title of the demo's staff sheet scored. Administrators (73 % women) land
in the value group of researchers and assistant professors, who are paid more: the pairs a pay survey
must analyse. The titles careers.py adds are scored as well: a visiting professor (Gästprofessor) as a
professor, an adjunct one (Adjungerad professor, part-time beside a post elsewhere) with less
responsibility for people and for results.
"""

from __future__ import annotations

import pandas as pd

CRITERIA = {
    "knowledge": "kunskaper och färdigheter",
    "responsibility": "ansvar",
    "effort": "ansträngning",
    "working_conditions": "arbetsförhållanden",
}
# (criterion, sub-factor, Swedish name, English name, weight in percent)
FACTORS = (
    ("knowledge", "utbildning", "Utbildning och erfarenhet", "Education and experience", 25),
    ("knowledge", "problemlösning", "Problemlösning", "Problem solving", 12),
    ("knowledge", "sociala_färdigheter", "Sociala färdigheter", "Social skills", 8),
    ("responsibility", "ansvar_personer", "Ansvar för personer", "Responsibility for people", 10),
    ("responsibility", "ansvar_resultat", "Ansvar för resultat", "Responsibility for results", 12),
    ("responsibility", "ansvar_information", "Ansvar för information", "Responsibility for information", 8),
    ("effort", "psykisk", "Psykisk ansträngning", "Mental effort", 6),
    ("effort", "fysisk", "Fysisk ansträngning", "Physical effort", 4),
    ("effort", "emotionell", "Emotionell ansträngning", "Emotional effort", 5),
    ("working_conditions", "fysisk_miljö", "Fysisk arbetsmiljö", "Physical environment", 5),
    ("working_conditions", "psykosocial_miljö", "Psykosocial arbetsmiljö", "Psychosocial environment", 5),
)
LEVELS = 5
# Each title's level on the sub-factors, in FACTORS' order.
SCORES = {
    "Doktorand": (3, 3, 2, 1, 2, 2, 3, 1, 2, 1, 3),
    "Postdoktor": (4, 4, 2, 1, 3, 2, 3, 1, 2, 1, 3),
    "Forskare": (4, 4, 3, 2, 3, 3, 3, 1, 2, 1, 3),
    "Biträdande lektor": (4, 4, 3, 2, 3, 3, 4, 1, 3, 1, 3),
    "Adjunkt": (3, 3, 4, 2, 3, 3, 3, 1, 4, 1, 3),
    "Universitetslektor": (5, 4, 4, 3, 4, 3, 4, 1, 3, 1, 3),
    "Professor": (5, 5, 4, 4, 5, 4, 4, 1, 3, 1, 3),
    "Gästprofessor": (5, 5, 4, 4, 5, 4, 4, 1, 3, 1, 3),
    "Adjungerad professor": (5, 5, 4, 2, 4, 4, 4, 1, 3, 1, 3),
    "Administratör": (3, 3, 4, 2, 3, 4, 3, 2, 4, 2, 3),
    "Tekniker": (3, 3, 2, 1, 3, 2, 2, 4, 2, 4, 2),
}


def factor_plan(years) -> pd.DataFrame:
    """The factor plan (FACTORS) for each of `years`."""
    return pd.DataFrame(
        [
            {
                "year": y,
                "criterion": CRITERIA[c],
                "subfactor": s,
                "name_sv": sv,
                "name_en": en,
                "weight": w,
                "levels": LEVELS,
            }
            for y in years
            for c, s, sv, en, w in FACTORS
        ]
    )


def job_scores(years) -> pd.DataFrame:
    """Every title's level on every sub-factor (SCORES) for each of `years`."""
    return pd.DataFrame(
        [
            {"year": y, "job": job, "subfactor": f[1], "level": level}
            for y in years
            for job, levels in SCORES.items()
            for f, level in zip(FACTORS, levels)
        ]
    )
