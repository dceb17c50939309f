# coding: utf8
# ÿ in a comment is fatal with this spelling
"doc"
