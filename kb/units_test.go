package kb

import (
	"reflect"
	"testing"
)

func unitRecs(units ...string) []Record {
	var out []Record
	for i, u := range units {
		out = append(out, Record{Table: KeyTasks, No: i + 1, LeadUnits: []string{u}, CoUnits: []string{}})
	}
	return out
}

// TestUnitDisplay: a county that writes full names keeps its spelling (the
// most frequent one), with the other spellings as aliases; a set that
// writes the curated short names keeps those.
func TestUnitDisplay(t *testing.T) {
	tests := []struct {
		name    string
		written []string
		ask     string
		want    string
	}{
		{"county spelling", []string{"发展和改革局", "发展和改革局", "发改局", "住房和城乡建设局", "交通运输局"}, "发改委", "发展和改革局"},
		{"county spelling by short name", []string{"住房和城乡建设局", "住房和城乡建设局", "住建局", "交通运输局"}, "住建局", "住房和城乡建设局"},
		{"county spelling by prefixed name", []string{"住房和城乡建设局", "交通运输局"}, "如皋市住房和城乡建设局", "住房和城乡建设局"},
		{"short names", []string{"交通局", "住建局", "发改委", "交通运输局"}, "交通运输局", "交通局"},
		{"short form found in the documents", []string{"城乡供水有限公司", "供水公司", "住房和城乡建设局"}, "县供水公司", "城乡供水有限公司"},
		{"short names keep a county's own office", []string{"交通局", "住建局", "发改委", "水务局", "教育局"}, "水务局", "水务局"},
		{"collective kept", []string{"县级相关部门", "住房和城乡建设局"}, "县级相关部门", "县级相关部门"},
	}
	for _, tt := range tests {
		b, err := New(Contents{Records: unitRecs(tt.written...)})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Unit(tt.ask); got != tt.want {
			t.Errorf("%s: Unit(%q) = %q, want %q (units %q)", tt.name, tt.ask, got, tt.want, b.Units())
		}
		if n := len(b.ByUnit(tt.ask, true)); n == 0 {
			t.Errorf("%s: ByUnit(%q) found nothing", tt.name, tt.ask)
		}
	}
}

// TestOverseersAssist: a leader who 协助分管 a unit oversees it too (issue
// 14 item 14).
func TestOverseersAssist(t *testing.T) {
	c := Contents{Leaders: []Leader{
		{Name: "周国强", Oversees: []string{"政府办"}, Assists: []string{"分管财政局", "负责审计"}},
		{Name: "沈旭东", Oversees: []string{"财政局"}},
	}}
	b, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range b.Overseers("区财政局") {
		got = append(got, l.Name)
	}
	if want := []string{"周国强", "沈旭东"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Overseers(区财政局) = %q, want %q", got, want)
	}
}

func TestAbbreviates(t *testing.T) {
	for _, tt := range []struct {
		short, long string
		want        bool
	}{
		{"住建局", "住房和城乡建设局", true},
		{"海晟集团", "海晟控股集团", true},
		{"供水公司", "城乡供水公司", true},
		{"卫健委", "卫生健康委员会", true},
		{"交通局", "交通产业集团", false},
		{"财政局", "财政局", false},
		{"公安局", "公安局交警大队", false},
	} {
		if got := abbreviates(tt.short, tt.long); got != tt.want {
			t.Errorf("abbreviates(%q, %q) = %v, want %v", tt.short, tt.long, got, tt.want)
		}
	}
}
