# coding: latin-1
"doc"
