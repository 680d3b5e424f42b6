"""Balans: gender-balance indicators for a university and its units.

Everything that is not Streamlit lives in this package, so that every number can be computed,
tested and exported without a browser. See docs/architecture.md, "Architecture".
"""
