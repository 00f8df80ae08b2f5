"""
Import spreadsheets of comments (CSV or XLSX): read, check, and load them.

- :mod:`.read` reads a file one row at a time;
- :mod:`.validate` checks each row against the consultation;
- :mod:`.template` makes the blank spreadsheets to fill in;
- :mod:`.load` writes the clean rows all at once or not at all (the SQL it
  runs is in :mod:`.staging`); its :class:`Loader` is the seam tests use to
  inject crashes, receipt codes or the path.

The service that runs a batch is :func:`consultation.services.run_import`.
"""

from .load import (
    CHUNK,
    InvalidRows,
    Loader,
    Step,
    VersionChanged,
    draw_receipt_codes,
    loader_in_use,
    use_loader,
)
from .read import ImportFileError, estimate_rows, read_rows
from .staging import STAGING
from .template import template_csv, template_xlsx
from .validate import (
    AFFILIATION,
    ALIASES,
    ARTICLE,
    CONTACT,
    DATE,
    EARLIEST_DATE,
    HEADERS,
    KIND,
    MAX_ERRORS,
    MAX_SUMMARY_LENGTH,
    MAX_TEXT_LENGTH,
    NAME,
    PROGRESS_EVERY,
    REQUIRED,
    SUMMARY,
    TEXT,
    CleanRow,
    Validator,
    date_problem,
    is_blank,
    parse_article_number,
    parse_date,
    validate,
)

__all__ = [
    "AFFILIATION",
    "ALIASES",
    "ARTICLE",
    "CHUNK",
    "CONTACT",
    "DATE",
    "EARLIEST_DATE",
    "HEADERS",
    "KIND",
    "MAX_ERRORS",
    "MAX_SUMMARY_LENGTH",
    "MAX_TEXT_LENGTH",
    "NAME",
    "PROGRESS_EVERY",
    "REQUIRED",
    "STAGING",
    "SUMMARY",
    "TEXT",
    "CleanRow",
    "ImportFileError",
    "InvalidRows",
    "Loader",
    "Step",
    "Validator",
    "VersionChanged",
    "date_problem",
    "draw_receipt_codes",
    "estimate_rows",
    "is_blank",
    "loader_in_use",
    "parse_article_number",
    "parse_date",
    "read_rows",
    "template_csv",
    "template_xlsx",
    "use_loader",
    "validate",
]
