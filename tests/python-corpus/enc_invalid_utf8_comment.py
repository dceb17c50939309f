# Comment with bytes that are not UTF-8: ÿών €
"""Still fine."""
x = 1  # Γ
