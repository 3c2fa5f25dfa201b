from checkers import profiles

profiles.load()
