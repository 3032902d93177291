a = `cmd`
