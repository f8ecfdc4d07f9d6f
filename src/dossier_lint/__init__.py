"""dossier-lint: a linter for 政务信息化项目申报材料."""

__version__ = "0.1.0"
