"\ud800 lone surrogate"
