package ingest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"duban/kb"
)

// loadPlaces loads the named documents and builds their knowledge base.
func loadPlaces(t *testing.T, files map[string]string) *kb.Base {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	res, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	b, err := kb.NewWith(res.Contents, kb.Options{Lazy: true}) // nothing here searches: no index is built
	if err != nil {
		t.Fatalf("kb.New: %v", err)
	}
	return b
}

// leadNos returns the numbers of the tasks b says unit leads.
func leadNos(b *kb.Base, unit string) []int {
	var out []int
	for _, r := range b.ByUnit(unit, true) {
		out = append(out, r.No)
	}
	return out
}

// TestPlacesTwoLevels reads a 青溪区 document that names 市住建局 and
// 区住建局 as lead units of different tasks: each task keeps its own unit.
func TestPlacesTwoLevels(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("testdata", "places_two_levels.txt"))
	if err != nil {
		t.Fatal(err)
	}
	b := loadPlaces(t, map[string]string{"places_two_levels.txt": string(text)})

	wantLead := map[int]string{1: "住建局", 2: "市住建局", 3: "住建局", 4: "市住建局", 5: "交通局"}
	for _, r := range b.Records() {
		if got := strings.Join(r.LeadUnits, "、"); got != wantLead[r.No] {
			t.Errorf("task %d lead units = %q, want %q", r.No, got, wantLead[r.No])
		}
	}
	tests := []struct {
		ask  string
		want []int
	}{
		// the document's own place (青溪区) is the plain unit
		{"区住建局", []int{1, 3}},
		{"住建局", []int{1, 3}},
		{"住房和城乡建设局", []int{1, 3}},
		{"青溪区住房和城乡建设局", []int{1, 3}},
		// the city's office keeps its place, under any of its spellings
		{"市住建局", []int{2, 4}},
		{"市住房和城乡建设局", []int{2, 4}},
		{"市住房城乡建设局", []int{2, 4}},
		// a lone prefixed form still merges with the short form
		{"区交通运输局", []int{5}},
		{"交通局", []int{5}},
	}
	for _, tt := range tests {
		if got := leadNos(b, tt.ask); !slices.Equal(got, tt.want) {
			t.Errorf("ByUnit(%q) = %v, want %v", tt.ask, got, tt.want)
		}
	}
	if got := b.Unit("市住房和城乡建设局"); got != "市住建局" {
		t.Errorf("Unit(市住房和城乡建设局) = %q, want 市住建局", got)
	}
	for _, a := range b.UnitAliases("市住建局") {
		if !strings.HasPrefix(a, "市") {
			t.Errorf("UnitAliases(市住建局) has %q, a spelling of another place", a)
		}
	}

	r := b.Check()
	if want := []string{"住建局 (青溪区) ≠ 市住建局"}; !slices.Equal(r.DistinctPlaces, want) {
		t.Errorf("Check().DistinctPlaces = %q, want %q", r.DistinctPlaces, want)
	}
	for _, l := range r.LikelySame {
		if strings.Contains(l, "住建局") {
			t.Errorf("Check().LikelySame lists %q, kept apart on purpose", l)
		}
	}
	if !strings.Contains(r.Text(), "units of different places kept apart (one document names both): 1\n  住建局 (青溪区) ≠ 市住建局\n") {
		t.Errorf("Check().Text() does not report the pair:\n%s", r.Text())
	}
}

// taskDoc writes a task table whose rows are lead units, numbered from 1.
func taskDoc(issuer string, leads ...string) string {
	var b strings.Builder
	if issuer != "" {
		b.WriteString(issuer + "关于印发2025年重点工作任务分解表的通知\n\n")
	}
	b.WriteString("2025年重点工作任务分解表\n序号\t工作任务\t牵头单位\t完成时间\n")
	for i, u := range leads {
		b.WriteString(strings.Join([]string{itoa(i + 1), "推进第" + itoa(i+1) + "项工作", u, "12月底前"}, "\t") + "\n")
	}
	return b.String()
}

func TestPlacesPerDocument(t *testing.T) {
	tests := []struct {
		name  string
		docs  map[string]string
		leads []string // lead unit of each task, in record order
		pairs []string // kb check's distinct places
	}{
		{
			name:  "lone city prefix merges",
			docs:  map[string]string{"a.txt": taskDoc("青溪区人民政府", "市住建局", "住建局")},
			leads: []string{"住建局", "住建局"},
		},
		{
			name:  "own place in three spellings merges",
			docs:  map[string]string{"a.txt": taskDoc("青溪区人民政府", "区住建局", "青溪区住建局", "南通市青溪区住房和城乡建设局")},
			leads: []string{"住建局", "住建局", "住建局"},
		},
		{
			name:  "two named places",
			docs:  map[string]string{"a.txt": taskDoc("崇川区人民政府", "如皋市住建局", "崇川区住建局", "住建局")},
			leads: []string{"如皋市住建局", "住建局", "住建局"},
			pairs: []string{"住建局 (崇川区) ≠ 如皋市住建局"},
		},
		{
			name:  "two named places, own place unknown",
			docs:  map[string]string{"a.txt": taskDoc("", "如皋市住房和城乡建设局", "海门区住建局", "住建局")},
			leads: []string{"如皋市住建局", "海门区住建局", "住建局"},
			pairs: []string{"如皋市住建局 ≠ 海门区住建局"},
		},
		{
			name:  "own place unknown keeps both prefixes",
			docs:  map[string]string{"a.txt": taskDoc("", "市住建局", "区住建局")},
			leads: []string{"市住建局", "区住建局"},
			pairs: []string{"区住建局 ≠ 市住建局"},
		},
		{
			name:  "own place unknown, the most frequent prefix is the own level",
			docs:  map[string]string{"a.txt": taskDoc("", "市住建局", "区住建局", "区财政局")},
			leads: []string{"市住建局", "住建局", "财政局"},
			pairs: []string{"住建局 (区) ≠ 市住建局"},
		},
		{
			name:  "a level and its named place are one place",
			docs:  map[string]string{"a.txt": taskDoc("", "县财政局", "青溪县财政局")},
			leads: []string{"财政局", "财政局"},
		},
		{
			name: "the pair is per document",
			docs: map[string]string{
				"a.txt": taskDoc("青溪区人民政府", "市住建局", "区住建局"),
				"b.txt": taskDoc("南通市人民政府", "市住建局"),
			},
			leads: []string{"市住建局", "住建局", "住建局"},
			pairs: []string{"住建局 (青溪区) ≠ 市住建局"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := loadPlaces(t, tt.docs)
			var got []string
			for _, r := range b.Records() {
				got = append(got, strings.Join(r.LeadUnits, "、"))
			}
			if !slices.Equal(got, tt.leads) {
				t.Errorf("lead units = %q, want %q", got, tt.leads)
			}
			if pairs := b.Check().DistinctPlaces; !slices.Equal(pairs, tt.pairs) && len(pairs)+len(tt.pairs) > 0 {
				t.Errorf("Check().DistinctPlaces = %q, want %q", pairs, tt.pairs)
			}
		})
	}
}
