"""Not UTF-8: é"""
