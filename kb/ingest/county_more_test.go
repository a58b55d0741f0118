package ingest

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"duban/kb"
)

// The county's other genres, hand-written: measures with inline clauses
// (X牵头负责，Y按照职责分工负责 / X牵头负责、Y配合 / 落实) and dates in the
// text, and the leaders' division of labour with 协助分管.
func loadCountyFiles(t *testing.T, names ...string) kb.Contents {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, n := range names {
		b, err := os.ReadFile(countyDir + "/" + n)
		if err != nil {
			t.Fatal(err)
		}
		fsys[n] = &fstest.MapFile{Data: b}
	}
	res, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	return res.Contents
}

func TestCountyMeasures(t *testing.T) {
	c := loadCountyFiles(t, "qx_2025_cuoshi.txt")
	want := []string{
		"measures_2025 1 教育局 | 发展和改革局、住房和城乡建设局 | 2026-12-31",
		"measures_2025 2 教育局 | 人力资源和社会保障局 | 2025-12-31",
		"measures_2025 3 卫生健康委员会 |  | 2025-12-31",
		"measures_2025 4 卫生健康委员会 |  | 2025-09-30",
	}
	if len(c.Records) != len(want) {
		t.Fatalf("%d records, want %d", len(c.Records), len(want))
	}
	for i, r := range c.Records {
		got := string(r.Table) + " " + itoa(r.No) + " " + strings.Join(r.LeadUnits, "、") + " | " + strings.Join(r.CoUnits, "、") + " | " + r.Due.ISO()
		if got != want[i] {
			t.Errorf("record %d = %q, want %q", i, got, want[i])
		}
	}
	if strings.Join(c.Records[2].Implementers, "、") != "各乡镇人民政府" {
		t.Errorf("measure 3 implementers = %q", c.Records[2].Implementers)
	}
}

func TestCountyLeaders(t *testing.T) {
	c := loadCountyFiles(t, "qx_2025_fengong.txt", "qx_2025_cuoshi.txt")
	b, err := kb.NewWith(c, kb.Options{Lazy: true}) // nothing here searches: no index is built
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for unit, want := range map[string]string{
		"住建局":       "王丽",
		"县住房和城乡建设局": "王丽",
		"发改委":       "张明华",
		"县财政局":      "王丽", // 协助分管
		"审计局":       "李建国",
	} {
		var got []string
		for _, l := range b.Overseers(unit) {
			got = append(got, l.Name)
		}
		if strings.Join(got, "、") != want {
			t.Errorf("Overseers(%q) = %q, want %q", unit, got, want)
		}
	}
	l, ok := b.Leader("张明华")
	if !ok || strings.Join(l.Liaises, "、") != "经济开发区管委会、东湖镇" {
		t.Errorf("Leader(张明华) = %+v, %v", l, ok)
	}
}
