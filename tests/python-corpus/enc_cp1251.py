# coding: windows-1251
"Ƹ"
