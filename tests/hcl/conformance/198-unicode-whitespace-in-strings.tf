a = " nbsp "
b = " em space"
c = "　ideographic"
