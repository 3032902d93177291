a = upper ("x")
b = max( 1 ,2 )
