# coding: mac-roman
"é†π"
