'''It's "quoted" '' and ""''' 
