"""Method: the definition, formula and source of every indicator, from the registry."""

import pandas as pd
import streamlit as st

from indicators import settings
from indicators.catalogue import pick, texts, word
from indicators.catalogue.numbers import percent
from indicators.present import columns
from indicators.protect import privacy, registry
from views import _data as data
from views._filters import view

t = texts("app")

v = view()
st.title(t("page_method", v.lang))
st.caption(t("method_intro", v.lang))

st.subheader(t("method_privacy_title", v.lang))
# goals.toml's own keys, written as code: a setting's name, not a word of the page
ks = ", ".join(f"`{name}` = {value}" for name, value in settings.goals()["privacy"].items() if name.startswith("k"))
m = privacy.magnitude_noise()
# the top-contributor noise: m/2 to m (x1 + x2/2) <= 1.5 m of the largest contribution (privacy.py)
st.markdown(t("method_privacy", v.lang, d=privacy.MAX_NOISE, m1=f"{50 * m:g}", m2=f"{150 * m:g}", ks=ks))
noise, share = privacy.ptable_summary()
st.dataframe(
    pd.DataFrame(
        {
            t("ptable_noise", v.lang): [f"{d:+d}" for d in noise],
            t("ptable_share", v.lang): [percent(x, v.lang, 1) for x in share],
        }
    ),
    hide_index=True,
)
for ind in sorted(data.indicators().values(), key=lambda i: (i.subgoal, i.id)):
    with st.expander(f"{ind.title(v.lang)} (`{ind.id}`)", expanded=v.present):
        st.write(ind.description(v.lang))
        st.markdown(
            f"- **{t('subgoal', v.lang)}:** {ind.subgoal}. {pick(registry.SUBGOALS[ind.subgoal], v.lang)}\n"
            f"- **{t('gep_area', v.lang)}:** {pick(registry.GEP_AREAS[ind.gep_area], v.lang)}\n"
            f"- **{t('unit_of_measure', v.lang)}:** {word('vocabularies', 'unit_of_measure', ind.unit_of_measure, v.lang)}\n"
            + (f"- **{t('target', v.lang)}:** `{ind.target}` (data/goals.toml)\n" if ind.target else "")
            + f"- **{t('source', v.lang)}:** {ind.source}\n"
            + "- "
            + (t("suppression", v.lang, k=settings.k_anonymity(ind.k_setting)) if ind.personal else t("public", v.lang))
        )
        if ind.columns:
            st.markdown(
                f"**{t('columns', v.lang)}**\n\n"
                + "\n".join(
                    f"- `{c}` ({label}): {meaning}"
                    for c, label, meaning in columns.describe(ind.id, ind.columns, v.lang)
                )
            )
