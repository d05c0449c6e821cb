"""The general ledger: tables, the posting engine, parties, loading, number series,
the invariant check."""
