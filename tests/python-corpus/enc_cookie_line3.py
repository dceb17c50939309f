#!/usr/bin/python
#
# coding: latin-1
"é"
