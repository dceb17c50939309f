# coding: utf-8
"BOM and cookie é"
