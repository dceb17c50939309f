# coding: cp1252
"€ “quoted” — dash"
