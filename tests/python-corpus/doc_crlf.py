"""CRLF summary

    body
"""
__version__ = '1.0'
