literal = "%%{if x}"
mixed = "%%{ for } and %{if a}b%{endif}"
plain_percent = "100%"
percents = "%% %"
