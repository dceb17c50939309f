# coding: euc-jp
"日本語 ｱ 丂"
