# coding: koi8_u
"╝╬ є"
