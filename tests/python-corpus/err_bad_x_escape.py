"bad \x4 escape"
