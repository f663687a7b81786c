print("fraudscan")
