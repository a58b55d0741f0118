package handlers

import "strings"

// containsAny reports whether s contains one of subs. It reads document
// text (titles, headings), never a question: questions are read through
// their Frame.
func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
