# -*- mode: python; coding: cp1250 -*-
"řš"
