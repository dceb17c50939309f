# coding: utf-16
"doc"
