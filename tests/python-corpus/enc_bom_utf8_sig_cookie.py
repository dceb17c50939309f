# coding: UTF_8-sig
"BOM and cookie"
