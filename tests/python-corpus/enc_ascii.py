# coding: us-ascii
"plain"
