# coding: koi8-r
"Привет, мир"
__version__ = "версия"
