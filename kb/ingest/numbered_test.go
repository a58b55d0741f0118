package ingest

import (
	"duban/kb/ingest/seedtest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"duban/kb"
)

// genreSeed reads the seed document whose name starts with prefix from
// ../shared/seeds next to the module root; the test is skipped when the
// seeds are not there. The seeds are read, never copied into the repository.
func genreSeed(t *testing.T, prefix string) *Document {
	t.Helper()
	dir := genreSeedDir(t)
	matches, _ := filepath.Glob(filepath.Join(dir, prefix+"*.txt"))
	if len(matches) != 1 {
		t.Fatalf("seed %s*.txt: found %d files in %s", prefix, len(matches), dir)
	}
	return genreDoc(t, matches[0])
}

func genreSeedDir(t *testing.T) string {
	t.Helper()
	seeds := seedtest.Dir(t)
	return seeds
}

// genreDoc reads a text document from path.
func genreDoc(t *testing.T, path string) *Document {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadText(filepath.Base(path), b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// textDoc builds a document from an inline text.
func textDoc(t *testing.T, s string) *Document {
	t.Helper()
	d, err := ReadText("inline.txt", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func warningStrings(ws []kb.Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

func TestIsNumberedSeeds(t *testing.T) {
	dir := genreSeedDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		t.Skip("no seeds")
	}
	for _, f := range files {
		d := genreDoc(t, f)
		want := strings.HasPrefix(d.File, "001_")
		if got := isNumbered(d); got != want {
			t.Errorf("isNumbered(%s) = %v, want %v", d.File, got, want)
		}
	}
}

func TestNumberedSeed(t *testing.T) {
	d := genreSeed(t, "001_")
	c := canon(extractNumbered(d))
	if len(c.Warnings) != 0 {
		t.Errorf("warnings on the seed: %v", warningStrings(c.Warnings))
	}
	if len(c.Records) != 100 {
		t.Fatalf("got %d records, want 100", len(c.Records))
	}
	sections := map[string]int{}
	for i, r := range c.Records {
		if r.No != i+1 {
			t.Errorf("record %d has No %d: a task lost or doubled", i, r.No)
		}
		if r.Table != kb.Nantong2019 || r.Doc != d.File || r.Source.File != d.File ||
			r.Source.Row != r.No || r.Source.Title != kb.TableTitle[kb.Nantong2019] {
			t.Errorf("task %d: table/doc/source = %q %q %+v", r.No, r.Table, r.Doc, r.Source)
		}
		if line := strings.TrimSpace(d.Line(r.Source.Line)); !strings.HasPrefix(line, strconv.Itoa(r.No)+".") {
			t.Errorf("task %d: source line %d reads %.20q", r.No, r.Source.Line, line)
		}
		if r.Text == "" || r.Progress == "" || strings.HasPrefix(r.Progress, "进展情况") {
			t.Errorf("task %d: text %.20q progress %.20q", r.No, r.Text, r.Progress)
		}
		if r.Due != nil || r.DeadlineText != "" || len(r.LeadUnits) != 0 || r.Inherited == nil || len(r.Inherited) != 0 {
			t.Errorf("task %d: due %v %q, lead %v, inherited %v", r.No, r.Due, r.DeadlineText, r.LeadUnits, r.Inherited)
		}
		sections[r.Section]++
	}
	// Ten numbered sections and the unnumbered 加强政府自身建设.
	if len(sections) != 11 || sections["加强政府自身建设"] != 5 {
		t.Errorf("sections = %v", sections)
	}

	tests := []struct {
		no            int
		line          int
		section       string // prefix
		textHas       []string
		progressHas   []string
		progressStart string
	}{
		{1, 3, "一、坚持产业强市不动摇", []string{"落实培育先进制造业集群", "高精尖项目。"}, []string{"9.3%", "北京神州龙芯"}, "1-5月"},
		{9, 19, "一、", []string{"第四次全国经济普查"}, []string{"18.21万家"}, "①起草"},
		{10, 22, "二、健全“双创”促进体系", []string{"坚持“三个第一”"}, []string{"92个"}, "①加快建设"},
		{23, 49, "三、推动江海联动发展", []string{"推进新出海口建设"}, []string{"一市一港一集团"}, "加快《南通港总体规划》"},
		{42, 88, "四、", []string{"130亿元以上"}, []string{"14.8亿元"}, "①在鼓励"},
		{52, 110, "六、深化“三城同创”", []string{"2019中国森林旅游节"}, []string{"15条主次干路"}, "①森旅节"},
		{67, 141, "七、", []string{"宅基地“三权分置”"}, []string{"723个"}, "开展农村承包地"},
		{76, 160, "八、", []string{"林木覆盖率稳定在24%以上"}, []string{"25.13%"}, "结合非法码头"},
		{95, 200, "十、优化公共服务", []string{"强化食品药品安全监管。"}, []string{"65.27%"}, "①推进危化品"},
		{96, 203, "加强政府自身建设", []string{"“双强引擎”"}, []string{"19.35%"}, "至4月中旬"},
		{100, 211, "加强政府自身建设", []string{"“紧日子”"}, []string{"支出进度。"}, "单独编制"},
	}
	for _, tt := range tests {
		r := c.Records[tt.no-1]
		if r.Source.Line != tt.line {
			t.Errorf("task %d: line %d, want %d", tt.no, r.Source.Line, tt.line)
		}
		if !strings.HasPrefix(r.Section, tt.section) {
			t.Errorf("task %d: section %q, want prefix %q", tt.no, r.Section, tt.section)
		}
		for _, s := range tt.textHas {
			if !strings.Contains(r.Text, s) {
				t.Errorf("task %d: text %.30q… lacks %q", tt.no, r.Text, s)
			}
		}
		for _, s := range tt.progressHas {
			if !strings.Contains(r.Progress, s) {
				t.Errorf("task %d: progress %.30q… lacks %q", tt.no, r.Progress, s)
			}
		}
		if !strings.HasPrefix(r.Progress, tt.progressStart) {
			t.Errorf("task %d: progress starts %.20q, want %q", tt.no, r.Progress, tt.progressStart)
		}
		if strings.Contains(r.Text, "进展情况") {
			t.Errorf("task %d: progress leaked into text", tt.no)
		}
	}
}

func TestNumberedFixture(t *testing.T) {
	d := genreDoc(t, filepath.Join("testdata", "numbered_basic.txt"))
	if !isNumbered(d) {
		t.Fatal("isNumbered(fixture) = false")
	}
	c := canon(extractNumbered(d))
	type rec struct {
		No             int
		Line           int
		Section, Text  string
		Progress       string
		Lead, Co, Impl []string
		DeadlineText   string
		Due            string
	}
	want := []rec{
		{1, 3, "一、推动产业升级", "建设智能制造产业园,新增规上企业20家。", "①产业园一期完工。②新增规上企业9家。", []string{}, []string{}, nil, "", ""},
		{2, 5, "一、推动产业升级", "推进老旧小区改造,6月底前完成10个小区改造方案。", "已完成7个小区方案。",
			[]string{"住建局"}, []string{"财政局"}, []string{"各镇"}, "6月底前", "2019-06-30"},
		{3, 8, "二、改善民生", "新建公办幼儿园3所,年底前全部投用。五年内实现学前教育全覆盖。", "2所已开工。\n下一步:加快第3所选址。",
			[]string{}, []string{}, nil, "年底前", "2019-12-31"},
		{4, 11, "二、改善民生", "开展农村公路提档升级。", "完成23公里。\n1.县道完成15公里;\n2.乡道完成8公里。", []string{}, []string{}, nil, "", ""},
		{6, 16, "二、改善民生", "实施全民健身工程,新建健身步道1.5万米。", "新建健身步道1.2万米。", []string{}, []string{}, nil, "", ""},
		{7, 19, "加强政府自身建设", "深化政务公开,\n推进重点领域信息公开。", "出台实施方案。", []string{}, []string{}, nil, "", ""},
		{8, 22, "加强政府自身建设", "严控一般性支出。", "", []string{}, []string{}, nil, "", ""},
	}
	var got []rec
	for _, r := range c.Records {
		got = append(got, rec{r.No, r.Source.Line, r.Section, r.Text, r.Progress, r.LeadUnits, r.CoUnits, r.Implementers, r.DeadlineText, r.Due.ISO()})
		if r.Source.Row != r.No || r.Source.File != "numbered_basic.txt" || r.Doc != "numbered_basic.txt" {
			t.Errorf("task %d: source %+v doc %q", r.No, r.Source, r.Doc)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	wantWarn := []string{
		"numbered_basic.txt:13: row 1: line numbered 1 after task 4; kept as text of task 4",
		"numbered_basic.txt:14: row 2: line numbered 2 after task 4; kept as text of task 4",
		"numbered_basic.txt:16: row 6: task 6 follows task 4: numbers skipped",
		"numbered_basic.txt:22: row 8: task 8 has no 进展情况",
	}
	if gw := warningStrings(c.Warnings); !reflect.DeepEqual(gw, wantWarn) {
		t.Errorf("warnings:\n got %q\nwant %q", gw, wantWarn)
	}
}

// TestNumberedOddInputs feeds malformed documents: nothing may panic, and
// what is read must still make sense.
func TestNumberedOddInputs(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		records  int
		warnings int
	}{
		{"empty", "", 0, 0},
		{"blank lines", "\n\n  \n", 0, 0},
		{"only headings", "一、总则\n二、分则\n加强政府自身建设\n", 0, 0},
		{"progress before any task", "进展情况:无\n1.任务。\n进展情况:有\n", 1, 0},
		{"numbers out of order", "3.甲。\n进展情况:a\n1.乙。\n进展情况:b\n2.丙。\n4.丁。\n进展情况:d\n", 2, 3},
		{"number only", "1.\n进展情况:\n", 1, 2},
		{"decimal is not a task", "1.5万亿元\n", 0, 0},
		{"unterminated clause", "1.任务。（市财政局牵头负责\n进展情况:x\n", 1, 0},
		{"clause only", "1.（牵头负责）\n进展情况:x\n", 1, 1},
		{"huge number", "99999999999999999999.任务\n", 0, 0},
		{"crlf and bom", "\ufeff1.任务。\r\n进展情况:好\r\n", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := textDoc(t, tt.text)
			_ = isNumbered(d)
			c := canon(extractNumbered(d))
			if len(c.Records) != tt.records || len(c.Warnings) != tt.warnings {
				t.Errorf("got %d records, %d warnings %q; want %d, %d",
					len(c.Records), len(c.Warnings), warningStrings(c.Warnings), tt.records, tt.warnings)
			}
		})
	}
}

func FuzzNumbered(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "numbered_basic.txt")); err == nil {
		f.Add(string(b))
	}
	f.Add("1.任务。（市财政局牵头负责，各区镇落实）\n进展情况:好\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ReadText("fuzz.txt", []byte(s))
		if err != nil {
			return
		}
		_ = isNumbered(d)
		c := canon(extractNumbered(d))
		for i, r := range c.Records {
			if i > 0 && r.No <= c.Records[i-1].No {
				t.Fatalf("task numbers not increasing: %d after %d", r.No, c.Records[i-1].No)
			}
		}
	})
}
