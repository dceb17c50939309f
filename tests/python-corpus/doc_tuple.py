"Doc", "tuple"
