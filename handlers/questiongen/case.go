// Package questiongen generates questions about every record of a
// knowledge base, with answers known by construction, and scores replies
// against them. It measures the question pipeline of package handlers from
// the outside: templates per record kind and field, several phrasings each,
// and meaning-preserving perturbations (politeness, fillers, numeral styles,
// full-width, typos, synonyms, traditional characters, punctuation,
// English), plus a negative suite of entities that exist in no document.
//
// The generator reads only kb: it never calls handlers, so a bug in the
// pipeline cannot be mirrored in the expectation.
package questiongen

import (
	"strconv"

	"duban/kb"
)

// A Case is one generated question with what a right answer must hold.
type Case struct {
	// Kind is the record kind the question is about: key_tasks,
	// people_projects, nantong_2019, measures_2019, leader, indicator, box,
	// quota, member, list, count, negative.
	Kind string `json:"kind"`
	// Template names the question template, e.g. "task.leader.who".
	Template string `json:"template"`
	// Perturb names the perturbation class applied ("base" for none).
	Perturb string `json:"perturb"`
	// Base is the unperturbed question the perturbation started from; it
	// equals Q for the base case. Metamorphic tests compare the two replies.
	Base string `json:"base"`
	// Q is the question text as an official would send it.
	Q string `json:"q"`
	// Must strings all occur in a right answer; Any groups each have one
	// occurring; MustNot strings never occur.
	Must    []string   `json:"must,omitempty"`
	Any     [][]string `json:"any,omitempty"`
	MustNot []string   `json:"must_not,omitempty"`
	// ExpectNos are task numbers a list answer mentions.
	ExpectNos []int `json:"expect_nos,omitempty"`
	// NotFound marks a question whose right answer says nothing was found.
	NotFound bool `json:"not_found,omitempty"`
	// Named are the entities the question itself names; a not-found answer
	// may repeat them and no other (negative suite).
	Named []string `json:"named,omitempty"`
	// Cite is "file:line" of the record the question is about, when one
	// record answers it: a right reply cites it among its sources.
	Cite string `json:"cite,omitempty"`
}

// cite formats a source as Case.Cite.
func cite(s kb.Source) string { return s.File + ":" + strconv.Itoa(s.Line) }
