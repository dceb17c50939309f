U"Unicode prefix" u'again'
