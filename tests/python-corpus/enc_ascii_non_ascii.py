# coding: ascii
"é"
