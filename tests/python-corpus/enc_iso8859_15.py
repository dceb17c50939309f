# coding: iso-8859-15
"Euro € and œ"
