# coding: big5
"中文說明"
