"""Use cases of the core, one module per area. Each public method is one unit of work."""
