x = provider::a.b(1)
