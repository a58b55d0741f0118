package questiongen_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"duban/handlers/questiongen"
)

// negCeilings are the most violations each negative template may have: a
// ratchet downwards, set at what the pipeline does today. The target is
// zero everywhere.
var negCeilings = map[string]int{
	"neg.unit":      0,
	"neg.person":    0,
	"neg.topic":     0,
	"neg.number":    0,
	"neg.indicator": 0,
	"neg.town":      0,
}

// TestNegativeSuite asks about units, persons, topics and task numbers
// that exist in no document. Every answer must say not found, and name no
// person or unit the question did not name, except as a "did you mean"
// candidate (at most three, not answered for).
func TestNegativeSuite(t *testing.T) {
	b, h := seeds(t)
	cases := questiongen.Negative(b, questiongen.Options{Seed: 1})
	units := unitNames(b.Units())
	found, named, offered := newTally(), newTally(), newTally()
	violations := map[string]int{}
	var lines []string
	for _, c := range cases {
		r := ask(h, c.Q)
		text := r.Text()
		group := c.Template[:strings.LastIndex(c.Template, ".")]
		saysNot := r.NotFound || questiongen.SaysNotFound(text)
		body, cands := splitCandidates(text)
		extra := entitiesNotIn(body, c.Q, c.MustNot, units)
		found.add(group, saysNot)
		named.add(group, len(extra) == 0)
		offered.add(group, cands == "")
		if !saysNot || len(extra) > 0 {
			violations[group]++
			lines = append(lines, fmt.Sprintf("%-22s %s → not found: %v, names %v ‖ %s",
				c.Template, c.Q, saysNot, extra, firstLine(text)))
		}
	}
	report := "### Negative suite: entities in no document\n\n" +
		found.table("template", "says not found", nil) + "\n" +
		named.table("template", "names nothing else", nil) + "\n" +
		offered.table("template", "offers no candidate", nil)
	t.Logf("%d questions\n%s", len(cases), report)
	writeArtifact(t, "questiongen_negative.md", report)
	if testing.Verbose() {
		slices.Sort(lines)
		t.Logf("violations (%d):\n%s", len(lines), strings.Join(lines, "\n"))
	}
	for group, n := range violations {
		if n > negCeilings[group] {
			t.Errorf("%s: %d violations, ceiling %d", group, n, negCeilings[group])
		}
	}
	if len(cases) < 100 {
		t.Errorf("negative suite has %d questions, want 100 or more", len(cases))
	}
}

// splitCandidates separates "did you mean" lines (您要问的是不是…, did you
// mean …) from the rest of an answer, and usage hints (可以这样问…, 帮助),
// which name example units but answer nothing.
func splitCandidates(text string) (body, cands string) {
	var keep, offer []string
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.Contains(l, "是不是") || strings.Contains(strings.ToLower(l), "did you mean"):
			offer = append(offer, l)
		case strings.HasPrefix(l, "可以") || strings.Contains(l, "“帮助”") || strings.HasPrefix(l, "Try") || strings.HasPrefix(l, "You can ask"):
		default:
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n"), strings.Join(offer, "\n")
}

// entitiesNotIn returns the persons (from persons) and units that text
// names and q does not.
func entitiesNotIn(text, q string, persons, units []string) []string {
	var out []string
	for _, p := range persons {
		if strings.Contains(text, p) && !strings.Contains(q, p) {
			out = append(out, p)
		}
	}
	for _, u := range units {
		if strings.Contains(text, u) && !strings.Contains(q, u) && !slices.ContainsFunc(out, func(o string) bool { return strings.Contains(o, u) }) {
			out = append(out, u)
		}
	}
	return out
}

// unitNames keeps the units whose names are specific enough to count as
// naming one: three characters or more, no collective.
func unitNames(us []string) []string {
	var out []string
	for _, u := range us {
		if len([]rune(u)) >= 3 && !strings.HasPrefix(u, "各") && !strings.HasPrefix(u, "相关") {
			out = append(out, u)
		}
	}
	// Longest first, so a unit inside a longer one is not counted twice.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}
