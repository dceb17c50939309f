# coding: shift_jis
"①"
