a	=	1
	b = 2
block	"x"	{
		c	= 3
	}
