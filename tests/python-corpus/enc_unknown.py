# coding: klingon
"doc"
