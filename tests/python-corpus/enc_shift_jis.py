# -*- coding: shift_jis -*-
"""日本語の説明 表 ソ ～"""
__version__ = "１.0"
