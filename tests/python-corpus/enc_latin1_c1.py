# coding: iso-8859-1
"C1 controls: €…Ÿ end"
