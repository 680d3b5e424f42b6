"""Presenting: each column's kind and words, the charts, the page declaration, and the exports (CSV, Swedish CSV, xlsx, the workbook and the offline HTML report)."""
