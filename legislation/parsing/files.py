"""Turn an uploaded file (text, Markdown, Word) into the text of a draft."""

import io
import zipfile
from pathlib import PurePath

from .structure import DraftFormatError, _localise, gettext_noop

# --- Files -----------------------------------------------------------------

_TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")


def extract_text(filename: str, data: bytes) -> str:
    """
    Return the text of an uploaded draft.

    Text files (.txt, .md, .markdown) are decoded as UTF-8, UTF-8 with a byte
    order mark, or GB18030, trying them in that order (UTF-16 with a byte order
    mark is recognised too). Word documents (.docx) give one line per paragraph,
    with Word's automatic numbering written out, and one ``| a | b |`` line per
    table row (see word.py). Raise DraftFormatError for another file type or a file
    that cannot be read.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        return _decode(data)
    if suffix == ".docx":
        return _docx_text(data)
    if suffix in {".doc", ".wps", ".pdf", ".rtf"}:
        raise DraftFormatError(
            _localise(gettext_noop("不支持%(suffix)s文件，请另存为.docx或.txt后上传。"))
            % {"suffix": suffix}
        )
    raise DraftFormatError(
        _localise(gettext_noop("不支持的文件类型，请上传.docx、.txt或.md文件。"))
    )


def _decode(data: bytes) -> str:
    """Decode a text file; see extract_text for the encodings tried."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary data that happens to decode
        return text.removeprefix("\ufeff")
    raise DraftFormatError(
        _localise(gettext_noop("无法识别文件编码，请以UTF-8或GB18030编码保存后上传。"))
    )


def _docx_text(data: bytes) -> str:
    """Return the paragraphs and table rows of a .docx file, in order."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    from .word import docx_lines

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DraftFormatError(
            _localise(gettext_noop("无法读取该Word文件，请确认是.docx格式且未加密。"))
        ) from error
    return "\n".join(docx_lines(document))
