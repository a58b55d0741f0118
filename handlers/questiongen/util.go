package questiongen

import (
	"slices"
	"strings"
	"unicode"

	"duban/kb/names"
)

// persons drops collectives (各市长) from a list of leaders.
func persons(ls []string) []string {
	var out []string
	for _, l := range ls {
		if !names.IsCollective(l) {
			out = append(out, l)
		}
	}
	return out
}

func isCollective(u string) bool { return names.IsCollective(u) }

// aliasesOf returns every name of unit u, sorted after u itself, so the
// expectation accepts whichever name an answer prints.
func aliasesOf(u string) []string {
	as := names.Aliases(names.Unit(u))
	rest := slices.DeleteFunc(slices.Clone(as), func(a string) bool { return a == u })
	slices.Sort(rest)
	return append([]string{u}, rest...)
}

// unitGroups makes one any-of group (its aliases) for each of the first n
// individual units of us.
func unitGroups(us []string, n int) [][]string {
	var out [][]string
	for _, u := range us {
		if len(out) == n {
			break
		}
		out = append(out, aliasesOf(u))
	}
	return out
}

// clean strips the padding and line breaks a table cell carries.
func clean(s string) string { return names.Clean(s) }

// head returns the first n characters of s without white space: a quoted
// text's opening, which an answer that shows the record holds.
func head(s string, n int) string {
	rs := []rune(names.Clean(s))
	if len(rs) > n {
		rs = rs[:n]
	}
	return string(rs)
}

func contains(xs []string, x string) bool { return slices.Contains(xs, x) }

// isHan reports whether r is a CJK ideograph.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// hasHan reports whether s holds a CJK ideograph.
func hasHan(s string) bool { return strings.IndexFunc(s, isHan) >= 0 }

func replace(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
