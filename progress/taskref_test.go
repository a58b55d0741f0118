package progress

import "testing"

// TestReportNumbersAreTaskRefs: a report starts with a task reference as
// kb/textnorm reads it; a number that is content is not one.
func TestReportNumbersAreTaskRefs(t *testing.T) {
	for text, want := range map[string]bool{
		"76号已完成":      true,
		"实事12号已完成":    true,
		"第76项推进中":     true,
		"85条措施已完成":    false,
		"65周岁以上体检已完成": false,
		"十四五规划编制已完成":  false,
		"8月底前已完成招标":   false,
	} {
		if _, ok := ParseReport(text); ok != want {
			t.Errorf("ParseReport(%q) ok = %v, want %v", text, ok, want)
		}
	}
}
