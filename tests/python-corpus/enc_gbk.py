# coding: gbk
"中文说明"
