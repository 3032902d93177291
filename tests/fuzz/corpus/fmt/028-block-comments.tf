/* leading */
a = /* before value */ 1
b = 2 /* trailing */
/**/
c = 3
/* a /* is not nested */
d = 4
