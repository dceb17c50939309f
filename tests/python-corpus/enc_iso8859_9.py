# coding: latin5
"€Ğİş"
