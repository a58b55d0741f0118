package handlers_test

import (
	"context"
	"duban/kb/ingest/seedtest"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"duban/handlers"
	"duban/kb"
	"duban/kb/ingest"
)

// benchQuestion is one question of the answer benchmark. prev, when set,
// is asked first and its Turn becomes the question's follow-up state, as
// bot.Answer would store it.
type benchQuestion struct {
	text, prev string
}

// benchQuestions covers every intent over the seeds' knowledge base, with
// task numbers written in Arabic, Chinese and full-width numerals, and the
// slow paths (long lists, keyword scoring, the full-text fallback).
var benchQuestions = []benchQuestion{
	// task numbers
	{text: "76号任务谁牵头"},
	{text: "第十二项任务的完成时限"},
	{text: "任务１０３配合单位有哪些"},
	{text: "第一百零五项谁负责"},
	{text: "实事第3项谁牵头"},
	{text: "5和9号任务的牵头单位"},
	{text: "第七十六项什么时候完成"},
	{text: "who leads task 76"},
	{text: "第999项谁牵头"},
	{text: "那它什么时候到期", prev: "76号任务谁牵头"},
	// unit and leader lists
	{text: "交通局牵头哪些任务"},
	{text: "住建局配合哪些任务"},
	{text: "人力资源社会保障局牵头的任务"},
	{text: "档案馆牵头哪些任务"},
	{text: "周国强牵头的任务"},
	{text: "更多", prev: "周国强牵头的任务"},
	{text: "更多"},
	// due windows
	{text: "6月底前要完成哪些任务"},
	{text: "本月到期的任务"},
	{text: "已逾期的任务"},
	{text: "下个月到期的任务"},
	{text: "12月底前要完成的实事"},
	// division of labour
	{text: "沈旭东分管哪些工作"},
	{text: "交通运输局归谁分管"},
	{text: "谁联系海门港新区"},
	{text: "周国强联系哪个区镇"},
	{text: "联席会议召集人是谁"},
	// plan indicators and quotas
	{text: "GDP年均增长率目标是多少"},
	{text: "研发经费占比目标"},
	{text: "开发区新增上市企业任务"},
	// keyword, passages, not found
	{text: "垃圾分类谁牵头"},
	{text: "老旧小区改造谁负责"},
	{text: "河道整治由哪个单位牵头"},
	{text: "森林覆盖提升行动方案的目标是什么"},
	{text: "上市挂牌工作职责"},
	{text: "规划纲要的指导思想"},
	{text: "明天天气怎么样"},
	// counts and help
	{text: "重点工作一共多少项"},
	{text: "为民办实事一共多少项"},
	{text: "帮助"},
}

// benchIntents are the intents the question set must reach.
var benchIntents = []string{
	handlers.IntentTask, handlers.IntentUnitTasks, handlers.IntentLeaderTask, handlers.IntentDue,
	handlers.IntentDivision, handlers.IntentOverseer, handlers.IntentMembers, handlers.IntentIndicator,
	handlers.IntentQuota, handlers.IntentKeyword, handlers.IntentSearch, handlers.IntentNotFound,
	handlers.IntentCount, handlers.IntentHelp, handlers.IntentMore,
}

// benchNow is the clock of the benchmark: 本月 is August 2020, within the
// seeds' plan year, so due-window questions return lists.
var benchNow = time.Date(2020, 8, 20, 9, 0, 0, 0, kb.Location)

// prepared is a question ready to answer: its follow-up state resolved and
// the intent its answer has.
type prepared struct {
	q      handlers.Question
	intent string
}

var (
	seedOnce    sync.Once
	seedHandler *handlers.Handler
	seedErr     error
)

// seedsHandler loads the seeds once per test binary: benchmarks and the
// test below share it.
func seedsHandler(tb testing.TB) *handlers.Handler {
	tb.Helper()
	dir := seedsDir(tb)
	seedOnce.Do(func() {
		b, _, err := ingest.LoadDir(context.Background(), dir)
		if b == nil {
			seedErr = fmt.Errorf("load seeds %s: %w", dir, err)
			return
		}
		// The full-text index may build in the background; measure the
		// answers a warm server gives, after it is done.
		if err := b.WaitIndexed(); err != nil {
			seedErr = fmt.Errorf("index seeds: %w", err)
			return
		}
		seedHandler = handlers.New(b, handlers.Config{Now: func() time.Time { return benchNow }})
	})
	if seedErr != nil {
		tb.Fatal(seedErr)
	}
	return seedHandler
}

// seedsDir finds ../shared/seeds beside the directory holding go.mod.
func seedsDir(tb testing.TB) string {
	tb.Helper()
	seeds := seedtest.Dir(tb)
	return seeds
}

// prepare answers each question's prev to build its follow-up state, then
// the question itself once, to learn its intent.
func prepare(h *handlers.Handler) []prepared {
	ctx := context.Background()
	out := make([]prepared, len(benchQuestions))
	for i, bq := range benchQuestions {
		q := handlers.Question{Text: bq.text}
		if bq.prev != "" {
			q.Prev = h.Answer(ctx, handlers.Question{Text: bq.prev}).Turn
		}
		out[i] = prepared{q: q, intent: h.Answer(ctx, q).Intent}
	}
	return out
}

// TestBenchQuestionsCoverIntents keeps BenchmarkAnswer honest: its
// questions still reach every intent on the seeds.
func TestBenchQuestionsCoverIntents(t *testing.T) {
	h := seedsHandler(t)
	seen := map[string]int{}
	for _, p := range prepare(h) {
		seen[p.intent]++
	}
	for _, in := range benchIntents {
		if seen[in] == 0 {
			t.Errorf("no benchmark question answers with intent %q; intents reached: %v", in, seen)
		}
	}
}

// BenchmarkAnswer measures Handler.Answer over the seeds' knowledge base
// (issue target: mean under 100 µs, no question over 1 ms).
//
//   - all: the questions in turn, so ns/op is the mean per question;
//   - intent=X: the questions whose answer has intent X, in turn;
//   - q=NN_X: question NN alone; the slowest of these is the worst case.
func BenchmarkAnswer(b *testing.B) {
	h := seedsHandler(b)
	ps := prepare(h)
	run := func(name string, ps []prepared) {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				h.Answer(ctx, ps[i].q)
				i++
				if i == len(ps) {
					i = 0
				}
			}
		})
	}
	run("all", ps)
	var intents []string
	for _, p := range ps {
		if !slices.Contains(intents, p.intent) {
			intents = append(intents, p.intent)
		}
	}
	for _, in := range intents {
		var sub []prepared
		for _, p := range ps {
			if p.intent == in {
				sub = append(sub, p)
			}
		}
		run("intent="+in, sub)
	}
	for i, p := range ps {
		run(fmt.Sprintf("q=%02d_%s", i+1, p.intent), ps[i:i+1])
	}
}
