# coding: gb18030
"中文  𠀀 ḿ"
