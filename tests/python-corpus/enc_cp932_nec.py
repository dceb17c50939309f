# coding: cp932
"①② ㈱ ～"
