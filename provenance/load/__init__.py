"""Load: read any supported file (plain text, web page, e-mail, PDF, Word, RTF, captions, scan)
into a `Text` with a map back to the original."""
