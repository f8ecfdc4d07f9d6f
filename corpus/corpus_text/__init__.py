"""Content of the sample corpus: one module per package, shared document templates in ``common``."""
