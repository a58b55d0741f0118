package ingest

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// rePlaceAny is the pattern placeMentions replaces, kept as its oracle.
var rePlaceAny = regexp.MustCompile(`(\p{Han}{2})(市|县|区|旗)`)

// TestPlaceMentionsLikeRegexp: on generated lines (Han, levels, runs of
// levels, letters, punctuation, invalid bytes) placeMentions finds what the
// regexp's FindAll finds, in order.
func TestPlaceMentionsLikeRegexp(t *testing.T) {
	pieces := []string{"南", "通", "如", "东", "市", "县", "区", "旗", "省", "镇", "a", "1", " ", "，", "、", "（", "\xff", "𠀀", "ア", "市区", "县市"}
	rng := rand.New(rand.NewPCG(21, 5))
	fixed := []string{"", "南通市如东县", "南通市市区", "全市区县", "通市区", "市市市市", "如东县人民政府", "a南通市", "南\xff通市"}
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.IntN(14); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		fixed = append(fixed, b.String())
	}
	for _, s := range fixed {
		var want, got [][2]string
		for _, m := range rePlaceAny.FindAllStringSubmatch(s, -1) {
			want = append(want, [2]string{m[1], m[2]})
		}
		placeMentions(s, func(i, j, k int) { got = append(got, [2]string{s[i:j], s[j:k]}) })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("placeMentions(%q) = %q, regexp finds %q", s, got, want)
		}
	}
}
