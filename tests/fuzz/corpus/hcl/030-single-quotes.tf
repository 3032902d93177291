a = 'hello'
