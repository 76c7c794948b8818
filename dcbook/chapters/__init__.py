"""Chapter modules: the computations behind each book chapter, one module per chapter slug."""

from dcbook import fmt

# Every chapter notebook imports this package, and its tables (pandas Styler) show strings from the data files:
# escape them as HTML so a name like "<script>…" is shown, never run.
fmt.escape_html_tables()
# ...and give each table a deterministic id, so two builds of the same data publish identical pages.
fmt.stable_table_ids()
