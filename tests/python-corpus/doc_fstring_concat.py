"plain " f"then f"
