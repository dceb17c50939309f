__version__: lambda x=1: x = "lambda"
