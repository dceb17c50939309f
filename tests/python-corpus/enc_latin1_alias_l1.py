# coding: l1
"é"
