# coding: utf-8-whatever-is-after
"é"
