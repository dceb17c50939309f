"""   Summary with trailing spaces   

    Body."""
