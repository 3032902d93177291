naÃme = 1
