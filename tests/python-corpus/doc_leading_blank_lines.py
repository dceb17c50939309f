"""

   
   Summary after blank lines.   
  """
