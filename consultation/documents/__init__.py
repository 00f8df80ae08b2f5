"""
The documents staff hand over, generated from the data in Chinese official
style: the comparison table (修改对照表), the comment-adoption report
(意见采纳情况报告) and feedback letters (反馈函), as DOCX (python-docx) and XLSX
(openpyxl). Each builder returns the file's bytes.
"""

from .comparison import comparison_docx, comparison_xlsx
from .letters import feedback_letters_docx
from .report import adoption_report_docx, adoption_report_xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "DOCX",
    "XLSX",
    "adoption_report_docx",
    "adoption_report_xlsx",
    "comparison_docx",
    "comparison_xlsx",
    "feedback_letters_docx",
]
