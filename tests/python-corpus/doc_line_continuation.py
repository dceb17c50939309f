"Summary \
continued on the next line"
