# coding: cp949
"한국어 갂"
