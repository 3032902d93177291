resource 1 {}
