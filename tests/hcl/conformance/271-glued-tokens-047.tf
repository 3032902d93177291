x = for.x
