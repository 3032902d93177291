a = 

