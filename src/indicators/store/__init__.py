"""Reading and storing: sheet kinds, reading and checking files, the DuckDB store, its one writer and the snapshots its readers share, and the SQL fragments every query over it uses."""
