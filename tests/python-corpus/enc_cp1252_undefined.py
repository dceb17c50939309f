# coding: cp1252
" is undefined"
