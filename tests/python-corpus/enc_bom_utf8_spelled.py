# coding: utf8
"doc"
