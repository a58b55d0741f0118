package numerals

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"76", 76, true}, {"七十六", 76, true}, {"一百零三", 103, true}, {"十二", 12, true},
		{"两百", 200, true}, {"十", 10, true}, {"一千零一", 1001, true}, {"九", 9, true},
		{"", 0, false}, {"七十六项", 0, false}, {"abc", 0, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
