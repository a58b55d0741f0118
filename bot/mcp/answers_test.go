package mcp

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"duban/handlers"
)

func TestDivisionOfLabour(t *testing.T) {
	cs := connect(t, seedServer(t, nil))

	p := call[DivisionOut](t, cs, "division_of_labour", map[string]any{"name": "茅敏勇"}).Person
	if p == nil || p.Post != "副区长" || p.Source == nil || p.Source.File != seed002 || p.Source.Line != 251 {
		t.Fatalf("茅敏勇 = %+v", p)
	}
	for _, u := range []string{"住建局", "城管局", "交通局"} {
		if !slices.Contains(p.Oversees, u) {
			t.Errorf("茅敏勇 oversees %v, want %s among them", p.Oversees, u)
		}
	}
	if !slices.Contains(p.Liaises, "四甲镇") || !slices.Contains(p.Areas, "交通运输") {
		t.Errorf("茅敏勇 liaises %v, areas %v", p.Liaises, p.Areas)
	}

	u := call[DivisionOut](t, cs, "division_of_labour", map[string]any{"name": "交通运输局"}).Unit
	if u == nil || u.Name != "交通局" || len(u.OverseenBy) != 1 || u.OverseenBy[0].Name != "茅敏勇" || u.OverseenBy[0].Source.Line != 251 {
		t.Errorf("交通运输局 = %+v, want 交通局 overseen by 茅敏勇 (002:251)", u)
	}
	town := call[DivisionOut](t, cs, "division_of_labour", map[string]any{"name": "三星镇"}).Unit
	if town == nil || len(town.LiaisedBy) != 1 || town.LiaisedBy[0].Name != "丁忠明" || town.LiaisedBy[0].Source.Line != 235 {
		t.Errorf("三星镇 = %+v, want liaised by 丁忠明 (002:235)", town)
	}
	for _, d := range town.Duties {
		if d.Source.File == "" || d.Text == "" {
			t.Errorf("三星镇 duty without text or source: %+v", d)
		}
	}

	miss := call[DivisionOut](t, cs, "division_of_labour", map[string]any{"name": "茅民勇"})
	if !miss.NotFound || miss.Person != nil || !slices.Contains(miss.Candidates, "茅敏勇") {
		t.Errorf("茅民勇 = %+v, want not found with 茅敏勇", miss)
	}
}

func TestIndicator(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	got := call[IndicatorOut](t, cs, "indicator", map[string]any{"name": "GDP年均增长率"})
	want := Indicator{Table: "表1", Category: "经济实力", No: 1, Name: "GDP年均增长率", Unit: "%", Base: "6.8", Target: "7-7.5", Attribute: "预期性",
		Source: Source{File: seed003, Line: 21, Title: "表1 海陵区“十三五”规划指标（Ⅰ级）完成情况", Row: 1}}
	if got.Count != 1 || got.Indicators[0] != want {
		t.Errorf("indicator GDP年均增长率 = %+v, want %+v", got.Indicators, want)
	}
	rd := call[IndicatorOut](t, cs, "indicator", map[string]any{"name": "研发经费", "table": "表2"})
	if rd.Count != 1 || rd.Indicators[0].Target != "2.85" || rd.Indicators[0].Name != "研发经费支出占地区生产总值比重" {
		t.Errorf("indicator 研发经费 in 表2 = %+v", rd.Indicators)
	}
	miss := call[IndicatorOut](t, cs, "indicator", map[string]any{"name": "火星探测次数"})
	if !miss.NotFound || miss.Count != 0 {
		t.Errorf("unknown indicator = %+v", miss)
	}
}

func TestQuota(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	got := call[QuotaOut](t, cs, "quota", map[string]any{"town": "海门经济技术开发区", "item": "十四五期间新增上市企业"})
	if got.Count != 1 || got.Quotas[0].Value != "4" || got.Quotas[0].Town != "开发区" || got.Quotas[0].Source.Line != 307 || got.Quotas[0].Source.File != seed002 {
		t.Errorf("开发区 新增上市企业 = %+v, want 4 (002:307)", got.Quotas)
	}
	town := call[QuotaOut](t, cs, "quota", map[string]any{"town": "开发区"})
	for _, q := range town.Quotas {
		if q.Town != "开发区" {
			t.Errorf("开发区 quota row of %s", q.Town)
		}
	}
	if town.Count < 10 {
		t.Errorf("开发区 has %d quota numbers, want its whole row (10 columns)", town.Count)
	}
	miss := call[QuotaOut](t, cs, "quota", map[string]any{"town": "开发"})
	if !miss.NotFound || !slices.Equal(miss.Candidates, []string{"开发区"}) {
		t.Errorf("town 开发 = %+v, want not found with 开发区", miss.Miss)
	}
}

func TestSearch(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	got := call[SearchOut](t, cs, "search", map[string]any{"query": "森林覆盖率"})
	if got.Count != 5 {
		t.Fatalf("search found %d passages, want the default 5", got.Count)
	}
	top := got.Passages[0]
	if top.Source.File != seed000 || top.Source.Line != 286 || !strings.Contains(top.Text, "森林覆盖率达18%") {
		t.Errorf("best passage = %+v, want 000:286 (森林覆盖率达18%%)", top)
	}
	if msg := callErr(t, cs, "search", map[string]any{"query": "森林", "limit": 50}); !strings.Contains(msg, "limit") {
		t.Errorf("limit 50: %q", msg)
	}
}

func TestAsk(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	zh := call[AskOut](t, cs, "ask", map[string]any{"question": "76号任务谁牵头"})
	if !strings.Contains(zh.Answer, "周国强") || !strings.Contains(zh.Answer, "住建局") || zh.Intent == "" ||
		len(zh.Sources) == 0 || zh.Sources[0].File != seed004 || zh.Sources[0].Line != 824 {
		t.Errorf("ask 76号任务谁牵头 = %+v", zh)
	}
	var ex *handlers.Explain
	if raw, err := json.Marshal(zh.Explain); err == nil {
		json.Unmarshal(raw, &ex)
	}
	if ex == nil || ex.Chosen == "" || ex.Frame == nil || len(ex.Frame.Refs) != 1 || ex.Frame.Refs[0].No != 76 || len(ex.Candidates) == 0 {
		t.Errorf("ask 76号任务谁牵头 explain = %+v, want the frame with task 76 and the chosen intent", ex)
	}
	en := call[AskOut](t, cs, "ask", map[string]any{"question": "who leads task 76"})
	if !strings.HasPrefix(en.Answer, "Key task 76") || !strings.Contains(en.Answer, "周国强") {
		t.Errorf("ask who leads task 76 = %q", en.Answer)
	}
	if msg := callErr(t, cs, "ask", map[string]any{"question": "8月底前要完成哪些", "now": "8月"}); !strings.Contains(msg, "RFC 3339") {
		t.Errorf("bad now: %q", msg)
	}
}

func TestDocumentsResource(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	list, err := cs.ListResources(t.Context(), nil)
	if err != nil || len(list.Resources) != 1 || list.Resources[0].URI != DocumentsURI {
		t.Fatalf("resources = %+v, %v", list, err)
	}
	res, err := cs.ReadResource(t.Context(), &sdk.ReadResourceParams{URI: DocumentsURI})
	if err != nil {
		t.Fatal(err)
	}
	var docs []Document
	if err := json.Unmarshal([]byte(res.Contents[0].Text), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 5 {
		t.Fatalf("%d documents, want the 5 seeds", len(docs))
	}
	byFile := map[string]Document{}
	for _, d := range docs {
		byFile[d.File] = d
		if d.Title == "" || d.Year == 0 || d.Lines == 0 {
			t.Errorf("document %+v lacks a title, year or size", d)
		}
	}
	d := byFile[seed004]
	var tables []string
	for _, tb := range d.Tables {
		tables = append(tables, tb.ID+"/"+itoa(tb.Rows)+"/"+itoa(tb.Year))
	}
	if d.Year != 2020 || !slices.Equal(tables, []string{"key_tasks/173/2020", "people_projects/50/2020"}) {
		t.Errorf("004 = year %d, tables %v; want 2020 with key_tasks (173) and people_projects (50)", d.Year, tables)
	}
	if y := byFile[seed001].Year; y != 2019 {
		t.Errorf("001 year = %d, want 2019", y)
	}
	if d := byFile[seed003]; d.Year != 2021 || d.Period != "2021–2025" {
		t.Errorf("003 = year %d, period %q; want the 十四五 plan, 2021–2025", d.Year, d.Period)
	}
	if y := byFile[seed002].Year; y != 2022 {
		t.Errorf("002 year = %d, want 2022 (海政发〔2022〕1号)", y)
	}
}

func TestNotLoaded(t *testing.T) {
	s, err := New(Config{Handler: func() *handlers.Handler { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, s)
	if msg := callErr(t, cs, "task", map[string]any{"number": 76}); !strings.Contains(msg, "documents not loaded") {
		t.Errorf("task before loading: %q", msg)
	}
	if _, err := New(Config{}); err == nil {
		t.Error("New without a handler: no error")
	}
}

func TestTaskResource(t *testing.T) {
	cs := connect(t, seedServer(t, nil))
	tmpl, err := cs.ListResourceTemplates(t.Context(), nil)
	if err != nil || len(tmpl.ResourceTemplates) != 1 || tmpl.ResourceTemplates[0].URITemplate != TaskURITemplate {
		t.Fatalf("resource templates = %+v, %v", tmpl, err)
	}
	res, err := cs.ReadResource(t.Context(), &sdk.ReadResourceParams{URI: "duban://task/people_projects/12"})
	if err != nil {
		t.Fatal(err)
	}
	var task Task
	if err := json.Unmarshal([]byte(res.Contents[0].Text), &task); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(task.LeadLeaders, []string{"黄静"}) || task.Source.Line != 1889 || task.Source.File != seed004 {
		t.Errorf("duban://task/people_projects/12 = %+v", task)
	}
	for _, uri := range []string{"duban://task/key_tasks/999", "duban://task/no_such_table/1", "duban://task/key_tasks/x"} {
		if _, err := cs.ReadResource(t.Context(), &sdk.ReadResourceParams{URI: uri}); err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("read %s: %v, want resource not found", uri, err)
		}
	}
}
