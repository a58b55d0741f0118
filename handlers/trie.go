package handlers

import "unicode/utf8"

// A trie holds every surface the tagger knows; matching walks it from each
// position, so tagging is linear in the question's length times the
// longest surface, never quadratic.
type trie struct {
	next map[rune]*trie
	e    []entry // entries ending here
}

func (t *trie) add(s string, e entry) {
	n := t
	for _, r := range s {
		if n.next == nil {
			n.next = map[rune]*trie{}
		}
		c := n.next[r]
		if c == nil {
			c = &trie{}
			n.next[r] = c
		}
		n = c
	}
	for _, x := range n.e {
		if x == e {
			return
		}
	}
	n.e = append(n.e, e)
}

// A match is a surface that a text starts with.
type match struct {
	end int // byte length of the surface
	e   []entry
}

// prefixes appends to buf every surface that s starts with, shortest first.
func (t *trie) prefixes(s string, buf []match) []match {
	n := t
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		c := n.next[r]
		if c == nil {
			break
		}
		i += size
		n = c
		if len(n.e) > 0 {
			buf = append(buf, match{i, n.e})
		}
	}
	return buf
}
