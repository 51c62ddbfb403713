"""PDF handouts: the DOCX handout laid out and printed by LibreOffice.

Chosen over Chromium's print of the HTML after rendering both: LibreOffice embeds the CJK faces as
real subset fonts (pdffonts: NotoSerifCJK, Type 1C/CID), whose text copies and searches; Chromium
embeds Noto CJK's CFF outlines as Type 3 glyph procedures. The page layout is then the DOCX's,
which is also what a user printing from Word gets.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bilingual.document import Article
from bilingual.errors import UnsupportedOutput
from bilingual.writers import HandoutOptions

DEBIAN_PACKAGE = "libreoffice-writer"
TIMEOUT_S = 180
# Where the installers put it when it is not on PATH.
_KNOWN = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def renderer() -> str:
    """The LibreOffice program, or UnsupportedOutput naming the package to install."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in _KNOWN:
        if os.path.isfile(path):
            return path
    hint = (
        f"apt-get install {DEBIAN_PACKAGE} (Debian/Ubuntu)"
        if sys.platform.startswith("linux")
        else "install LibreOffice from libreoffice.org"
    )
    raise UnsupportedOutput(
        f"PDF output needs LibreOffice, which is not installed: {hint}; "
        "or write .docx or .html and print that"
    )


def to_bytes(article: Article, options: HandoutOptions) -> bytes:
    from bilingual.writers.docx import to_bytes as docx_bytes

    program = renderer()
    data = docx_bytes(article, options)
    with tempfile.TemporaryDirectory(prefix="bilingual-pdf-") as tmp:
        work = Path(tmp)
        source = work / "handout.docx"
        source.write_bytes(data)
        # A profile of its own: a LibreOffice the user has open does not block the conversion.
        profile = (work / "profile").as_uri()
        cmd = [
            program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work), str(source),
        ]  # fmt: skip
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise UnsupportedOutput(
                f"LibreOffice did not finish the PDF in {TIMEOUT_S} s; write .docx and print that"
            ) from None
        except OSError as exc:
            raise UnsupportedOutput(f"cannot run LibreOffice ({program}): {exc.strerror}") from None
        pdf = work / "handout.pdf"
        if done.returncode != 0 or not pdf.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()
            reason = detail[-1] if detail else f"exit status {done.returncode}"
            raise UnsupportedOutput(f"LibreOffice could not write the PDF: {reason}")
        return pdf.read_bytes()
