package names

import (
	"slices"
	"testing"
)

func TestSplitPlace(t *testing.T) {
	tests := []struct {
		in, place, unit string
	}{
		{"市住建局", "市", "住建局"},
		{"区住建局", "区", "住建局"},
		{"如皋市住房和城乡建设局", "如皋市", "住房和城乡建设局"},
		{"江苏省南通市如东县财政局", "江苏省南通市如东县", "财政局"},
		{"住建局", "", "住建局"},
		{"市监局", "", "市监局"},                       // 市 is part of the name
		{"市\u2060住建局", "市", "住建局"},               // a mark is no part of either
		{"县级相关部门", "", "县级相关部门"},                 // a collective
		{"市场监督管理局", "", "市场监督管理局"},               // 市场 is no place
		{"南通市青溪区住房和城乡建设局", "南通市青溪区", "住房和城乡建设局"}, // nested
	}
	for _, tt := range tests {
		if p, u := SplitPlace(tt.in); p != tt.place || u != tt.unit {
			t.Errorf("SplitPlace(%q) = %q, %q, want %q, %q", tt.in, p, u, tt.place, tt.unit)
		}
	}
}

func TestMarkedPlace(t *testing.T) {
	m := "市" + string(Mark) + "住房和城乡建设局"
	tests := []struct {
		name string
		f    func(string) string
		want string
	}{
		{"Unit", Unit, "市" + string(Mark) + "住建局"},
		{"Written", Written, m},
		{"StripPlace", StripPlace, m},
		{"PlacedUnit", PlacedUnit, "市住建局"},
		{"PlacedShort", PlacedShort, "市住建局"},
		{"Unmark", Unmark, "市住房和城乡建设局"},
	}
	for _, tt := range tests {
		if got := tt.f(m); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", tt.name, m, got, tt.want)
		}
	}
}

func TestPlaces(t *testing.T) {
	k := func(place, unit string) string { return place + string(Mark) + unit }
	tests := []struct {
		name       string
		own, level string
		mentions   []string
		keep       map[string]string // mention → Keep's answer
		pairs      []string
	}{
		{
			name: "city and own district", own: "青溪", level: "区",
			mentions: []string{"市住建局", "区住建局", "区财政局"},
			keep:     map[string]string{"市住建局": k("市", "住建局"), "区住建局": "区住建局", "青溪区住建局": "青溪区住建局", "区财政局": "区财政局", "住建局": "住建局"},
			pairs:    []string{"住建局 (青溪区) ≠ 市住建局"},
		},
		{
			name: "lone prefixed form merges", own: "青溪", level: "区",
			mentions: []string{"市住建局", "住建局", "市财政局"},
			keep:     map[string]string{"市住建局": "市住建局", "市财政局": "市财政局"},
		},
		{
			name: "own place in several spellings is one place", own: "青溪", level: "区",
			mentions: []string{"区住建局", "青溪区住建局", "南通市青溪区住房和城乡建设局"},
			keep:     map[string]string{"区住建局": "区住建局", "南通市青溪区住房和城乡建设局": "南通市青溪区住房和城乡建设局"},
		},
		{
			name: "two named places, full and short forms", own: "海门", level: "区",
			mentions: []string{"如皋市住房和城乡建设局", "海门区住建局"},
			keep:     map[string]string{"如皋市住房和城乡建设局": k("如皋市", "住房和城乡建设局"), "如皋市住建局": k("如皋市", "住建局"), "海门区住建局": "海门区住建局"},
			pairs:    []string{"住建局 (海门区) ≠ 如皋市住建局"},
		},
		{
			name:     "own place unknown keeps every prefix of the pair",
			mentions: []string{"市住建局", "区住建局"},
			keep:     map[string]string{"市住建局": k("市", "住建局"), "区住建局": k("区", "住建局"), "住建局": "住建局"},
			pairs:    []string{"区住建局 ≠ 市住建局"},
		},
		{
			name:     "own place unknown: the most frequent prefix is the own level",
			mentions: []string{"市住建局", "区住建局", "区财政局", "区交通局"},
			keep:     map[string]string{"市住建局": k("市", "住建局"), "区住建局": "区住建局"},
			pairs:    []string{"住建局 (区) ≠ 市住建局"},
		},
		{
			name:     "own place unknown: the most frequent named place",
			mentions: []string{"区住建局", "南通市青溪区财政局", "青溪区教育局", "市住建局"},
			keep:     map[string]string{"市住建局": k("市", "住建局"), "青溪区住建局": "青溪区住建局"},
			pairs:    []string{"住建局 (青溪区) ≠ 市住建局"},
		},
		{
			name:     "a level and its named place are one place",
			mentions: []string{"县财政局", "青溪县财政局"},
			keep:     map[string]string{"县财政局": "县财政局"},
		},
		{
			name: "collectives are no units", own: "青溪", level: "区",
			mentions: []string{"市级相关部门", "县级相关部门"},
			keep:     map[string]string{"市级相关部门": "市级相关部门"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlaces(tt.own, tt.level, tt.mentions)
			for m, want := range tt.keep {
				if got := p.Keep(m); got != want {
					t.Errorf("Keep(%q) = %q, want %q", m, got, want)
				}
			}
			if got := p.Pairs(); !slices.Equal(got, tt.pairs) {
				t.Errorf("Pairs() = %q, want %q", got, tt.pairs)
			}
			if p.Any() != (len(tt.pairs) > 0) {
				t.Errorf("Any() = %v with pairs %q", p.Any(), tt.pairs)
			}
		})
	}
}

// FuzzPlaces checks that Keep only ever marks a place that SplitPlace
// found, and that unmarking gives the mention back.
func FuzzPlaces(f *testing.F) {
	f.Add("青溪", "区", "市住建局", "区住建局")
	f.Add("", "", "如皋市住房和城乡建设局", "海门区住建局")
	f.Add("海门", "市", "县级相关部门", "市监局")
	f.Fuzz(func(t *testing.T, own, level, a, b string) {
		p := NewPlaces(own, level, []string{a, b})
		for _, m := range []string{a, b} {
			got := p.Keep(m)
			if got == m {
				continue
			}
			place, unit, ok := cutMark(got)
			if !ok || place == "" {
				t.Fatalf("Keep(%q) = %q, no kept place", m, got)
			}
			if wp, wu := SplitPlace(m); wp != place || wu != unit {
				t.Fatalf("Keep(%q) = %q, want %q + mark + %q", m, got, wp, wu)
			}
		}
	})
}
