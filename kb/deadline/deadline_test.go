package deadline

import (
	"errors"
	"fmt"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, text string
		year       int
		want, qual string
		open       bool
	}{
		// the cells of the 2020 task tables
		{"whole year", "全年", 2020, "2020-12-31", "", false},
		{"month end", "8月底前", 2020, "2020-08-31", "", false},
		{"split over lines", "8月\n底前", 2020, "2020-08-31", "", false},
		{"december", "12月底前 ", 2020, "2020-12-31", "", false},
		{"february leap", "2月底前", 2020, "2020-02-29", "", false},
		{"qualified", "河道疏浚12月底前", 2020, "2020-12-31", "河道疏浚", false},
		{"within year", "年内", 2020, "2020-12-31", "", false},
		{"year end", "年底前", 2020, "2020-12-31", "", false},
		{"first half", "上半年", 2020, "2020-06-30", "", false},
		{"first quarter", "一季度", 2020, "2020-03-31", "", false},
		{"third quarter", "第3季度末", 2020, "2020-09-30", "", false},
		{"explicit year", "2021年6月底前", 2020, "2021-06-30", "", false},
		{"exact day", "9月15日前", 2020, "2020-09-15", "", false},
		{"mid month", "10月中旬", 2020, "2020-10-20", "", false},
		{"full-width digits", "６月底前", 2020, "2020-06-30", "", false},
		{"year only", "2022年底", 2020, "2022-12-31", "", false},
		{"month only", "6月", 2020, "2020-06-30", "", false},
		// the wordings other counties use
		{"year and month end", "2025年6月底前", 2025, "2025-06-30", "", false},
		{"day before", "6月30日前", 2025, "2025-06-30", "", false},
		{"quarter end", "三季度末", 2025, "2025-09-30", "", false},
		{"ordinal quarter", "第三季度", 2025, "2025-09-30", "", false},
		{"year end before", "年底前", 2025, "2025-12-31", "", false},
		{"year and month", "2025年10月", 2024, "2025-10-31", "", false},
		{"month range", "6—9月", 2025, "2025-09-30", "", false},
		{"month range hyphen", "2025年6-9月底前", 2024, "2025-09-30", "", false},
		{"month range 至", "6月至9月", 2025, "2025-09-30", "", false},
		{"year range", "2025—2027年", 2025, "2027-12-31", "", false},
		{"date inside a sentence", "分阶段推进，12月底前完成主体工程", 2025, "2025-12-31", "分阶段推进，完成主体工程", false},
		{"two milestones", "6月底前完成设计，10月底前开工", 2025, "2025-10-31", "6月底前完成设计，开工", false},
		{"ongoing with a date", "持续推进，9月底前见效", 2025, "2025-09-30", "持续推进，见效", false},
		{"exact day with year", "2025年11月30日前", 2024, "2025-11-30", "", false},
		{"dotted date", "2025.6.30", 2025, "2025-06-30", "", false},
		{"dashed month", "2025-09", 2024, "2025-09-30", "", false},
		{"dotted day before", "6.30前", 2025, "2025-06-30", "", false},
		{"slashed date", "2025/11/15", 2025, "2025-11-15", "", false},
		{"this year's end", "今年底", 2025, "2025-12-31", "", false},
		{"within the year", "年度内", 2025, "2025-12-31", "", false},
		{"this year", "本年度", 2025, "2025-12-31", "", false},
		{"year of plan", "2025年度", 2024, "2025-12-31", "", false},
		{"within a named year", "2026年内", 2025, "2026-12-31", "", false},
		// open-ended: no date, not an error
		{"routine", "常态推进", 2025, "", "", true},
		{"step by step", "逐步推进", 2025, "", "", true},
		{"on schedule", "按序时推进", 2025, "", "", true},
		{"persist", "长期坚持", 2025, "", "", true},
		{"monthly", "每月", 2025, "", "", true},
		{"long term", "长期", 2020, "", "", true},
		{"ongoing", "持续推进", 2020, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.text, tt.year)
			if err != nil {
				t.Fatalf("Parse(%q, %d): %v", tt.text, tt.year, err)
			}
			if got := d.ISO(); got != tt.want {
				t.Errorf("Parse(%q, %d) = %q, want %q", tt.text, tt.year, got, tt.want)
			}
			if d.Qualifier != tt.qual || d.OpenEnded != tt.open {
				t.Errorf("Parse(%q) qualifier %q open %v, want %q %v", tt.text, d.Qualifier, d.OpenEnded, tt.qual, tt.open)
			}
		})
	}
}

func TestParseUnrecognized(t *testing.T) {
	for _, s := range []string{"", "底前", "13月底前", "2月30日", "尽快", "视情况", "三年内完成"} {
		if _, err := Parse(s, 2020); !errors.Is(err, ErrUnrecognized) {
			t.Errorf("Parse(%q) error = %v, want ErrUnrecognized", s, err)
		}
	}
}

func ExampleParse() {
	d, _ := Parse("河道疏浚12月底前", 2020)
	fmt.Println(d.ISO(), d.Qualifier)
	// Output: 2020-12-31 河道疏浚
}
