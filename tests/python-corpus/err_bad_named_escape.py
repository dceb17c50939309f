"\N without braces"
