package questiongen

import (
	"strconv"
	"strings"
)

// A draft is one question before perturbation: a template filled from one
// record, with slots the perturbations re-render (the task number, the
// unit named) and the expectation that holds under every perturbation.
type draft struct {
	kind, template string
	// zh is the Chinese question with slots: {ref} is the task reference,
	// {unit} the unit named. en is the English phrasing ("" for none),
	// where {n} is the task number.
	zh, en string
	no     int
	// refs are the ways to write this table's reference, "{n}" standing
	// for the number; refs[0] is the base form.
	refs []string
	unit string
	exp  Case
}

// numeral styles a task number is written in.
const (
	arabic = iota
	fullWidthDigits
	chineseDigits
)

// style says how render fills a draft's slots.
type style struct {
	numeral int
	ref     int                 // index into draft.refs
	unit    func(string) string // nil: the unit as is
}

func (d draft) render(s style) string {
	q := d.zh
	if strings.Contains(q, "{ref}") {
		ref := d.refs[s.ref%len(d.refs)]
		q = strings.ReplaceAll(q, "{ref}", strings.ReplaceAll(ref, "{n}", number(d.no, s.numeral)))
	}
	if strings.Contains(q, "{unit}") {
		u := d.unit
		if s.unit != nil {
			u = s.unit(u)
		}
		q = strings.ReplaceAll(q, "{unit}", u)
	}
	return q
}

func (d draft) renderEN() string {
	return strings.ReplaceAll(strings.ReplaceAll(d.en, "{n}", strconv.Itoa(d.no)), "{unit}", d.unit)
}

func number(n, numeral int) string {
	switch numeral {
	case fullWidthDigits:
		return FullWidth(strconv.Itoa(n))
	case chineseDigits:
		return Chinese(n)
	}
	return strconv.Itoa(n)
}

// hasDigitsRef reports whether the ref's number can take a numeral style:
// "No.{n}" and "#{n}" stay Arabic as officials type them.
func (d draft) numberStyled(s style) bool {
	if !strings.Contains(d.zh, "{ref}") {
		return false
	}
	ref := d.refs[s.ref%len(d.refs)]
	return !strings.Contains(ref, "No.") && !strings.Contains(ref, "#")
}
