"""　  Summary after odd whitespace secondthird"""
