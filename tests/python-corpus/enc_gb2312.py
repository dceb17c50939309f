# coding: gb2312
"中文 ·"
