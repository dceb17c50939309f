"""	Tabbed summary
	body with	tab
	  more
"""
