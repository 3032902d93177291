enabled = true
disabled = false
nothing = null
flags = [true, false, null]
