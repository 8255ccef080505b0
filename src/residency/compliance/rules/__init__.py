"""Pure ACGME work-hour rules: one module per rule, each with its id and citation.
The full list lives in `registry.ALL_RULES`."""
