"""Doc.

never closed
