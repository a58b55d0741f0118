package main

import "duban/kb/names"

func aliasesOf(u string) []string { return names.Aliases(u)[1:] }
