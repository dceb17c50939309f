# coding: euc-kr
"한국어"
